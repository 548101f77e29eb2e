#!/bin/bash
# test-runc-compat.sh: the command line and output of urun where scripts
# written for runc parse them (issue 10, item 3): --version, -h, list, ps,
# events, --debug records, run --keep, exec's options and exit statuses,
# --pid-file paths, seccomp's ENOSYS for syscalls newer than the profile, a
# rootfs whose /proc is a symlink, piped stdin, and consoleSize on exec.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

# ---- --version and -h --------------------------------------------------------
run_urun --version
like "$(printf '%s\n' "$out" | sed -n 1p)" '^urun version [0-9]+\.[0-9]+\.[0-9]+' \
  "--version: the first line is \"urun version X\", as runc's \"runc version X\""
like "$(printf '%s\n' "$out" | sed -n 2p)" '^spec: 1\.[0-9]+\.[0-9]+$' \
  "--version: the second line is \"spec: 1.x.y\""
for c in create start run exec kill delete state list ps pause resume update events spec \
  features restore; do
  run_urun "$c" -h
  is "$status" 0 "$c -h exits 0"
done

# ---- list --------------------------------------------------------------------
new_bundle lst urun-test-helper pause || done_testing
lst=$bundle
run_urun list
is "$out" "ID          PID         STATUS      BUNDLE      CREATED     OWNER" \
  "list: runc's header, laid out as runc's tabwriter (minimum width 12, padding 3)"
run_urun run -d --bundle "$lst" compat-a
is "$status" 0 "run -d a container to list"
pid=$(json_get "$(run_urun state compat-a; printf '%s' "$out")" 'r["pid"]')
run_urun list
json_check "list: columns start where the header's do, as with runc" \
  "$(python3 -c 'import json, sys; print(json.dumps(sys.stdin.read().splitlines()))' <<<"$out")" "
head, row = r[0], r[1]
starts = [head.index(h) for h in ('ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER')]
cells = row.split()
assert cells[0] == 'compat-a' and cells[1] == '$pid' and cells[2] == 'running', row
for s, cell in zip(starts, cells):
    assert row[s:s + len(cell)] == cell, (s, cell, row)
assert starts[1] == 12 and starts[2] == 24, starts"
run_urun list -q
is "$out" "compat-a" "list -q: the ids only"
run_urun list -f json
json_check "list -f json: runc's fields" "$out" "
assert isinstance(r, list) and len(r) == 1, r
c = r[0]
for k in ('ociVersion', 'id', 'pid', 'status', 'bundle', 'rootfs', 'created', 'owner'):
    assert k in c, (k, c)
assert c['id'] == 'compat-a' and c['pid'] == $pid and c['status'] == 'running', c
assert c['bundle'] == '$lst' and c['rootfs'] == '$lst/rootfs', c"

# ---- ps ----------------------------------------------------------------------
run_urun ps -f json compat-a
is "$out" "[$pid]" "ps -f json: a JSON array of the container's pids"
run_urun ps compat-a -- -o pid,comm
is "$status" 0 "ps ID -- -o pid,comm runs ps(1) with those arguments"
like "$(printf '%s\n' "$out" | sed -n 1p)" '^ *PID +COMMAND$' "ps: ps(1)'s header is kept"
like "$(printf '%s\n' "$out" | sed -n 2p)" "^ *$pid +urun-test-helpe" "ps: the container's process"
is "$(printf '%s\n' "$out" | wc -l)" 2 "ps: only the container's processes"

# ---- events ------------------------------------------------------------------
# Statistics need the container's cgroup, which a rootless container on a
# host without a delegated hierarchy does not have.
cgroup_of () { json_get "$(run_urun state "$1"; printf '%s' "$out")" "r['urun']['cgroup']['$2']"; }
if [ "$(cgroup_of compat-a driver)" = none ]; then
  skip "events: the container has no cgroup here ($(cgroup_of compat-a reason))"
else
  run_urun events --stats compat-a
  json_check "events --stats: one stats record, runc's envelope" "$out" "
