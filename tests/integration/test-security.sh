#!/bin/bash
# test-security.sh: the security profile of the container's process
# (capabilities, noNewPrivileges, seccomp with every action and a notify
# listener, AppArmor/SELinux asked for without the LSM, personality,
# scheduler, ioPriority, execCPUAffinity, memoryPolicy), checked on the test
# helper's report and its `syscall` subcommand; and the regression tests of
# CVE-2019-5736 (overwriting the runtime through /proc/<pid>/exe).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

rootless=false
[ "$URUN_TEST_MODE" = rootless ] && rootless=true

new_bundle b || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# run_in ID ARGS...: process.args = ARGS, runs in the foreground; leaves
# $status, $out and $err.
run_in ()
{
  local id=$1
  shift
  set_args "$b" "$@"
  run_urun run --bundle "$b" "$id"
}

urun_sum_before=$(sha256sum "$URUN" | cut -d' ' -f1)

# ---- capabilities ------------------------------------------------------------
# The default config: CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE
# (10) and noNewPrivileges.  Root in the container gets the bounding set as
# permitted and effective at execve.
run_in caps-default urun-test-helper report
is "$status" 0 "default config runs"
json_check "default capabilities exact, no_new_privs" "$out" '
c = r["capabilities"]
want = "%016x" % ((1 << 29) | (1 << 5) | (1 << 10))
assert (c["CapBnd"], c["CapPrm"], c["CapEff"]) == (want, want, want), c
assert (c["CapInh"], c["CapAmb"]) == ("0" * 16, "0" * 16), c
assert r["no_new_privs"] == 1, r["no_new_privs"]'

# A non-root user keeps only what is ambient across execve; every set is
# exactly the config's.
edit_config "$b" '
p = c["process"]
p["user"] = {"uid": 1000, "gid": 1000}
p["noNewPrivileges"] = False
p["capabilities"] = {
  "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
  "permitted": ["CAP_KILL", "CAP_NET_RAW"],
  "effective": ["CAP_KILL", "CAP_NET_RAW"],
  "inheritable": ["CAP_KILL", "CAP_NET_RAW"],
  "ambient": ["CAP_NET_RAW"]}'
run_in caps-user urun-test-helper report
is "$status" 0 "uid 1000 with ambient capabilities runs"
json_check "five sets exact for uid 1000" "$out" '
c = r["capabilities"]
assert r["uid"] == 1000, r["uid"]
assert c["CapBnd"] == "%016x" % ((1 << 0) | (1 << 5) | (1 << 13)), c
assert c["CapInh"] == "%016x" % ((1 << 5) | (1 << 13)), c
assert c["CapPrm"] == c["CapEff"] == c["CapAmb"] == "%016x" % (1 << 13), c
assert r["no_new_privs"] == 0, r["no_new_privs"]'
is "$err" "" "no warning for a consistent set"

# An empty object: nothing at all, even for root.
reset_config
edit_config "$b" 'c["process"]["capabilities"] = {}'
run_in caps-none urun-test-helper report
json_check "capabilities {} leaves root with none" "$out" '
c = r["capabilities"]
assert all(v == "0" * 16 for v in c.values()), c'

# What cannot be granted is a warning, once, and the container runs.
reset_config
edit_config "$b" '
c["process"]["capabilities"] = {"bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"],
                                "effective": ["CAP_KILL", "CAP_CHOWN", "CAP_FOWNER"]}'
run_in caps-warn urun-test-helper report
is "$status" 0 "capabilities that cannot be granted do not fail the run"
like "$err" "warning.*not permitted, skipped: CAP_CHOWN, CAP_FOWNER" "one warning names them"
is "$(grep -c 'skipped' <<<"$err")" 1 "exactly one warning"
json_check "the grantable part is applied" "$out" '
assert r["capabilities"]["CapBnd"] == "%016x" % (1 << 5), r["capabilities"]'

