#!/bin/bash
# test-process.sh: what the container's process gets from config.json
# (args, env, cwd, user, umask, hostname, rlimits, oomScoreAdj, sysctl,
# namespaces, keyring), checked on the test helper's report.
# shellcheck disable=SC2016 # the inner shells expand their own $1...
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
rootless=false
[ "$URUN_TEST_MODE" = rootless ] && rootless=true
# CAP_SYS_RESOURCE (bit 24) decides who may lower oom_score_adj or raise a
# hard rlimit; root in a sandbox may lack it.
sys_resource=false
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
(( (16#$cap_eff >> 24) & 1 )) && sys_resource=true

new_bundle b || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# report ID [URUN RUN OPTIONS...]: runs the bundle in the foreground and
# leaves the helper's JSON in $report.
# json_check_env REPORT ENTRY: the report's environment holds ENTRY.
json_check_env ()
{
  python3 -c 'import json,sys; sys.exit(0 if sys.argv[2] in json.loads(sys.argv[1])["env"] else 1)' "$1" "$2"
}

report ()
{
  local id=$1
  shift
  run_urun run "$@" --bundle "$b" "$id"
  report=$out
  if [ "$status" -ne 0 ]; then
    diag "run $id exited with $status: $err"
  fi
}

# ---- the process fields, all at once ----------------------------------------
edit_config "$b" '
p = c["process"]
p["args"] = ["urun-test-helper", "report", "arg with space", "q\"uote", ""]
p["env"] = ["PATH=/bin", "FOO=bar baz", "EQ=a=b", "EMPTY="]
p["cwd"] = "/home/tester"
p["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [10, 65534], "umask": 0o027}
p["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
                {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]
p["oomScoreAdj"] = 500
c["hostname"] = "urun-proc"
c["domainname"] = "example.test"
'
report p1
is "$status" 0 "run with every process field exits 0"
json_check "args, verbatim" "$report" '
assert r["argv"] == ["urun-test-helper", "report", "arg with space", "q\"uote", ""], r["argv"]'
json_check "env, exactly the config's, plus HOME from the container's /etc/passwd" "$report" '
assert r["env"] == ["PATH=/bin", "FOO=bar baz", "EQ=a=b", "EMPTY=", "HOME=/home/tester"], r["env"]'
json_check "cwd" "$report" 'assert r["cwd"] == "/home/tester", r["cwd"]'
json_check "uid and gid" "$report" '
assert (r["uid"], r["euid"], r["gid"], r["egid"]) == (1000, 1000, 1000, 1000), r'
json_check "additionalGids" "$report" 'assert sorted(r["groups"]) == [10, 65534], r["groups"]'
json_check "umask" "$report" 'assert r["umask"] == "0027", r["umask"]'
json_check "hostname" "$report" 'assert r["hostname"] == "urun-proc", r["hostname"]'
json_check "domainname" "$report" 'assert r["domainname"] == "example.test", r["domainname"]'
json_check "RLIMIT_NOFILE" "$report" '
assert r["rlimits"]["RLIMIT_NOFILE"] == {"soft": 100, "hard": 200}, r["rlimits"]["RLIMIT_NOFILE"]'
json_check "RLIMIT_CORE" "$report" '
assert r["rlimits"]["RLIMIT_CORE"] == {"soft": 0, "hard": 0}, r["rlimits"]["RLIMIT_CORE"]'
json_check "oomScoreAdj raised to 500" "$report" 'assert r["oom_score_adj"] == 500, r["oom_score_adj"]'
json_check "pid 1 of its own pid namespace" "$report" 'assert r["pid"] == 1, r["pid"]'
is "$(uname -n)" "$(cat /proc/sys/kernel/hostname)" "the host's hostname is its own"
unlike "$(uname -n)" '^urun-proc$' "the host's hostname is unchanged"
reset_config

# Without user.additionalGids the process has no supplementary groups (it
# must not keep urun's).
edit_config "$b" 'c["process"]["user"] = {"uid": 0, "gid": 0}'
report p2
json_check "no additionalGids: no supplementary groups" "$report" '
assert r["groups"] in ([], [0]), r["groups"]
assert r["groups"] == [], "kept the groups of urun: %r" % r["groups"]'
reset_config

# Defaults: umask 0022, uid 0.
report p3
json_check "default umask 0022 and uid 0" "$report" '
assert r["umask"] == "0022", r["umask"]
assert r["uid"] == 0 and r["gid"] == 0, r'

# ---- cwd that does not exist --------------------------------------------------
# The spec does not say; runc and crun create it (0755, owned by the
# container's root), and so does urun.
edit_config "$b" 'c["process"]["cwd"] = "/new/work/dir"'
report p4
is "$status" 0 "a missing cwd: run succeeds"
json_check "a missing cwd is created and entered" "$report" 'assert r["cwd"] == "/new/work/dir", r["cwd"]'
ok "it exists in the rootfs as a directory" test -d "$b/rootfs/new/work/dir"
is "$(stat -c %a "$b/rootfs/new/work/dir" 2>/dev/null)" 755 "... with mode 0755"
is "$(stat -c %u "$b/rootfs/new/work/dir" 2>/dev/null)" "$(stat -c %u "$b/rootfs/bin")" \
  "... owned by the container's root"
rm -rf "$b/rootfs/new"
# Through a symlink in the rootfs: resolved inside the container.
ln -s /tmp "$b/rootfs/linkdir"
edit_config "$b" 'c["process"]["cwd"] = "/linkdir/sub"'
report p5
json_check "a missing cwd under a symlink stays inside the rootfs" "$report" '
assert r["cwd"] == "/tmp/sub", r["cwd"]'
ok "... created as rootfs/tmp/sub" test -d "$b/rootfs/tmp/sub"
rm -rf "$b/rootfs/linkdir" "$b/rootfs/tmp/sub"
# root.readonly: the cwd is made before "/" becomes read-only, as runc
# does (a rootfs whose own filesystem is read-only: test-notify.sh).
edit_config "$b" 'c["process"]["cwd"] = "/nosuch"; c["root"]["readonly"] = True'
report p6
json_check "a missing cwd on a root.readonly root is created and entered" "$report" '
assert r["cwd"] == "/nosuch", r["cwd"]'
ok "... in the rootfs" test -d "$b/rootfs/nosuch"
no_leftovers "... and leaves nothing" "$b" p6
rmdir "$b/rootfs/nosuch"
reset_config

# ---- oomScoreAdj lowered ------------------------------------------------------
mine=$(cat /proc/self/oom_score_adj)
edit_config "$b" "c['process']['oomScoreAdj'] = $((mine - 100))"
report p7
if [ "$sys_resource" = true ]; then
  is "$status" 0 "with CAP_SYS_RESOURCE, oomScoreAdj may be lowered"
  json_check "oomScoreAdj lowered" "$report" "assert r['oom_score_adj'] == $((mine - 100)), r['oom_score_adj']"
else
  is "$status" 1 "lowering oomScoreAdj needs CAP_SYS_RESOURCE: create fails"
  like "$err" 'oom' "... with a message about oom_score_adj"
  like "$err" 'Permission denied|Operation not permitted' "... and the errno"
  no_leftovers "... leaving nothing" "$b" p7
fi
reset_config

# ---- rlimits beyond the hard limit --------------------------------------------
hard=$(ulimit -Hn)
if [ "$sys_resource" = false ] && [ "$hard" != unlimited ]; then
  edit_config "$b" "c['process']['rlimits'] = [{'type': 'RLIMIT_NOFILE', 'soft': $hard, 'hard': $((hard + 1))}]"
  run_urun run --bundle "$b" p8
  is "$status" 1 "raising a hard rlimit without CAP_SYS_RESOURCE fails"
  like "$err" 'NOFILE|resource 7' "... naming the limit"
  no_leftovers "... leaving nothing" "$b" p8
  reset_config
else
  edit_config "$b" "c['process']['rlimits'] = [{'type': 'RLIMIT_NOFILE', 'soft': 4096, 'hard': 8192}]"
  report p8
  json_check "with CAP_SYS_RESOURCE, RLIMIT_NOFILE may be raised" "$report" '
assert r["rlimits"]["RLIMIT_NOFILE"] == {"soft": 4096, "hard": 8192}, r["rlimits"]["RLIMIT_NOFILE"]'
  reset_config
fi

# ---- sysctl -------------------------------------------------------------------
host_shm=$(cat /proc/sys/kernel/shm_rmid_forced)
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
edit_config "$b" '
c["linux"]["sysctl"] = {"kernel.shm_rmid_forced": "1", "net.ipv4.ip_forward": "1"}
c["process"]["args"] = ["sh", "-c", "cat /proc/sys/kernel/shm_rmid_forced /proc/sys/net/ipv4/ip_forward"]'
run_urun run --bundle "$b" s1
is "$status" 0 "run with sysctls exits 0"
is "$(printf '%s' "$out" | tr '\n' ' ')" "1 1" "the container sees its sysctls"
is "$(cat /proc/sys/kernel/shm_rmid_forced)" "$host_shm" "the host's kernel.shm_rmid_forced is unchanged"
is "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "the host's net.ipv4.ip_forward is unchanged"
reset_config
swappiness=$(cat /proc/sys/vm/swappiness)
edit_config "$b" 'c["linux"]["sysctl"] = {"vm.swappiness": "1"}'
run_urun run --bundle "$b" s2
is "$status" 1 "a sysctl that is not namespaced is refused"
like "$err" 'linux\.sysctl\["vm\.swappiness"\]' "... naming it"
is "$(cat /proc/sys/vm/swappiness)" "$swappiness" "the host's vm.swappiness is unchanged"
reset_config
edit_config "$b" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
c["linux"]["sysctl"] = {"net.ipv4.ip_forward": "1"}'
run_urun run --bundle "$b" s3
is "$status" 1 "a net sysctl without a network namespace is refused"
like "$err" 'network namespace' "... saying it needs one"
is "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "the host's ip_forward is unchanged"
reset_config
# kernel.hostname and kernel.domainname would override the config's own
# fields: refused, naming both.
for key in hostname domainname; do
  edit_config "$b" "
c['hostname'] = 'urun-field'
c['linux']['sysctl'] = {'kernel.$key': 'urun-sysctl'}"
  run_urun run --bundle "$b" s4
  is "$status" 1 "sysctl kernel.$key is refused"
  like "$err" "linux\\.sysctl\\[\"kernel\\.$key\"\\].*\"$key\" field" "... naming it and the $key field"
  no_leftovers "... leaving nothing" "$b" s4
  reset_config
done

# ---- namespaces -------------------------------------------------------------------
report n1
types=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
names = {"pid": "pid", "network": "net", "ipc": "ipc", "uts": "uts", "mount": "mnt",
         "cgroup": "cgroup", "user": "user", "time": "time"}
print(" ".join(names[n["type"]] for n in c["linux"]["namespaces"]))' "$b/config.json")
for t in pid net ipc uts mnt cgroup user time; do
  got=$(json_get "$report" "r['namespaces']['$t']")
  if [[ " $types " == *" $t "* ]]; then
    like "$got" "^$t:\\[" "namespace $t is reported"
    isnt_host=$([ "$got" != "$(host_ns "$t")" ] && echo yes || echo "no ($got)")
    is "$isnt_host" yes "requested namespace $t differs from the host's"
  else
    is "$got" "$(host_ns "$t")" "namespace $t, not requested, is the host's"
  fi
done
# The cgroup namespace is made once init is in the container's cgroup, so
# every hierarchy reads as its root inside ("4:memory:/", "0::/").
is "$(json_get "$report" '"ok" if all(l.endswith(":/") for l in r["cgroups"]) else r["cgroups"]')" ok \
  "inside its cgroup namespace the container sees each of its cgroups as /"

# A type left out is the host's: uts (without a hostname).
edit_config "$b" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "uts"]
c.pop("hostname", None)'
report n2
is "$status" 0 "run without a uts namespace"
is "$(json_get "$report" 'r["namespaces"]["uts"]')" "$(host_ns uts)" "without uts in the config, the host's uts namespace"
is "$(json_get "$report" 'r["hostname"]')" "$(uname -n)" "... and the host's hostname"
reset_config

# A time namespace with offsets.
if [ -e /proc/self/ns/time ]; then
  edit_config "$b" '
c["linux"]["namespaces"].append({"type": "time"})
c["linux"]["timeOffsets"] = {"boottime": {"secs": 864000, "nanosecs": 0}}'
  report n3
  is "$status" 0 "run with a time namespace"
  got=$(json_get "$report" 'r["namespaces"]["time"]')
  like "$got" '^time:\[' "the time namespace is reported"
  isnt_host=$([ "$got" != "$(host_ns time)" ] && echo yes || echo "no ($got)")
  is "$isnt_host" yes "the time namespace differs from the host's"
  set_args "$b" cat /proc/uptime
  run_urun run --bundle "$b" n4
  up=$(cut -d. -f1 <<<"$out")
  host_up=$(cut -d. -f1 /proc/uptime)
  ok "the boottime offset shows in /proc/uptime ($up vs $host_up)" \
    test "$((up - host_up))" -ge 863990 -a "$((up - host_up))" -le 864010
  reset_config
else
  skip "no time namespaces on this kernel"
fi

# Joining the namespaces of another container by path.
edit_config "$b" 'c["hostname"] = "first"; c["process"]["args"] = ["urun-test-helper", "pause"]'
run_urun run --detach --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/first.pid" first
is "$status" 0 "the first container runs"
fpid=$(cat "$URUN_TEST_TMPDIR/first.pid" 2>/dev/null)
reset_config
if [ "$rootless" = true ]; then
  # Another user namespace holds no privilege over the first one's uts
  # and net namespaces: join its user namespace too (no maps then).
  join='{"user": "user", "uts": "uts", "network": "net"}'
  extra='c["linux"].pop("uidMappings", None); c["linux"].pop("gidMappings", None)'
else
  join='{"uts": "uts", "network": "net"}'
  extra=''
fi
edit_config "$b" "
join = $join
c.pop('hostname', None)
for n in c['linux']['namespaces']:
    if n['type'] in join:
        n['path'] = '/proc/$fpid/ns/' + join[n['type']]
$extra"
report j1
is "$status" 0 "run joining the first container's namespaces by path"
for t in uts net; do
  is "$(json_get "$report" "r['namespaces']['$t']")" "$(readlink "/proc/$fpid/ns/$t")" \
    "joined the first container's $t namespace"
done
is "$(json_get "$report" 'r["hostname"]')" first "... and sees its hostname"
json_check "the namespaces not joined are new" "$report" "
assert r['namespaces']['mnt'] != '$(readlink "/proc/$fpid/ns/mnt")', r['namespaces']
assert r['namespaces']['ipc'] != '$(readlink "/proc/$fpid/ns/ipc")', r['namespaces']"
run_urun delete --force first
reset_config

# ---- PATH lookup ----------------------------------------------------------------
edit_config "$b" '
c["process"]["env"] = ["PATH=/nowhere:/usr/local/bin:/bin"]
c["process"]["args"] = ["urun-test-helper", "report"]'
report x1
is "$status" 0 "a bare args[0] is looked up in the config's PATH"
json_check "argv[0] stays as given" "$report" 'assert r["argv"][0] == "urun-test-helper", r["argv"]'
reset_config

# ---- session keyring ---------------------------------------------------------
# The caller gets a session keyring of its own first (a process without one
# sees its user's, which differs per user namespace), then runs the helper
# on the host and the container with --no-new-keyring.
in_session_keyring ()
{
  python3 -c '
import ctypes, os, sys
nr = {"x86_64": 250, "aarch64": 219}.get(os.uname().machine)
if nr is None:
    sys.exit("no keyctl syscall number for this machine")
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(nr, 1, None) < 0:  # KEYCTL_JOIN_SESSION_KEYRING, anonymous
    sys.exit("keyctl: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
report kr1
k1=$(json_get "$report" 'r["session_keyring"]["serial"]')
report kr2
k2=$(json_get "$report" 'r["session_keyring"]["serial"]')
like "$k1" '^[0-9]+$' "the container has a session keyring"
ok "each container its own ($k1, $k2)" test "$k1" != "$k2"
both=$(in_session_keyring bash -c '"$1" report; "$2" --root "$3" run --no-new-keyring --bundle "$4" kr3' \
         _ "$URUN_TEST_ROOTFS/bin/urun-test-helper" "$URUN" "$root" "$b")
caller=$(json_get "$(sed -n 1p <<<"$both")" 'r["session_keyring"]["serial"]')
k3=$(json_get "$(sed -n 2p <<<"$both")" 'r["session_keyring"]["serial"]')
like "$caller" '^[0-9]+$' "the caller has a session keyring"
is "$k3" "$caller" "--no-new-keyring keeps the caller's session keyring"
ok "by default, not the caller's ($k1, caller $caller)" test "$k1" != "$caller"
both=$(in_session_keyring bash -c '"$1" report; "$2" --root "$3" run --bundle "$4" kr4' \
         _ "$URUN_TEST_ROOTFS/bin/urun-test-helper" "$URUN" "$root" "$b")
caller=$(json_get "$(sed -n 1p <<<"$both")" 'r["session_keyring"]["serial"]')
k4=$(json_get "$(sed -n 2p <<<"$both")" 'r["session_keyring"]["serial"]')
ok "a new session keyring even when the caller has one ($k4, caller $caller)" \
  test -n "$k4" -a "$k4" != "$caller"

# ---- HOME ------------------------------------------------------------------------
# Without HOME in process.env, the user's home from the container's
# /etc/passwd (tester is uid 1000, home /home/tester; root's is /root).
edit_config "$b" '
c["process"]["env"] = [e for e in c["process"].get("env", []) if not e.startswith("HOME=")]
c["process"]["user"] = {"uid": 1000, "gid": 1000}'
report home1
ok "HOME from /etc/passwd for uid 1000" json_check_env "$report" "HOME=/home/tester"
edit_config "$b" 'c["process"]["user"] = {"uid": 4242, "gid": 4242}'
report home2
ok "HOME=/ for a uid /etc/passwd does not know" json_check_env "$report" "HOME=/"
edit_config "$b" '
c["process"]["user"] = {"uid": 0, "gid": 0}
c["process"]["env"].append("HOME=/somewhere")'
report home3
ok "a HOME the config sets is kept" json_check_env "$report" "HOME=/somewhere"
ok "... and not doubled" test "$(json_get "$report" 'sum(1 for e in r["env"] if e.startswith("HOME="))')" = 1

# ---- setgroups denied in urun's own user namespace ---------------------------
# Under `unshare -r` (a single-id map, setgroups "deny") no namespace below
# may call setgroups: a container runs without it, with a user namespace of
# its own or in urun's; groups it asks for are refused, naming them.
ub=$URUN_TEST_TMPDIR/unshared
mkdir -p "$ub" && cp -a "$URUN_TEST_ROOTFS" "$ub/rootfs"
in_unshared ()
{
  unshare -r -- "$@"
}
in_unshared "$URUN" spec --rootless --bundle "$ub" >/dev/null 2>&1
in_unshared cat /proc/self/setgroups >"$URUN_TEST_TMPDIR/sg" 2>/dev/null
if ! grep -q deny "$URUN_TEST_TMPDIR/sg" || [ ! -s "$ub/config.json" ]; then
  skip "unshare -r gives no namespace that denies setgroups here"
else
  edit_config "$ub" '
c["process"]["terminal"] = False
c["process"]["args"] = ["urun-test-helper", "report"]'
  cp "$ub/config.json" "$URUN_TEST_TMPDIR/config.unshared"
  for shape in userns no-userns; do
    cp "$URUN_TEST_TMPDIR/config.unshared" "$ub/config.json"
    [ "$shape" = no-userns ] && edit_config "$ub" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
c["linux"].pop("uidMappings", None)
c["linux"].pop("gidMappings", None)'
    o=$(in_unshared "$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$ub" sg-$shape 2>"$URUN_TEST_TMPDIR/sg.err")
    is "$?" 0 "under unshare -r, a container ($shape) runs though setgroups is denied"
    unlike "$(cat "$URUN_TEST_TMPDIR/sg.err")" 'setgroups' "... with no setgroups error"
    json_check "... as root of its namespace" "$o" 'assert r["uid"] == 0, r["uid"]'
  done
  edit_config "$ub" 'c["process"]["user"]["additionalGids"] = [5, 6]'
  in_unshared "$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$ub" sg-groups \
    >/dev/null 2>"$URUN_TEST_TMPDIR/sg.err"
  is "$?" 1 "under unshare -r, additionalGids that cannot be set are refused"
  like "$(cat "$URUN_TEST_TMPDIR/sg.err")" 'additionalGids: setgroups is denied.*groups 5, 6' \
    "... saying why and naming them"
  no_leftovers "... leaving nothing" "$ub" sg-groups
fi

done_testing
