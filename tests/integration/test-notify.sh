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
# The same with a poststart hook that takes its time: the payload is dead
# and reaped before start waits for READY=1, which must notice all the same
# (bounded by timeout, so a regression fails instead of waiting 90 s).
receiver dead2
edit_config "$b" 'c.setdefault("hooks", {})["poststart"] = [{"path": "/bin/sleep", "args": ["sleep", "0.5"]}]'
NOTIFY_SOCKET=$host_sock run_urun create --bundle "$b" dead2
NOTIFY_SOCKET=$host_sock timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" start dead2 2>"$URUN_TEST_TMPDIR/dead2.err"
is "$?" 0 "start returns when the payload died and was reaped before the wait for READY=1"
like "$(cat "$URUN_TEST_TMPDIR/dead2.err")" "exited before it sent READY=1" "... with the warning"
stop_receiver
run_urun delete --force dead2
no_leftovers "nothing left of dead2" "$b" dead2
edit_config "$b" 'c.pop("hooks", None)'

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

# ---- a read-only rootfs: what urun needs is created, as runc does ------------
# The test rootfs has /run but no /run/notify nor /srv/work: urun creates
# the socket's directory and the cwd before the root is read-only for good.
new_bundle ro || done_testing
rob=$bundle
edit_config "$rob" '
c["root"]["readonly"] = True
c["process"]["cwd"] = "/srv/work"'
set_args "$rob" sh -c 'pwd; touch /probe 2>/dev/null && echo root-writable; urun-test-helper notify READY=1'
receiver ro
NOTIFY_SOCKET=$host_sock run_urun run --bundle "$rob" ro
is "$status" 0 "run with root.readonly, a missing process.cwd and NOTIFY_SOCKET"
[ "$status" -eq 0 ] || diag "$err"
like "$out" "^/srv/work" "the missing cwd was created and entered"
unlike "$out" "root-writable" "the root is read-only for the payload"
ok "the bundle's rootfs has the cwd now" test -d "$rob/rootfs/srv/work"
sleep 0.2
stop_receiver
json_check "READY=1 relayed from a read-only rootfs" "$(messages)" \
  'assert any("READY=1" in m["text"] for m in r), r'
no_leftovers "nothing left of ro" "$rob" ro

# A rootfs on a read-only filesystem (a tmpfs remounted read-only, in a
# mount namespace of the test's own): nothing can be created, and the error
# says what to create.
if [ "$URUN_TEST_MODE" = root ]; then
  new_bundle rofs || done_testing
  rofs=$bundle
  mkdir "$rofs/rofs"
  edit_config "$rofs" '
c["root"]["path"] = "rofs"
c["root"]["readonly"] = True
c["process"]["cwd"] = "/srv/missing"'
  set_args "$rofs" true
  # ro_run ID [ENV...]: urun run of $rofs with its rootfs on a read-only
  # filesystem.
  ro_run ()
  {
    local id=$1 errfile
    shift
    errfile=$(mktemp "$URUN_TEST_TMPDIR/.ns.XXXXXX")
    env "$@" unshare --mount --propagation private -- sh -c '
      mount -t tmpfs rofs "$1/rofs" && cp -a "$1/rootfs/." "$1/rofs/" &&
        mount -o remount,ro "$1/rofs" || exit 99
      exec "$2" --root "$3" run --bundle "$1" "$4"' _ "$rofs" "$URUN" "$URUN_TEST_STATE_ROOT" "$id" \
      >/dev/null 2>"$errfile"
    status=$?
    err=$(cat "$errfile")
    rm -f "$errfile"
  }
  ro_run rofs
  ok "a cwd missing from a rootfs mounted read-only fails" test "$status" -ne 0 -a "$status" -ne 99
  like "$err" "/srv/missing \\(missing from the read-only rootfs: create it in the image" "... saying what to create"
  edit_config "$rofs" 'c["process"]["cwd"] = "/"'
  receiver rofsn
  ro_run rofsn NOTIFY_SOCKET="$host_sock"
  ok "NOTIFY_SOCKET with /run/notify missing from a rootfs mounted read-only fails" test "$status" -ne 0 -a "$status" -ne 99
  like "$err" "/run/notify \\(missing from the read-only rootfs: create it in the image or mount a tmpfs on /run\\)" "... saying what to create"
  stop_receiver
  no_leftovers "nothing left of rofs" "$rofs" rofs
  no_leftovers "nothing left of rofsn" "$rofs" rofsn
else
  skip "a rootfs mounted read-only: only root can make that bind mount here (root covers it)"
fi

# ---- without NOTIFY_SOCKET nothing is set up ---------------------------------
set_args "$b" sh -c 'echo "env=${NOTIFY_SOCKET-unset}"; grep -q " /run/notify " /proc/self/mountinfo && echo has-mount; exit 0'
run_urun run --bundle "$b" none
is "$status" 0 "run without NOTIFY_SOCKET"
like "$out" "env=unset" "no NOTIFY_SOCKET in the container"
unlike "$out" "has-mount" "and nothing mounted at /run/notify"

done_testing