# A name that is no capability is warned about and ignored (runtime-spec
# 1.1, as runc and crun do).
reset_config
edit_config "$b" 'c["process"]["capabilities"] = {"bounding": ["CAP_NO_SUCH", "CAP_KILL"]}'
run_in caps-bad urun-test-helper report
is "$status" 0 "an unknown capability name does not fail the run"
like "$err" "warning.*unknown capabilities, ignored: CAP_NO_SUCH" "... a warning names it"
json_check "... and the known ones are applied" "$out" '
assert r["capabilities"]["CapBnd"] == "%016x" % (1 << 5), r["capabilities"]'

# ---- seccomp -----------------------------------------------------------------
# seccomp_config PYTHON-DICT [NNP]: linux.seccomp = the dict.
seccomp_config ()
{
  reset_config
  edit_config "$b" "c['linux']['seccomp'] = $1; c['process']['noNewPrivileges'] = ${2:-True}"
}

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
run_in sc-errno urun-test-helper syscall mkdir /tmp/blocked
is "$out" "errno 13 EACCES" "ERRNO with errnoRet: mkdir gets EACCES"
run_in sc-errno2 mkdir /tmp/blocked2
like "$err" "Permission denied" "busybox mkdir sees it too"
ok "nothing was created" test ! -e "$b/rootfs/tmp/blocked" -a ! -e "$b/rootfs/tmp/blocked2"
run_in sc-errno3 urun-test-helper report
json_check "report: seccomp mode 2 with one filter" "$out" '
assert r["seccomp"] == 2 and r["seccomp_filters"] == 1, (r["seccomp"], r["seccomp_filters"])'

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}' False
edit_config "$b" 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
run_in sc-nonnp urun-test-helper syscall mkdir /tmp/blocked
is "$out" "errno 1 EPERM" "without noNewPrivileges (loaded while CAP_SYS_ADMIN is held), default EPERM"
run_in sc-nonnp2 urun-test-helper report
json_check "no_new_privs 0, filter on, uid 1000" "$out" '
assert (r["no_new_privs"], r["seccomp"], r["uid"]) == (0, 2, 1000), r'

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
run_in sc-kill urun-test-helper syscall getppid
is "$status" 159 "KILL_PROCESS: killed by SIGSYS (128+31)"
is "$out" "" "before it could print"

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getppid"], "action": "SCMP_ACT_TRAP"}]}'
run_in sc-trap urun-test-helper syscall getppid
is "$status" 159 "TRAP: SIGSYS (uncaught: 128+31)"

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getppid"], "action": "SCMP_ACT_LOG"}]}'
run_in sc-log urun-test-helper syscall getppid
is "$out" "ok" "LOG lets the call through"

seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getppid"], "action": "SCMP_ACT_TRACE", "errnoRet": 3}]}'
run_in sc-trace urun-test-helper syscall getppid
is "$out" "errno 38 ENOSYS" "TRACE without a tracer: ENOSYS"

# A default ERRNO with an allow list: what the static helper and execve
# need is allowed; getppid is not.
seccomp_config '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 71, "syscalls": [
  {"names": ["execve", "execveat", "brk", "arch_prctl", "set_tid_address",
             "set_robust_list", "rseq", "prlimit64", "mmap", "munmap", "mprotect",
             "readlink", "readlinkat", "uname", "getrandom", "write", "writev", "read",
             "exit", "exit_group", "fstat", "newfstatat", "statx", "ioctl", "openat",
             "close", "fcntl", "getpid", "gettid", "rt_sigaction", "rt_sigprocmask",
             "rt_sigreturn", "futex", "lseek", "access", "faccessat", "faccessat2",
             "getuid", "geteuid", "getgid", "getegid", "mremap", "madvise",
             "sched_getaffinity", "clock_gettime", "tgkill"],
   "action": "SCMP_ACT_ALLOW"}]}'
run_in sc-default urun-test-helper syscall getppid
is "$out" "errno 71 EPROTO" "default ERRNO with defaultErrnoRet, allow list"

