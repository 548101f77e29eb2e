#!/bin/bash
# test-hostile.sh: containers that attack urun leave the host unaffected
# (issue 14):
#
#   1. a bind destination raced between a directory and a symlink to /
#      while urun sets the mount up, run after run: nothing is mounted on
#      the host, the bind source shows up nowhere in the host's mount
#      table, and the container's / is its own rootfs;
#   2. garbage on the notify socket (binary bytes, NULs, oversized and
#      empty datagrams, endless lines): urun's proxy lives on and the
#      host's receiver gets only KEY=VALUE lines, among them READY=1;
#   3. a console flood read slowly: the foreground urun's RSS stays
#      bounded;
#   4. a container that ignores SIGTERM, with a child that does too:
#      `delete --force` kills both and returns in bounded time;
#   5. a payload that watches /proc while urun execs into it, and tries to
#      open each urun's /proc/PID/exe for writing and its fds (CVE-2019-5736
#      for `exec`; init and hooks are in test-security.sh): every attempt
#      fails and urun's binary is unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
rootless=false
[ "$URUN_TEST_MODE" = rootless ] && rootless=true
token=urun-hostile-token-$$

# Processes whose environment holds the token.
token_procs ()
{
  python3 - "$token" <<'PY'
import os, sys
token = ("URUN_HOSTILE_TOKEN=" + sys.argv[1]).encode()
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        env = open("/proc/%s/environ" % p, "rb").read().split(b"\0")
    except OSError:
        continue
    if token in env:
        print(p)
PY
}

# ---- 1. a bind destination raced into a symlink --------------------------------
new_bundle race sh -c 'cat /mnt/target/marker 2>/dev/null; cat /rootfs-marker' || done_testing
rb=$bundle
src=$URUN_TEST_TMPDIR/race-src
mkdir -p "$src" "$rb/rootfs/mnt/target"
echo bind-source >"$src/marker"
echo rootfs >"$rb/rootfs/rootfs-marker"
edit_config "$rb" "c['mounts'].append({'destination': '/mnt/target', 'type': 'bind', 'source': '$src', 'options': ['rbind', 'ro']})"
# The racer swaps the destination between a directory and a symlink to /
# as fast as it can, from the host (the rootfs is the test user's).
python3 - "$rb/rootfs/mnt" "$URUN_TEST_TMPDIR/race.stop" <<'PY' &
import os, sys
mnt, stop = sys.argv[1:3]
t, d, l = (os.path.join(mnt, n) for n in ("target", "target.dir", "target.lnk"))
if not os.path.lexists(l):
    os.symlink("/", l)
swaps = 0
while not os.path.exists(stop):
    try:
        os.rename(t, d)          # the directory steps aside ...
        os.rename(l, t)          # ... a symlink to / takes its place ...
        os.rename(t, l)
        os.rename(d, t)          # ... and back
        swaps += 1
    except OSError:
        pass
open(stop + ".swaps", "w").write(str(swaps))
PY
racer=$!
host_mounts_before=$(awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum)
runs=40
bad=0 ran_own_root=0 failed_cleanly=0
for ((i = 1; i <= runs; i++)); do
  "$URUN" --root "$root" run --bundle "$rb" "race-$i" >"$URUN_TEST_TMPDIR/race.out" \
    2>"$URUN_TEST_TMPDIR/race.err" </dev/null
  rc=$?
  if [ "$rc" -eq 0 ]; then
    # Whatever the destination was, the container's / is its rootfs.
    if grep -qx rootfs "$URUN_TEST_TMPDIR/race.out"; then
      ran_own_root=$((ran_own_root + 1))
    else
      bad=$((bad + 1))
      diag "race-$i: / was not the rootfs: $(cat "$URUN_TEST_TMPDIR/race.out")"
    fi
  elif [ -s "$URUN_TEST_TMPDIR/race.err" ]; then
    failed_cleanly=$((failed_cleanly + 1))
    [ "$failed_cleanly" -eq 1 ] && diag "race-$i failed: $(cat "$URUN_TEST_TMPDIR/race.err")"
  else
    bad=$((bad + 1))
    diag "race-$i: exit $rc without a message"
  fi
  "$URUN" --root "$root" delete --force "race-$i" >/dev/null 2>&1
  left=$(leftovers "$rb" "race-$i")
  [ -z "$left" ] || { bad=$((bad + 1)); diag "race-$i: $left"; }
done
touch "$URUN_TEST_TMPDIR/race.stop"
wait "$racer"
diag "$runs runs against $(cat "$URUN_TEST_TMPDIR/race.stop.swaps" 2>/dev/null) swaps: $ran_own_root ran in their rootfs, $failed_cleanly failed with a message"
is "$bad" 0 "$runs runs with a raced bind destination: each runs in its rootfs or fails with a message, and leaves nothing"
unlike "$(grep -F -- "$src" /proc/self/mountinfo)" . "the bind source is mounted nowhere on the host"
# Only the mount points: other tests mount and unmount in their own
# namespaces, but nothing of ours may appear in the host's.
unlike "$(awk '{ print $5 }' /proc/self/mountinfo | grep -F -- "$URUN_TEST_TMPDIR")" . \
  "nothing is mounted under the test's directory on the host"
