#!/bin/bash
# test-lifecycle.sh: create, start, state, list, kill, delete and run, and
# the statuses a container goes through (DESIGN.md §4, §5).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

state_of ()
{
  run_urun state "$1"
  # In a command substitution: a failure would show only as ''.
  [ "$status" -eq 0 ] || echo "state_of $1: urun state exited $status: $err" >&2
  json_get "$out" 'r["status"]'
}

new_bundle b urun-test-helper pause || done_testing
b=$bundle
root=$URUN_TEST_STATE_ROOT

# ---- create -----------------------------------------------------------------
pidfile=$URUN_TEST_TMPDIR/c1.pid
run_urun create --bundle "$b" --pid-file "$pidfile" c1
is "$status" 0 "create exits 0"
is "$err" "" "create prints nothing on stderr"
ok "the pid file exists" test -s "$pidfile"
pid=$(cat "$pidfile" 2>/dev/null)
like "$pid" '^[0-9]+$' "the pid file holds a bare pid (no newline, nothing else)"
ok "the pid is a live process" test -d "/proc/$pid"
# Atomic: written through a temporary file renamed into place, so nothing
# else is left beside it.
left=("$URUN_TEST_TMPDIR"/c1.pid*)
is "${left[*]}" "$pidfile" "no temporary pid file left beside it"

run_urun state c1
is "$status" 0 "state exits 0"
json_check "state of a created container" "$out" "
assert r['ociVersion'].startswith('1.'), r
assert r['id'] == 'c1', r
assert r['status'] == 'created', r
assert r['pid'] == $pid, r
assert r['bundle'] == '$b', r
assert r['rootfs'] == '$b/rootfs', r
assert isinstance(r['created'], str) and r['created'][:2] == '20', r
assert 'owner' in r and 'annotations' in r, r
"
ok "exec.fifo exists while created" test -p "$root/c1/exec.fifo"

run_urun list
is "$status" 0 "list exits 0"
like "$out" "(^|
)c1 +$pid +created +$b " "list shows c1 created with its pid and bundle"
run_urun list --format json
json_check "list --format json shows c1" "$out" "
e = [x for x in r if x['id'] == 'c1']
assert len(e) == 1, r
assert e[0]['status'] == 'created' and e[0]['pid'] == $pid, e
"
run_urun list --quiet
is "$out" "c1" "list --quiet prints the id"

# ---- start ------------------------------------------------------------------
run_urun start c1
is "$status" 0 "start exits 0"
is "$(state_of c1)" running "state says running after start"
ok "exec.fifo is gone once started" test ! -e "$root/c1/exec.fifo"
ok "init is the payload now" test "$(cat "/proc/$pid/comm" 2>/dev/null)" = urun-test-helpe

run_urun start c1
is "$status" 1 "start of a running container exits 1"
like "$err" "running" "start of a running container names its status"
like "$err" "c1" "... and the container"

run_urun delete c1
is "$status" 1 "delete of a running container without --force fails"
like "$err" "running" "... naming its status"
is "$(state_of c1)" running "... and the container still runs"

# ---- kill, each signal spelling ---------------------------------------------
run_urun kill c1
is "$status" 0 "kill with the default signal exits 0"
ok "default signal is TERM: the container stops" wait_status c1 stopped
run_urun state c1
json_check "state of a dead init says stopped" "$out" "assert r['status'] == 'stopped', r"
ok "the state entry stays after the init died" test -d "$root/c1"
run_urun kill c1 KILL
is "$status" 1 "kill of a stopped container fails"
like "$err" "not running" "... saying it is not running"
run_urun start c1
is "$status" 1 "start of a stopped container fails"
like "$err" "stopped" "... naming the status"

run_urun delete c1
is "$status" 0 "delete of a stopped container"
ok "delete removes the state directory" test ! -e "$root/c1"
no_leftovers "nothing left of c1" "$b" c1
run_urun state c1
is "$status" 1 "state after delete fails"
like "$err" "container \`c1\` does not exist" "... container does not exist"

# Signals by name with SIG, without, and by number.  The helper's pause
# exits on TERM only (and dies of KILL); it takes USR1 and goes on.
kill_case ()
{
  local id=$1 sig=$2
  run_urun run --detach --bundle "$b" "$id"
  if [ "$status" -ne 0 ]; then
    is "$status" 0 "run --detach $id"
    return
  fi
  run_urun kill "$id" "$sig"
  is "$status" 0 "kill $id $sig exits 0"
  ok "kill $id $sig stops it" wait_status "$id" stopped
  run_urun delete "$id"
}
for case in "k1 SIGTERM" "k2 TERM" "k3 15" "k4 KILL" "k5 9" "k6 SIGKILL"; do
  # shellcheck disable=SC2086 # two words on purpose
  kill_case $case
done