# MASKED_EQ with valueTwo: (which & 0xf0) == 0x10.
seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 11,
   "args": [{"index": 0, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
run_in sc-masked urun-test-helper syscall getpriority 0x13 0
is "$out" "errno 11 EAGAIN" "MASKED_EQ matches 0x13"
run_in sc-masked2 urun-test-helper syscall getpriority 0x23 0
is "$out" "errno 22 EINVAL" "MASKED_EQ does not match 0x23 (the kernel answers)"

# Architectures, unknown names skipped, flags.
seccomp_config '{"defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"],
  "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
  "syscalls": [{"names": ["no_such_syscall_xyz", "mkdir", "mkdirat"],
                "action": "SCMP_ACT_ERRNO", "errnoRet": 30}]}'
run_in sc-arch urun-test-helper syscall mkdir /tmp/x
is "$status" 0 "architectures, flags and an unknown syscall name are accepted"
is "$out" "errno 30 EROFS" "and the known names are filtered"

# ---- seccomp notify ----------------------------------------------------------
# A listener per the runtime-spec: takes one connection, the state JSON and
# the fd (SCM_RIGHTS), saves the JSON, then answers one notification with
# EXDEV (18) through the fd.
listener=$URUN_TEST_TMPDIR/listener.sock
cat >"$URUN_TEST_TMPDIR/listener.py" <<'PY'
import array, fcntl, json, os, socket, struct, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
open(out + ".ready", "w").close()
s.settimeout(30)
conn, _ = s.accept()
fds = array.array("i")
data, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(4 * fds.itemsize))
for level, kind, payload in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
while True:
    more = conn.recv(65536)
    if not more:
        break
    data += more
state = json.loads(data)
state["_received_fds"] = len(fds)
with open(out, "w") as f:
    json.dump(state, f)
if len(fds) != 1:
    sys.exit(1)
# struct seccomp_notif (80 bytes) / seccomp_notif_resp (24 bytes).
NOTIF_RECV, NOTIF_SEND = 0xC0502100, 0xC0182101
buf = bytearray(80)
fcntl.ioctl(fds[0], NOTIF_RECV, buf)
notif_id, pid, flags, nr = struct.unpack_from("=QIIi", buf)
resp = bytearray(struct.pack("=QqiI", notif_id, 0, -18, 0))
fcntl.ioctl(fds[0], NOTIF_SEND, resp)
with open(out + ".answered", "w") as f:
    f.write(str(nr))
PY
seccomp_config "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$listener',
  'listenerMetadata': 'urun-test-meta', 'syscalls': [
  {'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_NOTIFY'}]}"
python3 "$URUN_TEST_TMPDIR/listener.py" "$listener" "$URUN_TEST_TMPDIR/notify.json" &
listener_pid=$!
wait_for_file "$URUN_TEST_TMPDIR/notify.json.ready" 10
run_in sc-notify urun-test-helper syscall mkdir /tmp/notified
is "$status" 0 "NOTIFY: the container runs"
is "$out" "errno 18 EXDEV" "the listener answered the notified mkdir through the fd"
wait "$listener_pid"
is "$?" 0 "the listener got exactly one fd"
json_check "the container process state follows the spec" "$(cat "$URUN_TEST_TMPDIR/notify.json" 2>/dev/null)" '
assert r["fds"] == ["seccompFd"], r
assert r["metadata"] == "urun-test-meta", r
assert r["ociVersion"] and isinstance(r["pid"], int) and r["pid"] > 0, r
s = r["state"]
assert s["id"] == "sc-notify" and s["status"] == "creating" and s["pid"] == r["pid"], s
assert s["bundle"].endswith("/b"), s'
ok "nothing was created" test ! -e "$b/rootfs/tmp/notified"

# Without noNewPrivileges the filter loads before the uid change; its fd
# takes the same way out.
rm -f "$listener" "$URUN_TEST_TMPDIR"/notify.json*
edit_config "$b" 'c["process"]["noNewPrivileges"] = False'
python3 "$URUN_TEST_TMPDIR/listener.py" "$listener" "$URUN_TEST_TMPDIR/notify.json" &
listener_pid=$!
wait_for_file "$URUN_TEST_TMPDIR/notify.json.ready" 10
run_in sc-notify2 urun-test-helper syscall mkdir /tmp/notified
is "$out" "errno 18 EXDEV" "NOTIFY without noNewPrivileges: answered by the listener too"
wait "$listener_pid"
is "$?" 0 "the listener got exactly one fd"

