#!/bin/bash
# test-helper.sh: the test rootfs and its static helper work on the host, so
# that container tests can rely on them.
. "$(dirname "$0")/lib.sh"

rootfs=$URUN_TEST_ROOTFS
helper=$rootfs/bin/urun-test-helper

ok "helper is executable" test -x "$helper"
like "$(file -L "$helper")" "statically linked|static-pie linked" "helper is static (file)"
# ldd's wording and exit status differ between versions; either says so.
like "$(ldd "$helper" 2>&1)" "not a dynamic executable|statically linked" "helper is static (ldd)"

report=$("$helper" report extra-arg 'quote"and\back' 2>&1)
is "$?" 0 "report exits 0"
ok "report is one JSON object with the expected keys" python3 -c '
import json, os, sys
r = json.loads(sys.argv[1])
assert isinstance(r, dict), r
keys = """pid ppid sid pgid uid gid euid egid groups cwd argv env hostname
domainname umask personality oom_score_adj stdin_tty fds rlimits capabilities
no_new_privs seccomp namespaces cgroups mounts dev""".split()
missing = [k for k in keys if k not in r]
assert not missing, missing
assert r["uid"] == os.getuid() and r["gid"] == os.getgid(), (r["uid"], r["gid"])
assert r["argv"][1:] == ["report", "extra-arg", "quote\"and\\back"], r["argv"]
assert r["cwd"] == os.getcwd(), r["cwd"]
assert r["rlimits"]["RLIMIT_NOFILE"]["soft"] > 0
assert set(r["capabilities"]) == {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}
assert "mnt" in r["namespaces"] and r["namespaces"]["mnt"].startswith("mnt:[")
assert any(m["mount_point"] == "/" for m in r["mounts"])
assert any(d["name"] == "null" and d.get("major_minor") == "1:3" for d in r["dev"])
assert any(f["fd"] == 1 for f in r["fds"])
assert r["stdin_tty"] is False
' "$report"
is "$(printf '%s' "$report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uid"])')" \
  "$(id -u)" "report uid equals id -u"
is "$(printf '%s' "$report" | wc -l)" 0 "report is a single line"

# Strings that need escaping, including bytes that are not UTF-8.
weird=$(printf 'tab\there nl\nx ctl\001 bad\377 ok\303\251')
report=$(env -i "WEIRD=$weird" "$helper")
ok "escaped environment round-trips through JSON" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["env"] == ["WEIRD=tab\there nl\nx ctl\x01 bad\xff ok\u00e9"], r["env"]
' "$report"

"$helper" exit 7
is "$?" 7 "exit N"
"$helper" sleep 0.1
is "$?" 0 "sleep 0.1"
f=$URUN_TEST_TMPDIR/written
"$helper" write-file "$f" "hello world"
is "$(cat "$f")" "hello world" "write-file"
is "$("$helper" cat-file "$f")" "hello world" "cat-file"
fails "cat-file of a missing file fails" "$helper" cat-file "$URUN_TEST_TMPDIR/nope"
mkdir "$URUN_TEST_TMPDIR/d" && touch "$URUN_TEST_TMPDIR/d/b" "$URUN_TEST_TMPDIR/d/a"
is "$("$helper" ls "$URUN_TEST_TMPDIR/d" | tr '\n' ' ')" "a b " "ls sorts names"
fails "unknown subcommand fails" "$helper" frobnicate

# pause: prints each signal, exits 143 on SIGTERM.
ready=$URUN_TEST_TMPDIR/ready
"$helper" pause "$ready" >"$URUN_TEST_TMPDIR/signals" &
pid=$!
for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.05; done
ok "pause creates its ready file" test -e "$ready"
kill -USR1 "$pid"; sleep 0.1
kill -HUP "$pid"; sleep 0.1
kill -TERM "$pid"
wait "$pid"
is "$?" 143 "pause exits 143 on SIGTERM"
is "$(tr '\n' ' ' <"$URUN_TEST_TMPDIR/signals")" "SIGUSR1 SIGHUP SIGTERM " "pause prints each signal"

# The rootfs: busybox and the applets container tests use.
ok "busybox in the rootfs" test -x "$rootfs/bin/busybox"
for applet in sh ls cat sleep true false echo env id mount ps kill; do
  ok "applet $applet" test -x "$rootfs/bin/$applet"
done
# shellcheck disable=SC2016 # expanded by busybox sh
like "$("$rootfs/bin/sh" -c 'echo $((6 * 7))')" '^42$' "busybox sh runs"
like "$(cat "$rootfs/etc/passwd")" '(^|
)root:x:0:0:' "passwd has root"
like "$(cat "$rootfs/etc/passwd")" '
tester:x:1000:1000:' "passwd has the test user"
like "$(cat "$rootfs/etc/group")" 'nogroup:x:65534:' "group has nogroup"
for d in proc sys dev tmp etc root; do
  ok "rootfs has /$d" test -d "$rootfs/$d"
done

done_testing
