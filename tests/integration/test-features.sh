#!/bin/bash
# test-features.sh: `urun features` prints the runtime-spec features
# document.  (That the parser accepts all it lists is checked by
# tests/unit/test-features.c.)
. "$(dirname "$0")/lib.sh"

run_urun features
is "$status" 0 "features exits 0"
ok "features prints JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out"

check () {
  python3 - "$out" "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert eval(sys.argv[2]), sys.argv[2]
PY
}

ok "ociVersionMax is the spec version" check 'd["ociVersionMax"] == "1.2.0"'
ok "all six hooks" check 'len(d["hooks"]) == 6 and "createContainer" in d["hooks"]'
ok "all eight namespaces" \
  check 'sorted(d["linux"]["namespaces"]) == sorted(["pid","network","mount","ipc","uts","user","cgroup","time"])'
ok "capabilities up to CAP_CHECKPOINT_RESTORE" \
  check '"CAP_SYS_ADMIN" in d["linux"]["capabilities"] and d["linux"]["capabilities"][-1] == "CAP_CHECKPOINT_RESTORE"'
ok "recursive mount options and tmpcopyup" \
  check 'all(o in d["mountOptions"] for o in ["rro","rbind","idmap","tmpcopyup","nosymfollow"])'
ok "seccomp actions include NOTIFY and operators MASKED_EQ" \
  check '"SCMP_ACT_NOTIFY" in d["linux"]["seccomp"]["actions"] and "SCMP_CMP_MASKED_EQ" in d["linux"]["seccomp"]["operators"]'
ok "supported seccomp flags are known flags" \
  check 'set(d["linux"]["seccomp"]["supportedFlags"]) <= set(d["linux"]["seccomp"]["knownFlags"])'
ok "x86_64 among the seccomp archs" check '"SCMP_ARCH_X86_64" in d["linux"]["seccomp"]["archs"]'
ok "idmapped mounts" check 'd["linux"]["mountExtensions"]["idmap"]["enabled"]'
ok "checkpointing is not advertised" \
  check 'd["annotations"]["io.github.urun.checkpoint.enabled"] == "false"'

run_urun features extra
is "$status" 1 "features takes no argument"

done_testing