# Nobody listening: create fails loudly and leaves nothing behind.
rm -f "$listener"
set_args "$b" urun-test-helper report
run_urun create --bundle "$b" sc-nolistener
isnt_zero=$([ "$status" -ne 0 ] && echo yes)
is "$isnt_zero" yes "NOTIFY with nobody at listenerPath fails create"
like "$err" "listenerPath.*connect" "and says why"
no_leftovers "a failed notify hand-over leaves nothing" "$b" sc-nolistener

# ---- LSMs asked for where they are absent -------------------------------------
reset_config
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
  skip "AppArmor is enabled on this host"
else
  edit_config "$b" 'c["process"]["apparmorProfile"] = "urun-test-profile"'
  set_args "$b" urun-test-helper report
  run_urun create --bundle "$b" aa
  like "$status/$err" "^[1-9][0-9]*/.*apparmorProfile.*AppArmor is not enabled" \
    "apparmorProfile without AppArmor: create fails and says why"
  no_leftovers "nothing left of it" "$b" aa
fi
reset_config
if [ -e /sys/fs/selinux/enforce ]; then
  skip "SELinux is enabled on this host"
else
  edit_config "$b" 'c["process"]["selinuxLabel"] = "system_u:system_r:container_t:s0"'
  set_args "$b" urun-test-helper report
  run_urun create --bundle "$b" se
  like "$status/$err" "^[1-9][0-9]*/.*selinuxLabel.*SELinux is not enabled" \
    "selinuxLabel without SELinux: create fails and says why"
  no_leftovers "nothing left of it" "$b" se
fi

# ---- personality, scheduler, I/O priority, CPUs, memory policy ---------------
reset_config
edit_config "$b" 'c["linux"]["personality"] = {"domain": "LINUX32"}'
run_in pers uname -m
like "$out" "^i[3-6]86$" "LINUX32: uname -m shows a 32-bit machine"
run_in pers2 urun-test-helper report
json_check "report: personality PER_LINUX32" "$out" 'assert r["personality"] == 8, r["personality"]'

reset_config
edit_config "$b" '
c["process"]["scheduler"] = {"policy": "SCHED_BATCH", "nice": 7}
c["process"]["ioPriority"] = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
run_in sched urun-test-helper report
is "$status" 0 "scheduler and ioPriority"
json_check "SCHED_BATCH, nice 7, I/O best-effort level 6" "$out" '
assert (r["sched_policy"], r["nice"]) == (3, 7), (r["sched_policy"], r["nice"])
assert r["ioprio"] == (2 << 13) | 6, r["ioprio"]'

if ! $rootless; then
  # A negative nice needs CAP_SYS_NICE of the host.
  edit_config "$b" 'c["process"]["scheduler"] = {"policy": "SCHED_OTHER", "nice": -5}
c["process"]["ioPriority"] = {"class": "IOPRIO_CLASS_IDLE"}'
  run_in sched2 urun-test-helper report
  json_check "root: nice -5 and the idle I/O class" "$out" '
assert (r["sched_policy"], r["nice"]) == (0, -5), (r["sched_policy"], r["nice"])
assert r["ioprio"] >> 13 == 3, r["ioprio"]'
fi

host_cpus=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
if [ "$host_cpus" = "0-1" ] || [[ $host_cpus =~ ^0-([2-9]|[1-9][0-9]+)$ ]]; then
  reset_config
  edit_config "$b" 'c["process"]["execCPUAffinity"] = {"initial": "0", "final": "1"}'
  run_in cpus urun-test-helper report
  json_check "execCPUAffinity.final applies to the process" "$out" '
assert r["cpus_allowed_list"] == "1", r["cpus_allowed_list"]'
  edit_config "$b" 'c["process"]["execCPUAffinity"] = {"initial": "1"}'
  run_in cpus2 urun-test-helper report
  json_check "without final, the process gets every CPU again" "$out" "
