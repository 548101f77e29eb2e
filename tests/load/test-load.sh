#!/bin/bash
# test-load.sh: urun under load leaks nothing (issue 14).  Prints its
# figures as "# figure: ..." lines.
#
#   1. URUN_LOAD_SEQ (default 1000) create/start/delete cycles in a row;
#   2. URUN_LOAD_JOBS x URUN_LOAD_CYCLES (default 50 x 20) of them at once;
#      after each: no state entry, mount, cgroup or process left, and the
#      host's mount table as it was;
#   3. a foreground `run` that lives through URUN_LOAD_EXECS (default 200)
#      execs and as many forwarded signals: its fd count is the same after
#      as before, and its RSS grows by less than 1 MiB.
#
# Runs through tests/integration/run-test.sh (suites load-root and
# load-rootless), so lib.sh is beside it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
seq_n=${URUN_LOAD_SEQ:-1000}
jobs_n=${URUN_LOAD_JOBS:-50}
cycles=${URUN_LOAD_CYCLES:-20}
execs=${URUN_LOAD_EXECS:-200}
token=urun-load-token-$$
mode=$URUN_TEST_MODE

new_bundle b sh -c "sleep 600; :" || done_testing
b=$bundle
edit_config "$b" "c['process']['env'].append('URUN_LOAD_TOKEN=$token')"

figure () { diag "figure: $mode: $*"; }

# count_leftovers PREFIX: prints "STATE MOUNTS CGROUPS PROCS": state entries
# of containers PREFIX*, mounts under the bundle, cgroup directories named
# PREFIX*, and processes carrying the token (the payload) or naming the
# state root (an urun or an init before its execve).
count_leftovers ()
{
  python3 - "$1" "$root" "$b" "$token" <<'PY'
import os, sys, glob
prefix, root, bundle, token = sys.argv[1:5]
state = len(glob.glob(os.path.join(glob.escape(root), prefix + "*")))
mp = os.path.realpath(bundle).rstrip("/") + "/"
mounts = sum(1 for l in open("/proc/self/mountinfo")
             if (l.split()[4] + "/").startswith(mp))
cg = 0
for h in glob.glob("/sys/fs/cgroup/*/"):
    for dirpath, dirs, files in os.walk(h):
        if dirpath.count("/") > 9:
            dirs[:] = []
        cg += sum(1 for d in dirs if prefix in d)
procs = 0
me = os.getpid()
for p in os.listdir("/proc"):
    if not p.isdigit() or int(p) == me:
        continue
    try:
        env = open("/proc/%s/environ" % p, "rb").read().split(b"\0")
        argv = open("/proc/%s/cmdline" % p, "rb").read().split(b"\0")
    except OSError:
        continue
    if ("URUN_LOAD_TOKEN=" + token).encode() in env or root.encode() in argv:
        procs += 1
print(state, mounts, cg, procs)
PY
}

# mount_count: lines of the host's mount table.
mount_count () { wc -l </proc/self/mountinfo; }

# check_none WHAT PREFIX: asserts and reports no leftovers of PREFIX*.
check_none ()
{
  local what=$1 prefix=$2 s m c p i
  # Processes on their way out get 3 s.
  for ((i = 0; i < 60; i++)); do
    read -r s m c p <<<"$(count_leftovers "$prefix")"
    [ "$p" -eq 0 ] && break
    sleep 0.05
  done
  figure "$what: leaked $s state dirs, $m mounts, $c cgroups, $p processes"
  is "$s $m $c $p" "0 0 0 0" "$what: no state, mount, cgroup or process left"
}

# ---- 1. sequential -------------------------------------------------------------
mounts_before=$(mount_count)
failed=0
t0=$(date +%s%N)
for ((i = 1; i <= seq_n; i++)); do
  id=seq-$$-$i
  if ! { "$URUN" --root "$root" create --bundle "$b" "$id" \
           && "$URUN" --root "$root" start "$id" \
           && "$URUN" --root "$root" delete --force "$id"; } \
       >/dev/null 2>>"$URUN_TEST_TMPDIR/seq.err"; then
    failed=$((failed + 1))
    "$URUN" --root "$root" delete --force "$id" >/dev/null 2>&1
  fi
done
t1=$(date +%s%N)
figure "$seq_n sequential create/start/delete cycles in $(( (t1 - t0) / 1000000 )) ms ($(( (t1 - t0) / 1000 / seq_n )) us a cycle), $failed failed"
is "$failed" 0 "$seq_n sequential cycles all succeed" \
  || diag "$(sort "$URUN_TEST_TMPDIR/seq.err" | uniq -c | head -5)"
