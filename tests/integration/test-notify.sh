#!/bin/bash
# test-notify.sh: the NOTIFY_SOCKET proxy.  A stand-in for systemd's socket
# (notify-recv.py) receives what urun relays: READY=1 with MAINPID = the
# host pid of the container's process, STATUS=, STOPPING=1, and nothing
# else.  The container gets a socket of its own, never the host's; `start`
# and `run --detach` return only after READY=1 (or the container's death).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
recv=$URUN_TEST_DIR/notify-recv.py

new_bundle n || done_testing
b=$bundle

# receiver NAME: starts a receiver at $URUN_TEST_TMPDIR/NAME.sock writing
# $URUN_TEST_TMPDIR/NAME.out; sets $host_sock, $host_out, $recv_pid.
receiver ()
{
  host_sock=$URUN_TEST_TMPDIR/$1.sock
  host_out=$URUN_TEST_TMPDIR/$1.out
  python3 "$recv" "$host_sock" "$host_out" &
  recv_pid=$!
  wait_for_file "$host_out.ready"
}
stop_receiver () { kill "$recv_pid" 2>/dev/null; wait "$recv_pid" 2>/dev/null; }
# messages: the receiver's messages as one JSON list.
messages () { python3 -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$host_out" 2>/dev/null || echo '[]'; }

# ---- foreground run ----------------------------------------------------------
receiver fg
set_args "$b" sh -c '
echo "env=$NOTIFY_SOCKET"
ls /run/notify
urun-test-helper notify "STATUS=starting up"
urun-test-helper notify "READY=1
MAINPID=1
FDSTORE=1
BOGUS=x"
urun-test-helper notify "WATCHDOG=1"
urun-test-helper notify "STOPPING=1"
exit 0'
NOTIFY_SOCKET=$host_sock run_urun run --pid-file "$URUN_TEST_TMPDIR/fg.pid" --bundle "$b" fg
is "$status" 0 "run with NOTIFY_SOCKET exits 0"
[ "$status" -eq 0 ] || diag "$err"
like "$out" "env=/run/notify/notify.sock" "the container's NOTIFY_SOCKET is its own socket"
like "$out" $'(^|\n)notify.sock$' "its directory holds only urun's socket"
unlike "$out" "$host_sock" "the host's socket is not handed in"
sleep 0.2
stop_receiver
msgs=$(messages)
pid=$(cat "$URUN_TEST_TMPDIR/fg.pid" 2>/dev/null)
json_check "STATUS= relayed" "$msgs" 'assert any(m["text"] == "STATUS=starting up\n" for m in r), r'
json_check "READY=1 relayed with MAINPID = the container's host pid" "$msgs" "
assert any(m['text'] == 'MAINPID=$pid\nREADY=1\n' for m in r), r"
json_check "MAINPID, FDSTORE and unknown lines from the container are dropped" "$msgs" '
assert not any("MAINPID=1\n" in m["text"] or "FDSTORE" in m["text"] or "BOGUS" in m["text"] for m in r), r'
json_check "WATCHDOG=1 and STOPPING=1 relayed" "$msgs" '
assert any(m["text"] == "WATCHDOG=1\n" for m in r) and any(m["text"] == "STOPPING=1\n" for m in r), r'
json_check "READY and MAINPID come first from urun's own pid" "$msgs" "
m = [m for m in r if 'READY=1' in m['text']][0]
assert m['pid'] != $pid, m"
if [ "$URUN_TEST_MODE" = root ]; then
  json_check "as root, later messages speak for the main pid (NotifyAccess=main)" "$msgs" "
m = [m for m in r if m['text'] == 'STOPPING=1\n'][0]
assert m['pid'] == $pid, m"
fi
no_leftovers "nothing left of fg" "$b" fg

# ---- the config names its own socket path ------------------------------------
receiver own
edit_config "$b" 'c["process"]["env"].append("NOTIFY_SOCKET=/run/custom/sd.sock")'
set_args "$b" sh -c 'echo "env=$NOTIFY_SOCKET"; urun-test-helper notify READY=1'
NOTIFY_SOCKET=$host_sock run_urun run --bundle "$b" own
is "$status" 0 "run with the config's own NOTIFY_SOCKET path"
like "$out" "env=/run/custom/sd.sock" "the config's path is kept"
sleep 0.2
stop_receiver
json_check "READY=1 relayed from the config's path" "$(messages)" 'assert any("READY=1" in m["text"] for m in r), r'
edit_config "$b" 'c["process"]["env"] = [e for e in c["process"]["env"] if not e.startswith("NOTIFY_SOCKET=")]'

# ---- create + start: start waits for READY=1 ---------------------------------
receiver cs
set_args "$b" sh -c 'sleep 1; urun-test-helper notify "STATUS=almost"; urun-test-helper notify READY=1; exec sleep 60'
NOTIFY_SOCKET=$host_sock run_urun create --bundle "$b" cs
is "$status" 0 "create with NOTIFY_SOCKET"
[ "$status" -eq 0 ] || diag "$err"
t0=$(date +%s%N)
NOTIFY_SOCKET=$host_sock run_urun start cs
t1=$(date +%s%N)
is "$status" 0 "start with NOTIFY_SOCKET"
msgs_at_return=$(messages)
json_check "start returned after READY=1 reached the host" "$msgs_at_return" '
assert any("READY=1" in m["text"] for m in r), r'
ok "start waited for the payload (>= 0.9 s)" test $(((t1 - t0) / 1000000)) -ge 900
run_urun state cs
pid=$(json_get "$out" 'r["pid"]')
json_check "MAINPID is the pid of \`urun state\`" "$msgs_at_return" "
assert any(m['text'] == 'MAINPID=$pid\nREADY=1\n' for m in r), r"
json_check "STATUS= before READY relayed by start" "$msgs_at_return" 'assert any(m["text"] == "STATUS=almost\n" for m in r), r'
stop_receiver
run_urun delete --force cs
is "$status" 0 "delete cs"
no_leftovers "nothing left of cs" "$b" cs

# ---- start of a payload that dies without READY=1 ------------------------------
receiver dead
set_args "$b" sh -c 'exit 3'
NOTIFY_SOCKET=$host_sock run_urun create --bundle "$b" dead
NOTIFY_SOCKET=$host_sock run_urun start dead
is "$status" 0 "start returns when the payload dies before READY=1"
like "$err" "exited before it sent READY=1" "with a warning saying so"
stop_receiver
run_urun delete --force dead
no_leftovers "nothing left of dead" "$b" dead

# ---- run --detach waits for READY=1 ------------------------------------------
receiver det
set_args "$b" sh -c 'sleep 1; urun-test-helper notify READY=1; exec sleep 60'
NOTIFY_SOCKET=$host_sock run_urun run --detach --bundle "$b" det
is "$status" 0 "run --detach with NOTIFY_SOCKET"
json_check "run --detach returned after READY=1" "$(messages)" 'assert any("READY=1" in m["text"] for m in r), r'
stop_receiver
run_urun delete --force det
no_leftovers "nothing left of det" "$b" det

# ---- root with a user namespace: init cannot walk the 0700 state dir -------
if [ "$URUN_TEST_MODE" = root ]; then
  new_bundle nu || done_testing
  chown -R 100000:100000 "$bundle/rootfs"
  edit_config "$bundle" '
c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["process"]["user"] = {"uid": 1000, "gid": 1000}'
  set_args "$bundle" sh -c 'urun-test-helper notify READY=1'
  receiver userns
  NOTIFY_SOCKET=$host_sock run_urun run --bundle "$bundle" userns
  is "$status" 0 "run with a user namespace and NOTIFY_SOCKET, as root"
  [ "$status" -eq 0 ] || diag "$err"
  sleep 0.2
  stop_receiver
  json_check "READY=1 relayed from a user namespace's uid 1000" "$(messages)" \
    'assert any("READY=1" in m["text"] for m in r), r'
fi

# ---- without NOTIFY_SOCKET nothing is set up ---------------------------------
set_args "$b" sh -c 'echo "env=${NOTIFY_SOCKET-unset}"; grep -q " /run/notify " /proc/self/mountinfo && echo has-mount; exit 0'
run_urun run --bundle "$b" none
is "$status" 0 "run without NOTIFY_SOCKET"
like "$out" "env=unset" "no NOTIFY_SOCKET in the container"
unlike "$out" "has-mount" "and nothing mounted at /run/notify"

done_testing