assert r['cpus_allowed_list'] == '$host_cpus', r['cpus_allowed_list']"
else
  skip "execCPUAffinity needs CPUs 0 and 1 (have $host_cpus)"
  skip "execCPUAffinity needs CPUs 0 and 1 (have $host_cpus)"
fi

reset_config
edit_config "$b" 'c["linux"]["memoryPolicy"] = {"mode": "MPOL_BIND", "nodes": "0"}'
run_in mpol urun-test-helper report
if [ "$status" -ne 0 ] && [[ $err == *"memory policy"*"Function not implemented"* ]]; then
  skip "no NUMA support in this kernel"
else
  json_check "memoryPolicy MPOL_BIND on node 0" "$out" 'assert r["mempolicy_mode"] == 2, r["mempolicy_mode"]'
fi

# ---- CVE-2019-5736: the runtime binary through /proc/<pid>/exe --------------
reset_config
set_args "$b" urun-test-helper report
run_urun create --bundle "$b" cve
is "$status" 0 "create (init waits on exec.fifo)"
run_urun state cve
init_pid=$(json_get "$out" 'r["pid"]')
helper=$URUN_TEST_ROOTFS/bin/urun-test-helper
exe_open=$("$helper" syscall open-wronly "/proc/$init_pid/exe")
like "$exe_open" "^errno [0-9]+ (EACCES|ETXTBSY|EPERM)$" \
  "a host process of the same user cannot open /proc/<init>/exe for writing ($exe_open)"
if $rootless; then
  fd_open=$("$helper" syscall open-rdonly "/proc/$init_pid/fd")
  like "$fd_open" "^errno [0-9]+ (EACCES|EPERM)$" \
    "nor read /proc/<init>/fd: init is not dumpable ($fd_open)"
  exe_read=$("$helper" syscall open-rdonly "/proc/$init_pid/exe")
  like "$exe_read" "^errno [0-9]+ (EACCES|EPERM)$" "nor even open its exe for reading"
else
  # Root of the host may look (CAP_SYS_PTRACE), but the binary is busy.
  skip "root of the host may read /proc/<init>/fd"
  skip "root of the host may read /proc/<init>/exe"
fi
run_urun delete --force cve

# A startContainer hook runs in the container as its root, a child of init
# before execve, whose /proc/1/exe is urun itself; and the process then
# tries its own /proc/self/exe.
reset_config
edit_config "$b" '
c["hooks"] = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c",
  "urun-test-helper syscall open-wronly /proc/1/exe > /tmp/hook-exe; "
  "urun-test-helper syscall open-rdonly /proc/1/fd/0 > /tmp/hook-fd; "
  "echo pwned > /proc/1/exe 2>/dev/null; echo $? > /tmp/hook-echo"]}]}'
run_in cve-hook urun-test-helper syscall open-wronly /proc/self/exe
is "$status" 0 "a container whose hook and process attack /proc/*/exe still runs"
like "$out" "^errno [0-9]+ (ETXTBSY|EACCES)$" "the process cannot open /proc/self/exe for writing ($out)"
like "$(cat "$b/rootfs/tmp/hook-exe" 2>/dev/null)" "^errno [0-9]+ (ETXTBSY|EACCES|EPERM)$" \
  "a startContainer hook cannot open init's /proc/1/exe for writing"
# (Root of a container without a user namespace may list the directory,
# which it owns; the links in it need ptrace access, which a non-dumpable
# init denies to anyone without CAP_SYS_PTRACE.)
like "$(cat "$b/rootfs/tmp/hook-fd" 2>/dev/null)" "^errno [0-9]+ (EACCES|EPERM)$" \
  "nor open init's fds through /proc/1/fd"
isnt_zero=$([ "$(cat "$b/rootfs/tmp/hook-echo" 2>/dev/null)" != 0 ] && echo yes)
is "$isnt_zero" yes "a shell redirection into /proc/1/exe fails"
is "$(sha256sum "$URUN" | cut -d' ' -f1)" "$urun_sum_before" "the urun binary is unchanged"

done_testing
