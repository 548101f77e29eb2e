#!/bin/bash
# test-terminal.sh: process.terminal.  A foreground `run` on a real pty
# (pty-harness.py): the container's pty, /dev/console, sizes and resizes,
# Ctrl-C and `kill` of urun reaching the container, the exit status, and
# urun's terminal modes restored.  Detached containers: the pty master sent
# to --console-socket, driving an interactive shell through it, and the
# errors (no socket, a socket nobody listens on) leaving nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
harness=$URUN_TEST_DIR/pty-harness.py

new_bundle t || done_testing
b=$bundle
edit_config "$b" 'c["process"]["terminal"] = True' || done_testing
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# on_pty ROWS COLS STEPS URUN-ARGS...: runs urun on a new pty of that size,
# scripted by STEPS (see pty-harness.py); leaves its JSON in $pty.
on_pty ()
{
  local rows=$1 cols=$2 steps=$3
  shift 3
  pty=$(python3 "$harness" --rows "$rows" --cols "$cols" "$steps" -- \
          "$URUN" --root "$root" "$@")
}

pty_field () { json_get "$pty" "r[\"$1\"]"; }
isnt_zero () { [ "$1" -ne 0 ]; }

# ---- foreground: the terminal the process gets -------------------------------
set_args "$b" sh -c 'tty; stty size
[ "$(stat -c %t:%T /dev/console)" = "$(stat -c %t:%T "$(tty)")" ] && echo console-is-tty
[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-is-tty; exit 7'
on_pty 30 100 '[]' run --bundle "$b" fg1
is "$(pty_field error)" "null" "foreground run on a pty completes"
is "$(pty_field status)" 7 "the container's exit status is urun's"
out=$(pty_field output)
like "$out" $'/dev/pts/[0-9]+\r\n' "the process's terminal is a pty of the container's devpts"
like "$out" $'\r\n30 100\r\n' "urun's window size is the container's"
like "$out" "console-is-tty" "/dev/console is the container's terminal"
like "$out" "stdio-is-tty" "fds 0, 1 and 2 are the terminal"
is "$(pty_field modes_after)" "$(pty_field modes_before)" "urun's terminal modes are restored"
no_leftovers "nothing left of fg1" "$b" fg1

# ---- the terminal belongs to the process's user -----------------------------
edit_config "$b" 'c["process"]["user"] = {"uid": 1000, "gid": 1000}'
set_args "$b" sh -c 'echo "owner=$(stat -c %u "$(tty)") uid=$(id -u)"'
on_pty 24 80 '[]' run --bundle "$b" own1
like "$(pty_field output)" "owner=1000 uid=1000" "the pty slave is owned by process.user.uid"
is "$(pty_field status)" 0 "run as uid 1000 on a terminal"
reset_config

# ---- Ctrl-C and kill -TERM of urun reach the container ---------------------
rm -f "$b/rootfs/tmp/ready"
set_args "$b" urun-test-helper pause /tmp/ready
on_pty 24 80 "[[\"wait_file\", \"$b/rootfs/tmp/ready\"], [\"send\", \"\\u0003\"], [\"expect\", \"SIGINT\"],
               [\"kill\", \"HUP\"], [\"expect\", \"SIGHUP\"], [\"kill\", \"USR1\"], [\"expect\", \"SIGUSR1\"],
               [\"kill\", \"TERM\"]]" run --bundle "$b" sig1
is "$(pty_field error)" "null" "the signal script ran"
out=$(pty_field output)
like "$out" "SIGINT" "Ctrl-C on urun's terminal reaches the container as SIGINT"
like "$out" "SIGHUP" "kill -HUP of urun reaches the container"
like "$out" "SIGUSR1" "kill -USR1 of urun reaches the container"
like "$out" "SIGTERM" "kill -TERM of urun reaches the container"
is "$(pty_field status)" 143 "urun exits with the container's 143"
is "$(pty_field modes_after)" "$(pty_field modes_before)" "modes restored after a signal"
no_leftovers "nothing left of sig1" "$b" sig1

# ---- resizes are seen inside -----------------------------------------------
rm -f "$b/rootfs/tmp/ready"
set_args "$b" sh -c 'trap "stty size" WINCH; trap "exit 9" TERM; touch /tmp/ready; while :; do sleep 0.1; done'
on_pty 24 80 "[[\"wait_file\", \"$b/rootfs/tmp/ready\"], [\"resize\", 40, 132], [\"expect\", \"40 132\"],
               [\"resize\", 25, 90], [\"expect\", \"25 90\"], [\"kill\", \"TERM\"]]" run --bundle "$b" win1
is "$(pty_field error)" "null" "the resize script ran"
like "$(pty_field output)" "40 132" "a resize of urun's terminal is seen inside (SIGWINCH, new size)"
like "$(pty_field output)" "25 90" "and a second one"
is "$(pty_field status)" 9 "exit status after the resizes"
is "$(pty_field modes_after)" "$(pty_field modes_before)" "modes restored after the resizes"

# ---- input reaches the process ---------------------------------------------
set_args "$b" sh -c 'read -r line; echo "got:$line"; exit 0'
on_pty 24 80 '[["send", "hello tty\r"], ["expect", "got:hello tty"]]' \
  run --bundle "$b" in1
like "$(pty_field output)" "got:hello tty" "urun's stdin is relayed to the container's terminal"
is "$(pty_field status)" 0 "exit 0 after input"

# ---- an error before the container runs leaves the terminal alone ----------
set_args "$b" /no/such/program
on_pty 24 80 '[]' run --bundle "$b" bad1
is "$(pty_field status)" 127 "a missing program: 127"
is "$(pty_field modes_after)" "$(pty_field modes_before)" "modes untouched after a failed run"
no_leftovers "nothing left of bad1" "$b" bad1
reset_config

# ---- detached: terminal without --console-socket is an error ---------------
set_args "$b" sh
run_urun create --bundle "$b" det1
ok "create with terminal and no --console-socket fails" isnt_zero "$status"
like "$err" "--console-socket" "the error says to use --console-socket"
no_leftovers "nothing left of det1" "$b" det1
run_urun run --detach --bundle "$b" det2
ok "run --detach with terminal and no --console-socket fails" isnt_zero "$status"
like "$err" "--console-socket" "the run --detach error says to use --console-socket"
no_leftovers "nothing left of det2" "$b" det2

# ---- a console socket nobody listens on ------------------------------------
dead=$URUN_TEST_TMPDIR/dead.sock
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(sys.argv[1])' "$dead"
run_urun create --console-socket "$dead" --bundle "$b" dead1
ok "a console socket nobody listens on fails create" isnt_zero "$status"
like "$err" "console socket.*(refused|Connection)" "it says the connection was refused"
no_leftovers "nothing left of dead1" "$b" dead1
run_urun create --console-socket "$URUN_TEST_TMPDIR/none.sock" --bundle "$b" dead2
ok "a console socket that does not exist fails create" isnt_zero "$status"
like "$err" "console socket" "it names the console socket"
no_leftovers "nothing left of dead2" "$b" dead2

# ---- console socket: drive an interactive shell ----------------------------
edit_config "$b" 'c["process"]["consoleSize"] = {"height": 20, "width": 70}'
set_args "$b" sh
sock=$URUN_TEST_TMPDIR/console.sock
python3 "$harness" --console-socket "$sock" '[
  ["expect", "# "],
  ["send", "stty size\r"], ["expect", "20 70"],
  ["send", "echo hi-$((6*7))\r"], ["expect", "hi-42"],
  ["resize", 33, 99], ["send", "stty size\r"], ["expect", "33 99"],
  ["send", "tty\r"], ["expect", "/dev/pts/"],
  ["send", "exit 5\r"]]' >"$URUN_TEST_TMPDIR/recv.json" &
recv_pid=$!
wait_for_file "$sock.ready"
run_urun create --console-socket "$sock" --bundle "$b" cs1
is "$status" 0 "create with --console-socket succeeds"
[ "$status" -eq 0 ] || diag "$err"
run_urun start cs1
is "$status" 0 "start the console container"
wait "$recv_pid"
recv=$(cat "$URUN_TEST_TMPDIR/recv.json")
json_check "the receiver got the master and drove the shell" "$recv" 'assert r["error"] is None, r'
json_check "the message's payload names the master, as runc's" "$recv" 'assert r["name"] == "/dev/ptmx", r["name"]'
json_check "consoleSize applies" "$recv" 'assert "20 70" in r["output"], r["output"]'
json_check "typed command ran" "$recv" 'assert "hi-42" in r["output"], r["output"]'
json_check "a resize through the master is seen" "$recv" 'assert "33 99" in r["output"], r["output"]'
wait_status cs1 stopped
run_urun state cs1
like "$out" '"status" *: *"stopped"' "the shell's exit stops the container"
run_urun delete cs1
is "$status" 0 "delete the console container"
no_leftovers "nothing left of cs1" "$b" cs1

# ---- run --detach with --console-socket ------------------------------------
set_args "$b" sh -c 'echo detached-$((2+3)); exit 0'
sock2=$URUN_TEST_TMPDIR/console2.sock
python3 "$harness" --console-socket "$sock2" '[["expect", "detached-5"]]' >"$URUN_TEST_TMPDIR/recv2.json" &
recv_pid=$!
wait_for_file "$sock2.ready"
run_urun run --detach --console-socket "$sock2" --bundle "$b" cs2
is "$status" 0 "run --detach with --console-socket succeeds"
wait "$recv_pid"
json_check "run --detach: the receiver reads the output" "$(cat "$URUN_TEST_TMPDIR/recv2.json")" \
  'assert r["error"] is None and "detached-5" in r["output"], r'
wait_status cs2 stopped
run_urun delete cs2
no_leftovers "nothing left of cs2" "$b" cs2

done_testing