[ "$(awk '{ print $5 }' /proc/self/mountinfo | sort | md5sum)" = "$host_mounts_before" ] \
  || diag "(the host's mount points changed meanwhile; other tests run in parallel)"
ok "the host's / is untouched (no bind source on it)" test ! -e /marker

# ---- 2. garbage on the notify socket --------------------------------------------
recv=$URUN_TEST_DIR/notify-recv.py
host_sock=$URUN_TEST_TMPDIR/hostile.sock
host_out=$URUN_TEST_TMPDIR/hostile.out
python3 "$recv" "$host_sock" "$host_out" &
recv_pid=$!
wait_for_file "$host_out.ready"
new_bundle notify || done_testing
nb=$bundle
# The garbage, made on the host: the payload sends each file as it is.
python3 - "$nb/rootfs/tmp" <<'PY'
import os, random, sys
d = sys.argv[1]
r = random.Random(14)
g = [bytes(r.getrandbits(8) for _ in range(n)) for n in (1, 17, 4000, 60000)]
g += [b"\0" * 100, b"READY=1\0MAINPID=1\n", b"STATUS=" + b"x" * 100000,
      b"=\n=\n==\n", b"\n" * 5000, b"STATUS=\xff\xfe bad utf-8\n", b"MAINPID=1\n",
      b"READY=1" + b"\0" * 3 + b"STATUS=hidden\n", b"NOTIFYACCESS=all\nBARRIER=1\n"]
for i, data in enumerate(g):
    open(os.path.join(d, "garbage-%02d" % i), "wb").write(data)