check_none "sequential" "seq-$$-"
is "$(mount_count)" "$mounts_before" "sequential: the host's mount table is as before"

# ---- 2. concurrent -------------------------------------------------------------
mounts_before=$(mount_count)
t0=$(date +%s%N)
pids=()
for ((j = 1; j <= jobs_n; j++)); do
  (
    bad=0
    for ((i = 1; i <= cycles; i++)); do
      id=par-$$-$j-$i
      if ! { "$URUN" --root "$root" create --bundle "$b" "$id" \
               && "$URUN" --root "$root" start "$id" \
               && "$URUN" --root "$root" delete --force "$id"; } \
           >/dev/null 2>>"$URUN_TEST_TMPDIR/par-$j.err"; then
        bad=$((bad + 1))
        "$URUN" --root "$root" delete --force "$id" >/dev/null 2>&1
      fi
    done
    exit "$bad"
  ) &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
  wait "$p"
  failed=$((failed + $?))
done
t1=$(date +%s%N)
figure "$jobs_n x $cycles concurrent cycles in $(( (t1 - t0) / 1000000 )) ms, $failed failed"
is "$failed" 0 "$jobs_n x $cycles concurrent cycles all succeed" \
  || diag "$(cat "$URUN_TEST_TMPDIR"/par-*.err | sort | uniq -c | head -5)"
check_none "concurrent" "par-$$-"
is "$(mount_count)" "$mounts_before" "concurrent: the host's mount table is as before"

# ---- 3. a long-running foreground run ---------------------------------------------
# The payload counts the SIGUSR1s that urun forwards to it.
new_bundle fg sh -c 'n=0; trap "n=\$((n+1)); echo \$n >/tmp/usr1" USR1; touch /tmp/up; while :; do sleep 0.2; done' \
  || done_testing
fg=$bundle
id=fg-$$
"$URUN" --root "$root" run --bundle "$fg" "$id" </dev/null >/dev/null 2>"$URUN_TEST_TMPDIR/fg.err" &
runpid=$!
ok "the foreground run is up" wait_for_file "$fg/rootfs/tmp/up" 20
# fd_count and rss_kb of the foreground urun.
fd_count () { ls "/proc/$runpid/fd" 2>/dev/null | wc -l; }
rss_kb () { awk '/^VmRSS:/ { print $2 }' "/proc/$runpid/status" 2>/dev/null; }
# A few rounds first, so that one-time allocations are behind us.
for ((i = 0; i < 5; i++)); do
  "$URUN" --root "$root" exec "$id" true >/dev/null 2>&1
  kill -USR1 "$runpid"
done
sleep 0.5
fds0=$(fd_count)
rss0=$(rss_kb)
bad=0
for ((i = 1; i <= execs; i++)); do
  "$URUN" --root "$root" exec "$id" true >/dev/null 2>>"$URUN_TEST_TMPDIR/exec.err" || bad=$((bad + 1))
  kill -USR1 "$runpid"
done
sleep 0.5
fds1=$(fd_count)
rss1=$(rss_kb)
got=$(cat "$fg/rootfs/tmp/usr1" 2>/dev/null)
figure "foreground run: $execs execs ($bad failed) and $execs SIGUSR1, payload saw ${got:-0}; urun fds $fds0 -> $fds1, RSS ${rss0} -> ${rss1} KiB"
is "$bad" 0 "$execs execs into the foreground run succeed" \
  || diag "$(sort "$URUN_TEST_TMPDIR/exec.err" | uniq -c | head -5)"
ok "the payload got forwarded signals (${got:-0} traps ran; signals that arrive together merge)" test "${got:-0}" -gt 0
is "$fds1" "$fds0" "the foreground urun has as many fds as before"
ok "its RSS grew by less than 1 MiB (${rss0} -> ${rss1} KiB)" test $((rss1 - rss0)) -lt 1024
ok "the foreground run is still up" kill -0 "$runpid"
kill -TERM "$runpid"
for ((i = 0; i < 100; i++)); do
  kill -0 "$runpid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$runpid" 2>/dev/null && "$URUN" --root "$root" kill "$id" KILL >/dev/null 2>&1
wait "$runpid"
b=$fg check_none "foreground run" "fg-$$"

done_testing
