#!/bin/bash
# test-timeouts.sh: no command waits forever for a peer that stopped
# answering (issue 10, item 2).  Each case makes a stuck peer, runs urun with
# URUN_PEER_TIMEOUT=2 (urun-timeout.h; the defaults are a minute or more)
# and checks that urun fails within the bound, names the peer, and leaves no
# container, process or mount behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

peer=$URUN_TEST_DIR/stuck-peer.py
bound=2
# Well below the default bounds (60 s and more), well above $bound.
limit=20

# start_peer MODE PATH: a stuck peer in the background; sets $peer_pid.
start_peer ()
{
  rm -f "$2" "$2.ready"
  python3 "$peer" "$1" "$2" &
  peer_pid=$!
  wait_for_file "$2.ready" || diag "stuck-peer.py $1 did not come up"
}

stop_peer ()
{
  kill "$peer_pid" 2>/dev/null
  wait "$peer_pid" 2>/dev/null
}

# timed ARGS...: run_urun ARGS with the short bound, under `timeout`, so
# that a hang fails the test instead of blocking it; sets $elapsed (s).
timed ()
{
  local t0=$SECONDS
  run_urun_env URUN_PEER_TIMEOUT=$bound "$@"
  elapsed=$((SECONDS - t0))
}

run_urun_env ()
{
  local o e
  o=$(mktemp "$URUN_TEST_TMPDIR/.out.XXXXXX")
  e=$(mktemp "$URUN_TEST_TMPDIR/.err.XXXXXX")
  _tap_last_urun="urun ${*:2}"
  env "$1" timeout "$limit" "$URUN" --root "$URUN_TEST_STATE_ROOT" "${@:2}" >"$o" 2>"$e"
  status=$?
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
}

# bounded DESC: the last timed command failed on its own, within the bound.
bounded ()
{
  ok "$1: exits non-zero" test "$status" -ne 0
  ok "$1: did not need to be killed (status $status)" test "$status" -ne 124
  ok "$1: gave up within the bound (${elapsed} s)" test "$elapsed" -le $((bound + 5))
}

# --- the console socket ------------------------------------------------------

sock=$URUN_TEST_TMPDIR/console.sock
new_bundle tty urun-test-helper pause || done_testing
edit_config "$bundle" 'c["process"]["terminal"] = True'

start_peer console "$sock"
timed run -d --console-socket "$sock" --bundle "$bundle" c1
bounded "run -d, console socket that never accepts"
like "$err" "console socket \`$sock\`: the receiver did not accept the connection within $bound s" \
  "run -d: the message names the console socket and the bound"
no_leftovers "run -d: nothing left behind" "$bundle" c1

timed create --console-socket "$sock" --bundle "$bundle" c2
bounded "create, console socket that never accepts"
like "$err" "console socket \`$sock\`" "create: the message names the console socket"
no_leftovers "create: nothing left behind" "$bundle" c2
stop_peer

# exec --tty into a running container, with the stuck receiver.
new_bundle plain urun-test-helper pause || done_testing
plain=$bundle
run_urun run -d --bundle "$plain" e1
is "$status" 0 "run -d a container for exec"
start_peer console "$sock"
timed exec --tty --console-socket "$sock" e1 urun-test-helper pause
bounded "exec --tty, console socket that never accepts"
like "$err" "console socket \`$sock\`: the receiver did not accept" \
  "exec: the message names the console socket"
run_urun ps -f json e1
is "$out" "[$(cat "/proc/$(json_get "$(run_urun state e1; echo "$out")" 'r["pid"]')/stat" 2>/dev/null | cut -d' ' -f1)]" \
  "exec: no exec process left in the container"
stop_peer
run_urun delete --force e1

# --- NOTIFY_SOCKET -----------------------------------------------------------

nsock=$URUN_TEST_TMPDIR/notify.sock