PY
set_args "$nb" sh -c '
for f in /tmp/garbage-*; do urun-test-helper notify-file "$f" 2>/dev/null; done
for i in 1 2 3; do urun-test-helper notify "$(cat /tmp/garbage-03)" 2>/dev/null; done
urun-test-helper notify "READY=1"
urun-test-helper notify "STATUS=after the garbage"'
NOTIFY_SOCKET=$host_sock run_urun run --bundle "$nb" hostile-notify
is "$status" 0 "a container that sends garbage to its notify socket runs to its end" || diag "$err"
sleep 0.3
kill "$recv_pid" 2>/dev/null
wait "$recv_pid" 2>/dev/null
msgs=$(python3 -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$host_out" 2>/dev/null || echo '[]')
json_check "the host's receiver gets READY=1 after the garbage" "$msgs" 'assert any("READY=1" in m["text"] for m in r), r'
json_check "... and the STATUS= sent after it: the proxy lived on" "$msgs" \
  'assert any(m["text"] == "STATUS=after the garbage\n" for m in r), r'
json_check "every message it gets is KEY=VALUE lines of known keys" "$msgs" '
import re
for m in r:
    for line in m["text"].splitlines():
        assert re.fullmatch(r"(READY|STATUS|STOPPING|RELOADING|WATCHDOG|MAINPID|ERRNO|EXTEND_TIMEOUT_USEC|WATCHDOG_USEC|BUSERROR|EXIT_STATUS)=[^\x00]*", line), (line[:80], m["text"][:200])'
json_check "no NUL, no oversized message and no MAINPID=1 reaches it" "$msgs" '
assert all("\x00" not in m["text"] and len(m["text"]) < 8192 and "MAINPID=1\n" not in m["text"] for m in r), [m["text"][:80] for m in r]'
no_leftovers "nothing left of hostile-notify" "$nb" hostile-notify

# ---- 3. a console flood, read slowly ----------------------------------------------
new_bundle flood sh -c 'while :; do echo floodfloodfloodfloodfloodfloodfloodfloodfloodflood; done' \
  || done_testing
fb=$bundle
edit_config "$fb" 'c["process"]["terminal"] = True'
# The reader takes 1 KiB every 10 ms, far slower than the payload writes.
"$URUN" --root "$root" run --bundle "$fb" flood </dev/null 2>"$URUN_TEST_TMPDIR/flood.err" \
  | python3 -c '
import sys, time
n = 0
end = time.time() + 6
while time.time() < end:
    n += len(sys.stdin.buffer.read1(1024))
    time.sleep(0.01)
open(sys.argv[1], "w").write(str(n))' "$URUN_TEST_TMPDIR/flood.read" &
for ((i = 0; i < 100; i++)); do
  fpid=$(python3 - "$root" <<'PY'
import os, sys
for p in os.listdir("/proc"):
    try:
        a = open("/proc/%s/cmdline" % p, "rb").read().split(b"\0")
    except OSError:
        continue
    if sys.argv[1].encode() in a and b"flood" in a and b"run" in a:
        print(p)
        break
PY
)
  [ -n "$fpid" ] && break
  sleep 0.05
done
rss_kb () { awk '/^VmRSS:/ { print $2 }' "/proc/$fpid/status" 2>/dev/null; }
sleep 1
rss1=$(rss_kb)
sleep 4
rss2=$(rss_kb)
diag "console flood: urun's RSS ${rss1:-?} KiB after 1 s, ${rss2:-?} KiB after 5 s"
ok "urun relays a console flood read slowly" test -n "$rss2"
ok "its RSS stays bounded (grew by ${rss1:-?} -> ${rss2:-?} KiB, under 2 MiB)" \
  test $(( ${rss2:-99999} - ${rss1:-0} )) -lt 2048
ok "... and under 128 MiB (sanitizer builds included)" test "${rss2:-999999}" -lt 131072
# The reader stops after 6 s; urun drains the pty on (the container is
# not stalled by a reader that went away) until deleted.
wait_for_file "$URUN_TEST_TMPDIR/flood.read" 20
"$URUN" --root "$root" delete --force flood >/dev/null 2>&1
wait
ok "the slow reader got the flood ($(cat "$URUN_TEST_TMPDIR/flood.read" 2>/dev/null) bytes)" \
  test "$(cat "$URUN_TEST_TMPDIR/flood.read" 2>/dev/null || echo 0)" -gt 0
for ((i = 0; i < 50; i++)); do
  [ -z "$fpid" ] || ! kill -0 "$fpid" 2>/dev/null && break
  sleep 0.1
done
fails "the flooded urun is gone after delete --force" kill -0 "$fpid"
no_leftovers "nothing left of flood" "$fb" flood

# ---- 4. a container that ignores SIGTERM ------------------------------------------------
new_bundle stubborn sh -c 'trap "" TERM; sh -c "trap \"\" TERM; touch /tmp/child; while :; do sleep 1; done" & while :; do sleep 1; done' \
  || done_testing
sb=$bundle
edit_config "$sb" "c['process']['env'].append('URUN_HOSTILE_TOKEN=$token')"
run_urun create --bundle "$sb" stubborn
run_urun start stubborn
is "$status" 0 "a container that ignores SIGTERM starts"
ok "... and its child is up" wait_for_file "$sb/rootfs/tmp/child"
run_urun kill stubborn TERM
sleep 0.5
is "$("$URUN" --root "$root" state stubborn 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')" \
  running "SIGTERM leaves it running"
t0=$(date +%s%N)
run_urun delete --force stubborn
t1=$(date +%s%N)
is "$status" 0 "delete --force of it succeeds" || diag "$err"
ms=$(( (t1 - t0) / 1000000 ))
ok "... within 5 s ($ms ms)" test "$ms" -lt 5000
sleep 0.2
is "$(token_procs)" "" "... and neither it nor its child is left"
no_leftovers "nothing left of stubborn" "$sb" stubborn

# ---- 5. the exec'd urun seen from the container --------------------------------------
urun_sum=$(sha256sum "$URUN" | cut -d' ' -f1)
new_bundle watcher sh -c '
touch /tmp/up
while [ ! -e /tmp/stop ]; do
  for p in /proc/[0-9]*; do
    [ "$p" = /proc/$$ ] && continue
    urun-test-helper syscall open-wronly "$p/exe" >>/tmp/exe-writes 2>/dev/null
    for fd in "$p"/fd/*; do
      l=$(readlink "$fd" 2>/dev/null) && echo "$p $l" >>/tmp/fds
    done
  done
done' || done_testing
wb=$bundle
run_urun create --bundle "$wb" watcher
run_urun start watcher
ok "a container watching /proc runs" wait_for_file "$wb/rootfs/tmp/up"
for ((i = 0; i < 30; i++)); do
  "$URUN" --root "$root" exec watcher sh -c 'sleep 0.05' >/dev/null 2>&1
done
touch "$wb/rootfs/tmp/stop"
sleep 0.5
run_urun delete --force watcher
writes=$(sort "$wb/rootfs/tmp/exe-writes" 2>/dev/null | uniq -c)
diag "open-for-write of /proc/*/exe from the container: $(echo "$writes" | tr '\n' ';')"
unlike "$writes" ' ok$' "no /proc/PID/exe could be opened for writing from the container"
is "$(sha256sum "$URUN" | cut -d' ' -f1)" "$urun_sum" "urun's binary is unchanged"
# Every fd the container saw of any process in it points into the
# container (pipes, sockets, its ttys, anon inodes), never at a host path.
outside=$(awk '{ print $2 }' "$wb/rootfs/tmp/fds" 2>/dev/null | grep -F -e "$URUN_TEST_TMPDIR" -e "$(dirname "$URUN")" | sort -u)
is "$outside" "" "no fd of a process in the container names a host path"
no_leftovers "nothing left of watcher" "$wb" watcher

done_testing