# A signal the payload catches does not stop it.
run_urun run --detach --bundle "$b" k8
run_urun kill k8 USR1
is "$status" 0 "kill USR1 exits 0"
sleep 0.2
is "$(state_of k8)" running "the payload survives a caught SIGUSR1"
run_urun kill --all k8 KILL
is "$status" 0 "kill --all KILL exits 0"
ok "kill --all stops it" wait_status k8 stopped
run_urun delete k8

# kill --all reaches every process of the container, not only init: a shell
# init that ignores TERM with a child that does not.
# The trap comes after the fork: an ignored signal would be inherited.
new_bundle ball sh -c 'urun-test-helper pause /tmp/child-ready & trap "" TERM; wait; sleep 1000' \
  || done_testing
run_urun run --detach --bundle "$URUN_TEST_TMPDIR/ball" kall
ok "the child of the shell started" wait_for_file "$URUN_TEST_TMPDIR/ball/rootfs/tmp/child-ready"
run_urun kill --all kall TERM
is "$status" 0 "kill --all TERM exits 0"
# The child dies of TERM; the shell's wait returns and it goes on sleeping.
child_gone=no
for _ in $(seq 100); do
  if ! python3 - "$URUN_TEST_TMPDIR/ball/rootfs" <<'PY'
import os, sys
st = os.stat(sys.argv[1]); key = (st.st_dev, st.st_ino)
n = 0
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        s = os.stat("/proc/%s/root" % p)
        comm = open("/proc/%s/comm" % p).read().strip()
    except OSError:
        continue
    if (s.st_dev, s.st_ino) == key and comm.startswith("urun-test-help"):
        n += 1
sys.exit(1 if n == 0 else 0)
PY
  then
    child_gone=yes
    break
  fi
  sleep 0.05
done
is "$child_gone" yes "kill --all TERM killed the child that does not ignore TERM"
is "$(state_of kall)" running "init, which ignores TERM, still runs"
run_urun delete --force kall
is "$status" 0 "delete --force of a running container"
no_leftovers "nothing left of kall after delete --force" "$URUN_TEST_TMPDIR/ball" kall

# ---- delete --force ---------------------------------------------------------
run_urun create --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/f1.pid" f1
is "$status" 0 "create f1"
run_urun delete --force f1
is "$status" 0 "delete --force of a created container"
no_leftovers "nothing left of a created container after delete --force" "$b" f1

# Without --force, as runc's delete: a created container is deleted, its
# init killed (its process never ran); a running one is refused.
run_urun create --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/f0.pid" f0
is "$status" 0 "create f0"
f0pid=$(cat "$URUN_TEST_TMPDIR/f0.pid")
run_urun delete f0
is "$status" 0 "delete without --force of a created container"
ok "... kills its init" sh -c "! test -d /proc/$f0pid || grep -q '^State:.*Z' /proc/$f0pid/status"
no_leftovers "... and leaves nothing" "$b" f0

run_urun run --detach --bundle "$b" f2
is "$status" 0 "run --detach f2"
is "$(state_of f2)" running "f2 runs"
f2pid=$(json_get "$(cd / && "$URUN" --root "$root" state f2)" 'r["pid"]')
run_urun delete --force f2
is "$status" 0 "delete --force of a running container"
no_leftovers "nothing left of a running container after delete --force" "$b" f2
ok "its init is gone" test ! -d "/proc/$f2pid" -o "$(awk '{print $3}' "/proc/$f2pid/stat" 2>/dev/null)" = Z

run_urun delete --force never-existed
is "$status" 0 "delete --force of a container that does not exist succeeds"

# ---- run in the foreground --------------------------------------------------
set_args "$b" urun-test-helper exit 0
run_urun run --bundle "$b" r0
is "$status" 0 "run returns the payload's exit status 0"
ok "run without --keep removes the state" test ! -e "$root/r0"
no_leftovers "nothing left after run" "$b" r0

set_args "$b" urun-test-helper exit 3
run_urun run --bundle "$b" r3
is "$status" 3 "run returns the payload's exit status 3"
ok "... and removes the state" test ! -e "$root/r3"

# Killed by a signal: from the host, since the payload is the init of a pid
# namespace, which no signal but KILL and STOP reaches without a handler.
set_args "$b" urun-test-helper pause /tmp/r9-ready
"$URUN" --root "$root" run --bundle "$b" r9 >/dev/null 2>&1 &
fg=$!
if wait_for_file "$b/rootfs/tmp/r9-ready"; then
  run_urun kill r9 KILL
  wait "$fg"
  is "$?" 137 "run of a payload killed by SIGKILL exits 128+9"
else
  ok "the payload of r9 became ready" false
  kill -KILL "$fg"
  wait "$fg"
fi
ok "... and its state is removed" test ! -e "$root/r9"

# The payload's stdout goes to run's stdout.
set_args "$b" echo hello from the container
run_urun run --bundle "$b" recho
is "$out" "hello from the container" "the payload's stdout passes through run"