# A container that never sends READY=1.
new_bundle never urun-test-helper pause || done_testing
never=$bundle
python3 "$URUN_TEST_DIR/notify-recv.py" "$nsock" "$URUN_TEST_TMPDIR/notify.out" &
recv_pid=$!
wait_for_file "$URUN_TEST_TMPDIR/notify.out.ready"
NOTIFY_SOCKET=$nsock timed run -d --bundle "$never" n1
bounded "run -d, a container that never sends READY=1"
like "$err" "did not send READY=1 within $bound s" "run -d: the message says READY=1 did not come"
no_leftovers "run -d without READY=1: nothing left behind" "$never" n1

NOTIFY_SOCKET=$nsock run_urun create --bundle "$never" n2
is "$status" 0 "create a container that never sends READY=1"
NOTIFY_SOCKET=$nsock timed start n2
bounded "start, a container that never sends READY=1"
like "$err" "did not send READY=1" "start: the message says READY=1 did not come"
ok "start: the payload that never got ready was killed" wait_status n2 stopped 5
run_urun delete n2

# EXTEND_TIMEOUT_USEC= gives it longer, as systemd does.
new_bundle slow sh -c 'urun-test-helper notify EXTEND_TIMEOUT_USEC=8000000; sleep 4; urun-test-helper notify READY=1; exec urun-test-helper pause' || done_testing
slow=$bundle
NOTIFY_SOCKET=$nsock timed run -d --bundle "$slow" n3
is "$status" 0 "run -d: EXTEND_TIMEOUT_USEC= extends the wait for READY=1"
ok "run -d waited past the bound for READY=1 (${elapsed} s)" test "$elapsed" -ge 4
run_urun delete --force n3
kill "$recv_pid" 2>/dev/null
wait "$recv_pid" 2>/dev/null

# A reader whose queue is full: READY=1 cannot be delivered.
new_bundle ready urun-test-helper notify READY=1 || done_testing
ready=$bundle
set_args "$ready" sh -c 'urun-test-helper notify READY=1; exec urun-test-helper pause'
start_peer notify "$nsock"
NOTIFY_SOCKET=$nsock timed run -d --bundle "$ready" n4
bounded "run -d, a NOTIFY_SOCKET reader that never reads"
like "$err" "NOTIFY_SOCKET \`$nsock\`: the receiver did not take READY=1 within $bound s" \
  "run -d: the message names the NOTIFY_SOCKET"
no_leftovers "run -d, stuck NOTIFY_SOCKET: nothing left behind" "$ready" n4
stop_peer

# --- the sync socket with init, and exec.fifo ---------------------------------

# An init that never reports: a createContainer hook (no timeout of its
# own) that hangs.
new_bundle hang urun-test-helper pause || done_testing
hang=$bundle
edit_config "$hang" 'c["hooks"] = {"createContainer": [{"path": "/bin/sleep", "args": ["sleep", "600"]}]}'
timed create --bundle "$hang" s1
bounded "create, an init that never reports"
like "$err" "the container's init did not answer within $bound s" \
  "create: the message says init did not answer"
no_leftovers "create, stuck init: nothing left behind" "$hang" s1

# A hook's own timeout extends the bound: a createContainer hook that takes
# 3 s with a timeout of 10 s is waited for.
edit_config "$hang" 'c["hooks"] = {"createContainer": [{"path": "/bin/sleep", "args": ["sleep", "3"], "timeout": 10}]}'
timed create --bundle "$hang" s0
is "$status" 0 "create: a hook that takes longer than the bound but not its own timeout"
run_urun delete --force s0

# An init that never runs its process after `start` released it.
edit_config "$hang" 'c["hooks"] = {"startContainer": [{"path": "/bin/sleep", "args": ["sleep", "600"]}]}'
run_urun create --bundle "$hang" s2
is "$status" 0 "create a container whose startContainer hook hangs"
timed start s2
bounded "start, an init that never runs its process"
like "$err" "did not run its process within $bound s" "start: the message says init did not exec"
run_urun delete --force s2
no_leftovers "start, stuck init: nothing left behind after delete" "$hang" s2

done_testing