assert r['type'] == 'stats' and r['id'] == 'compat-a', r
assert isinstance(r['data'], dict), r
assert 'pids' in r['data'] or r['data'] == {}, r
m = r['data'].get('memory')
if m is not None:
    # runc's names (types/events.go): usage{usage,limit,max,failcnt}, cache, raw
    assert set(m['usage']) >= {'usage', 'failcnt'}, m
    assert isinstance(m.get('raw'), dict) and m['raw'], m
    assert 'cache' in m, m
c = r['data'].get('cpu')
if c is not None:
    assert set(c['usage']) >= {'total', 'user', 'kernel'}, c"
  is "$(printf '%s\n' "$out" | wc -l)" 1 "events --stats prints one line"
  t0=$SECONDS
  lines=$(timeout 10 "$URUN" --root "$URUN_TEST_STATE_ROOT" events --interval 1s compat-a | head -n 3)
  is "$(printf '%s\n' "$lines" | grep -c '"type":"stats"')" 3 "events --interval 1s: a stats record each second"
  ok "events --interval 1s: three records in about 2 s ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 5
  run_urun events --interval 0s compat-a
  fails "events --interval 0s is refused" test "$status" -eq 0
fi

# ---- exec: options and exit statuses ----------------------------------------
edit_config "$lst" 'c["process"]["env"] = ["PATH=/bin:/usr/bin", "FOO=config", "BAR=kept"]'
run_urun run -d --bundle "$lst" compat-e
is "$status" 0 "run -d a container with FOO and BAR in process.env"
run_urun exec --env FOO=cli --env NEW=1 compat-e sh -c 'echo "$FOO $BAR $NEW"'
is "$out" "cli kept 1" "exec --env overrides a name of process.env and keeps the others"
run_urun exec compat-e sh -c 'echo "$FOO $BAR"'
is "$out" "config kept" "exec without --env: process.env"
run_urun exec --additional-gids 5 --additional-gids 7 compat-e id -G
like " $out " " 5 7 " "exec --additional-gids adds the supplementary groups"
run_urun exec --cgroup "" compat-e true
fails "exec --cgroup with an empty path is refused" test "$status" -eq 0

# --cgroup [CONTROLLER[,CONTROLLER...]:]PATH, as runc takes it.  Inside,
# with a cgroup namespace, /proc/self/cgroup is relative to the container's.
epid=$(json_get "$(run_urun state compat-e; printf '%s' "$out")" 'r["pid"]')
memline=$(grep -E '^[0-9]+:([^:]*,)?memory(,[^:]*)?:/.+' "/proc/$epid/cgroup")
pidsline=$(grep -E '^[0-9]+:([^:]*,)?pids(,[^:]*)?:/.+' "/proc/$epid/cgroup")
if [ "$(cgroup_of compat-e driver)" = none ]; then
  skip "exec --cgroup: the container has no cgroup here ($(cgroup_of compat-e reason))"
elif [ -z "$memline" ] || [ -z "$pidsline" ] || [ "$(id -u)" -ne 0 ]; then
  skip "exec --cgroup CONTROLLER:PATH: needs the v1 memory and pids hierarchies, as root"