# A signal sent to the foreground run reaches the payload.
set_args "$b" urun-test-helper pause /tmp/fg-ready
rm -f "$b/rootfs/tmp/fg-ready"
"$URUN" --root "$root" run --bundle "$b" rfg >/dev/null 2>&1 &
fg=$!
if wait_for_file "$b/rootfs/tmp/fg-ready"; then
  kill -TERM "$fg"
  wait "$fg"
  is "$?" 143 "SIGTERM to a foreground run is forwarded: exit 143"
else
  ok "foreground payload became ready" false
  kill -KILL "$fg"
  wait "$fg"
fi
ok "... and its state is removed" test ! -e "$root/rfg"

# --keep
set_args "$b" urun-test-helper exit 5
run_urun run --keep --bundle "$b" rk
is "$status" 5 "run --keep returns the exit status"
ok "run --keep keeps the state" test -d "$root/rk"
is "$(state_of rk)" stopped "a kept container reads stopped"
run_urun delete rk
is "$status" 0 "delete of the kept container"
ok "... removes it" test ! -e "$root/rk"

# --detach returns while the payload runs.
set_args "$b" urun-test-helper pause /tmp/det-ready
rm -f "$b/rootfs/tmp/det-ready"
run_urun run --detach --bundle "$b" rd
is "$status" 0 "run --detach exits 0"
# The payload pauses forever: had run waited for it, it would not be back.
is "$(state_of rd)" running "run --detach returned while the container runs"
ok "the detached payload got going" wait_for_file "$b/rootfs/tmp/det-ready"
run_urun kill rd KILL
ok "it stops when killed" wait_status rd stopped
ok "a detached run keeps the state after exit" test -d "$root/rd"
run_urun delete rd
is "$status" 0 "delete rd"

# ---- pid reuse --------------------------------------------------------------
# A record whose pid is alive but belongs to another process (another start
# time) must read stopped.
if [ -n "${URUN_TEST_MKSTATE:-}" ]; then
  sleep 300 &
  sleeper=$!
  "$URUN_TEST_MKSTATE" --root "$root" --id reused --pid "$sleeper" --bundle "$b"
  is "$(state_of reused)" running "a record for a live process with its start time reads running"
  python3 - "$root/reused/state.json" <<'PY'
import json, sys
p = sys.argv[1]
with open(p) as f:
    s = json.load(f)
u = s["urun"]
u["initStartTime"] = str(int(u["initStartTime"]) + 12345) if isinstance(u["initStartTime"], str) else u["initStartTime"] + 12345
with open(p, "w") as f:
    json.dump(s, f)
PY
  is "$(state_of reused)" stopped "a record whose pid was reused (other start time) reads stopped"
  run_urun kill reused KILL
  is "$status" 1 "kill of a reused pid is refused"
  ok "... and the unrelated process lives" test -d "/proc/$sleeper"
  # Every command that signals or watches init goes through the one
  # verified identity (pid and start time, through a pidfd).
  run_urun kill --all reused KILL
  is "$status" 1 "kill --all of a reused pid is refused"
  run_urun exec reused true
  ok "exec into a reused pid is refused" test "$status" -ne 0
  run_urun events --stats reused
  ok "events of a reused pid is refused" test "$status" -ne 0
  run_urun start reused
  ok "start of a reused pid is refused" test "$status" -ne 0
  ok "... and after all of them the unrelated process lives" test -d "/proc/$sleeper"
  cp "$root/reused/state.json" "$URUN_TEST_TMPDIR/reused.json"
  run_urun delete --force reused
  is "$status" 0 "delete --force of a container whose pid was reused"
  ok "... leaves the unrelated process alive" test -d "/proc/$sleeper"
  "$URUN_TEST_MKSTATE" --root "$root" --id reused --pid "$sleeper" --bundle "$b"
  cp "$URUN_TEST_TMPDIR/reused.json" "$root/reused/state.json"
  run_urun delete reused
  is "$status" 0 "delete (no --force) of a container whose pid was reused"
  ok "... and the unrelated process still lives" test -d "/proc/$sleeper"
  kill "$sleeper"
  wait "$sleeper" 2>/dev/null

  # A record whose pid is dead.
  sh -c 'exit 0' &
  dead=$!
  sleep 300 &
  live=$!
  ok "a record of a live process" \
    "$URUN_TEST_MKSTATE" --root "$root" --id deadinit --pid "$live" --bundle "$b"
  kill "$live"; wait "$live" 2>/dev/null
  is "$(state_of deadinit)" stopped "a record whose init died reads stopped"
  run_urun delete deadinit
  is "$status" 0 "delete of it"
  wait "$dead" 2>/dev/null
else
  skip "URUN_TEST_MKSTATE not built: pid reuse"
fi

done_testing