else
  memdir=/sys/fs/cgroup/memory${memline##*:}
  pidsdir=/sys/fs/cgroup/pids${pidsline##*:}
  # Never below a hierarchy's root: only in the container's own cgroup.
  case "$memdir$pidsdir" in
    *urun*compat-e*urun*compat-e*) mkdir -p "$memdir/sub" "$pidsdir/sub" ;;
    *) diag "unexpected cgroups $memdir $pidsdir"; memdir= ;;
  esac
  run_urun exec --cgroup memory:/sub compat-e cat /proc/self/cgroup
  like "$out" "(^|
)[0-9]+:memory:(${memline##*:})?/sub(
|$)" "exec --cgroup memory:/sub: the memory hierarchy at the sub-cgroup"
  like "$out" "(^|
)[0-9]+:pids:(${pidsline##*:}|/)(
|$)" "exec --cgroup memory:/sub: the other hierarchies at the container's cgroup"
  run_urun exec --cgroup memory,pids:sub compat-e cat /proc/self/cgroup
  like "$out" "(^|
)[0-9]+:pids:(${pidsline##*:})?/sub(
|$)" "exec --cgroup memory,pids:sub: both hierarchies at the sub-cgroup"
  run_urun exec --cgroup memory:sub --cgroup pids:sub compat-e true
  is "$status" 0 "exec --cgroup twice, each with its controller"
  run_urun exec --cgroup memory:nosuch compat-e true
  is "$status" 255 "exec --cgroup CONTROLLER:PATH that does not exist fails"
  like "$err" "nosuch does not exist" "... saying which"
  run_urun exec --cgroup sub --cgroup pids:sub compat-e true
  is "$status" 1 "exec --cgroup: two values need their controllers"
  run_urun exec --cgroup bogus:sub compat-e true
  like "$err" "unknown cgroup v1 controller \`bogus\`" "exec --cgroup: an unknown controller is named"
  run_urun exec --cgroup a:b:c compat-e true
  is "$status" 1 "exec --cgroup a:b:c is refused"
  [ -n "$memdir" ] && rmdir "$memdir/sub" "$pidsdir/sub"
fi

run_urun exec nosuch true
is "$status" 255 "exec into a missing container: 255, runc's status for a runtime failure"
run_urun exec --no-such-option compat-e true
is "$status" 1 "exec with an unknown option: 1 (usage)"
run_urun exec compat-e /nonexistent
is "$status" 127 "exec of a missing program: 127, as podman and crun expect"
run_urun exec compat-e /etc
is "$status" 126 "exec of a directory: 126"
run_urun exec compat-e sh -c 'exit 255'
is "$status" 255 "exec: the process's own status 255 is passed through"

# exec into a paused container.
run_urun pause compat-e
if [ "$status" -ne 0 ]; then
  skip "pause is not possible here: $err"
  skip "pause is not possible here"
  skip "pause is not possible here"
else
  run_urun exec compat-e true
  is "$status" 255 "exec into a paused container: 255"
  like "$err" "cannot exec in a paused container" "exec into a paused container: runc's wording"
  ( sleep 2; "$URUN" --root "$URUN_TEST_STATE_ROOT" resume compat-e ) &
  run_urun exec --ignore-paused compat-e echo ran
  is "$status/$out" "0/ran" "exec --ignore-paused: the process runs once the container is resumed"
  wait
fi

# ---- --pid-file is relative to the caller's cwd --------------------------------
cwd=$URUN_TEST_TMPDIR/cwd
mkdir -p "$cwd"
(cd "$cwd" && "$URUN" --root "$URUN_TEST_STATE_ROOT" create --bundle "$lst" --pid-file c.pid compat-p1)
ok "create --pid-file c.pid writes it in the caller's cwd" test -s "$cwd/c.pid"
ok "create --pid-file c.pid: not in the bundle" test ! -e "$lst/c.pid"
(cd "$cwd" && "$URUN" --root "$URUN_TEST_STATE_ROOT" run -d --bundle "$lst" --pid-file r.pid compat-p2)
ok "run -d --pid-file r.pid writes it in the caller's cwd" test -s "$cwd/r.pid"
(cd "$cwd" && "$URUN" --root "$URUN_TEST_STATE_ROOT" exec -d --pid-file e.pid compat-p2 urun-test-helper pause)
ok "exec -d --pid-file e.pid writes it in the caller's cwd" test -s "$cwd/e.pid"
run_urun delete --force compat-p1
run_urun delete --force compat-p2

# ---- stdin that is no terminal --------------------------------------------------
new_bundle cat cat || done_testing
catb=$bundle
out=$(printf 'line1\nline2\n' | timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$catb" compat-cat)
is "$?/$out" "0/line1
line2" "run, terminal false, piped stdin: passed through, and its EOF ends the process"
out=$(printf 'in-exec\n' | timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" exec compat-e cat)
is "$?/$out" "0/in-exec" "exec, piped stdin: passed through, and its EOF ends the process"

# ---- consoleSize on exec --tty --console-socket --------------------------------
sock=$URUN_TEST_TMPDIR/exec-console.sock
python3 - "$lst/config.json" "$URUN_TEST_TMPDIR/process.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["process"]
p.update(terminal=True, args=["stty", "size"], consoleSize={"height": 17, "width": 61})
json.dump(p, open(sys.argv[2], "w"))
PY
python3 "$URUN_TEST_DIR/pty-harness.py" --console-socket "$sock" '[["expect", "61"]]' \
  >"$URUN_TEST_TMPDIR/recv.json" &
recv=$!
wait_for_file "$sock.ready"
run_urun exec -d --console-socket "$sock" --process "$URUN_TEST_TMPDIR/process.json" compat-e
is "$status" 0 "exec --tty --console-socket with a process.json"
wait "$recv"
json_check "exec: the pty has the process's consoleSize" "$(cat "$URUN_TEST_TMPDIR/recv.json")" '
assert r["error"] is None, r
assert "17 61" in r["output"], r["output"]'

# ---- --debug and --log-format json: records for run and exec ---------------------
log=$URUN_TEST_TMPDIR/debug.json
set_args "$catb" true
run_urun --debug --log "$log" --log-format json run --bundle "$catb" compat-dbg
is "$status" 0 "--debug run"
ok "--debug run: the log has debug records of the process" grep -q 'exited with status 0","level":"debug"' "$log"
: >"$log"
run_urun --debug --log "$log" --log-format json exec compat-e true
is "$status" 0 "--debug exec"
ok "--debug exec: the log has a debug record of the exec process" grep -q 'the exec process [0-9]* runs","level":"debug"' "$log"
ok "--debug: every line of the log is a JSON record" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    rec = json.loads(line)
    assert set(rec) >= {"msg", "level", "time"}, rec
' "$log"

# ---- with --log FILE, the caller owns stderr ----------------------------------
# containerd's runc shim (and conmon) pass the container's pipes as urun's
# stdio and read the log file: urun's warnings must not land in the
# container's stderr; the fatal error still goes to both, as with runc.
new_bundle logw sh -c 'echo payload-out; echo payload-err >&2' || done_testing
edit_config "$bundle" 'c["process"]["capabilities"] = {"bounding": ["CAP_KILL"],
  "permitted": ["CAP_KILL"], "effective": ["CAP_KILL", "CAP_CHOWN"]}'
wlog=$URUN_TEST_TMPDIR/warn.json
run_urun run --bundle "$bundle" compat-w1
like "$err" 'warning: .*not permitted' "without --log, a warning is on stderr"
run_urun --log "$wlog" --log-format json run --bundle "$bundle" compat-w2
is "$status:$out:$err" "0:payload-out:payload-err" "with --log, stderr holds only the container's own output"
ok "... and the log file holds no record at the default level" test ! -s "$wlog"
run_urun --log "$wlog" --log-format json --log-level warning run --bundle "$bundle" compat-w3
is "$err" payload-err "--log --log-level warning: nothing of urun's on stderr either"
ok "... the warning is in the log file" grep -q 'not permitted.*"level":"warning"' "$wlog"
run_urun --log "$wlog" --log-format json state compat-no-such
like "$err" 'does not exist' "with --log, the fatal error still goes to stderr"

# ---- run --keep ----------------------------------------------------------------
run_urun run --keep --bundle "$catb" compat-keep
is "$status" 0 "run --keep in the foreground"
run_urun state compat-keep
json_check "run --keep: the container is kept, stopped" "$out" 'assert r["status"] == "stopped", r'
run_urun delete compat-keep
is "$status" 0 "delete the kept container"
run_urun run --bundle "$catb" compat-nokeep
run_urun state compat-nokeep
fails "run without --keep deletes the container" test "$status" -eq 0

# ---- seccomp: ENOSYS for syscalls newer than the profile --------------------------
new_bundle sc urun-test-helper syscall nr 1000 || done_testing
scb=$bundle
edit_config "$scb" 'c["process"]["noNewPrivileges"] = True
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 71, "syscalls": [
  {"names": ["execve", "execveat", "brk", "arch_prctl", "set_tid_address",
             "set_robust_list", "rseq", "prlimit64", "mmap", "munmap", "mprotect",
             "readlink", "readlinkat", "uname", "getrandom", "write", "writev", "read",
             "exit", "exit_group", "fstat", "newfstatat", "statx", "ioctl", "openat",
             "close", "fcntl", "getpid", "gettid", "rt_sigaction", "rt_sigprocmask",
             "rt_sigreturn", "futex", "lseek", "access", "faccessat", "faccessat2",
             "getuid", "geteuid", "getgid", "getegid", "mremap", "madvise",
             "sched_getaffinity", "clock_gettime", "tgkill"],
   "action": "SCMP_ACT_ALLOW"}]}'
run_urun run --bundle "$scb" compat-sc1
is "$out" "errno 38 ENOSYS" "seccomp: a syscall above every one the profile names gets ENOSYS"
set_args "$scb" urun-test-helper syscall getppid
run_urun run --bundle "$scb" compat-sc2
is "$out" "errno 71 EPROTO" "seccomp: an older syscall the profile does not allow gets the default action"
edit_config "$scb" 'c["linux"]["seccomp"]["defaultAction"] = "SCMP_ACT_ALLOW"
del c["linux"]["seccomp"]["defaultErrnoRet"]
c["linux"]["seccomp"]["syscalls"] = [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]'
set_args "$scb" urun-test-helper syscall nr 1000
run_urun run --bundle "$scb" compat-sc3
is "$out" "errno 38 ENOSYS" "seccomp: with a default that allows, an unknown number is the kernel's ENOSYS"

# ---- a rootfs whose /proc is a symlink ----------------------------------------------
new_bundle procsym true || done_testing
ps_b=$bundle
rm -rf "$ps_b/rootfs/proc"
mkdir "$ps_b/rootfs/fakeproc"
ln -s /fakeproc "$ps_b/rootfs/proc"
run_urun run --bundle "$ps_b" compat-procsym
fails "a rootfs whose /proc is a symlink is refused" test "$status" -eq 0
like "$err" "symlink as the mount point of proc or sysfs \`/proc\`" "the error names /proc and why"
ok "nothing was mounted at the symlink's target" test -z "$(ls -A "$ps_b/rootfs/fakeproc")"
no_leftovers "a refused /proc symlink leaves nothing behind" "$ps_b" compat-procsym

# ---- OOM events ------------------------------------------------------------------
if [ "$(cgroup_of compat-e driver)" = none ]; then
  skip "OOM events: the container has no cgroup here ($(cgroup_of compat-e reason))"
else
  new_bundle oom sh -c 'urun-test-helper pause /tmp/ready' || done_testing
  oomb=$bundle
  edit_config "$oomb" 'c["linux"].setdefault("resources", {})["memory"] = {"limit": 33554432, "swap": 33554432}'
  run_urun run -d --bundle "$oomb" compat-oom
  is "$status" 0 "run -d a container with a 32 MiB memory limit"
  wait_for_file "$oomb/rootfs/tmp/ready"
  timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" events compat-oom >"$URUN_TEST_TMPDIR/events" &
  ev=$!
  sleep 1
  run_urun exec compat-oom dd if=/dev/zero of=/dev/null bs=64M count=1
  ok "the exec that needs 64 MiB was OOM-killed (status $status)" test "$status" -ne 0
  sleep 1
  run_urun kill compat-oom KILL
  wait "$ev"
  ok "events: an OOM record, runc's {\"type\":\"oom\"}" grep -q '"type":"oom","id":"compat-oom"' "$URUN_TEST_TMPDIR/events"
fi

done_testing
