#!/bin/bash
# test-cgroup-failure.sh: a cgroup failure never widens what a container may
# do.  With the default cgroup manager (the ladder), a limit the cgroup
# refuses fails create, naming the JSON path, the file and the errno, and
# leaves nothing; the annotation io.github.urun.cgroup-best-effort=true
# turns that into a warning.  A failed create puts init back into the
# caller's cgroups, never the root of a hierarchy.  Rootless on a host that
# delegates nothing, the ladder still ends without a cgroup; its device
# rules are not reported as dropped, since the user namespace gives no more
# than the user has (no mknod).
#
# As root the containers' cgroups live below /urun-test-PID or are named
# urun-TAG-ID; the EXIT trap removes what this script made.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"
. "$(dirname "$0")/lib-cgroup.sh"

tag=$(printf %s "$URUN_TEST_STATE_ROOT" | sha256sum | cut -c1-8)

cgroup_of () { run_urun state "$1"; json_get "$out" 'r["urun"]["cgroup"]'; }
# The cgroup directories named NAME in any hierarchy, one a line.
cgroup_dirs () { ls -d "$CG/$1" "$CG"/*/"$1" 2>/dev/null; }

# A block device number this host does not have.
minor=99
while [ -e "/sys/dev/block/259:$minor" ]; do minor=$((minor + 1)); done
nodev="259:$minor"

new_bundle b urun-test-helper pause || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }
throttle_nodev="
c['linux'].setdefault('resources', {})['blockIO'] = {'throttleReadBpsDevice': [{'major': 259, 'minor': $minor, 'rate': 1048576}]}
c['linux']['resources']['pids'] = {'limit': 40}"

# ---- rootless: no delegation on a v1 host -> no cgroup, said so -------------
if [ "$URUN_TEST_MODE" = rootless ]; then
  edit_config "$b" "$throttle_nodev
c['linux']['resources']['devices'] = [{'allow': False, 'access': 'rwm'}]"
  run_urun create --bundle "$b" rl
  is "$status" 0 "rootless create with limits and device rules"
  drv=$(json_get "$(cgroup_of rl)" 'r["driver"]')
  if [ "$drv" = none ]; then
    json_check "no cgroup: the limits are recorded as not applied, the device rules are not (the user namespace bounds devices)" "$(cgroup_of rl)" "
assert r['driver'] == 'none', r
assert 'cgroupfs' in r['reason'], r
assert 'blockIO.throttleReadBpsDevice' in r['droppedLimits'], r
assert not any(d.startswith('devices') for d in r['droppedLimits']), r"
    like "$err" "warning: resource limits dropped because the container has no cgroup .*blockIO.throttleReadBpsDevice" \
      "... and the warning names the limits"
    unlike "$err" "devices" "... but not the device rules, which give no more than the user has"
  else
    diag "rootless ladder took $drv here"
    ok "rootless ladder took a driver that works ($drv)" true
  fi
  run_urun start rl
  # In the user namespace a device node cannot be made, whatever the
  # (unenforced) rules say.
  run_urun exec rl mknod /tmp/sda b 8 0
  ok "... and the container still cannot make a device node" test "$status" -ne 0
  run_urun delete --force rl
  is "$status" 0 "delete"
  no_leftovers "nothing left" "$b" rl
  done_testing
fi

if [ "$mode" != v1 ]; then
  skip "these cases need the cgroup v1 hierarchies of a hybrid or legacy host (here: $mode)"
  done_testing
fi

# ---- a limit the cgroup refuses fails create (default manager) ----------------
edit_config "$b" "$throttle_nodev"
run_urun create --bundle "$b" f1
is "$status" 1 "a read-bps limit on a device the host lacks ($nodev) fails create"
like "$err" "linux.resources.blockIO.throttleReadBpsDevice: cannot write \`$nodev 1048576\` to $CG/blkio/urun-$tag-f1/blkio.throttle.read_bps_device: No such device" \
  "... naming the JSON path, the file and the errno"
like "$err" "set the annotation io.github.urun.cgroup-best-effort=true" "... and the way to run without it"
no_leftovers "... leaving no state and no process" "$b" f1
is "$(cgroup_dirs "urun-$tag-f1")" "" "... and no cgroup in any hierarchy"
run_urun --cgroup-manager cgroupfs create --bundle "$b" f1
is "$status" 1 "the same with --cgroup-manager cgroupfs"
is "$(cgroup_dirs "urun-$tag-f1")" "" "... no cgroup left either"

# ---- best effort: a warning, the limit recorded as dropped, the rest applied ------
edit_config "$b" "c.setdefault('annotations', {})['io.github.urun.cgroup-best-effort'] = 'true'"
run_urun create --bundle "$b" be
is "$status" 0 "with io.github.urun.cgroup-best-effort=true, create works"
like "$err" "warning: resource limits not applied: blockIO.throttleReadBpsDevice \\(writing \`$nodev 1048576\` to .*blkio.throttle.read_bps_device failed: No such device\\)" \
  "... with a warning naming the limit and why"
json_check "... in a cgroup, the limit recorded as dropped" "$(cgroup_of be)" "
assert r['driver'] == 'cgroupfs', r
assert any(d.startswith('blockIO.throttleReadBpsDevice (writing') for d in r['droppedLimits']), r"
run_urun state be
pid=$(json_get "$out" 'r["pid"]')
pids_path=$(sed -n 's/^[0-9]*:pids:\(.*\)$/\1/p' "/proc/$pid/cgroup")
is "$pids_path" "/urun-$tag-be" "... init is in its own pids cgroup"
is "$(cat "$CG/pids$pids_path/pids.max" 2>/dev/null)" 40 "... which has the pids limit"
dev_path=$(sed -n 's/^[0-9]*:devices:\(.*\)$/\1/p' "/proc/$pid/cgroup")
unlike "$(cat "$CG/devices$dev_path/devices.list" 2>/dev/null)" '^a \*:\* rwm' "... and the device rules, not every device"
run_urun delete --force be
is "$(cgroup_dirs "urun-$tag-be")" "" "delete removes its cgroups"
edit_config "$b" "c['annotations']['io.github.urun.cgroup-best-effort'] = 'yes'"
run_urun create --bundle "$b" be2
is "$status" 1 "a best-effort annotation that is neither true nor false fails"
like "$err" "annotations\\[\"io.github.urun.cgroup-best-effort\"\\]: expected \`true\` or \`false\`, got \`yes\`" "... naming it"
no_leftovers "... before anything is made" "$b" be2

# ---- a valid limit works, read back from the host side ----------------------------
reset_config
edit_config "$b" "c['linux'].setdefault('resources', {})['memory'] = {'limit': 67108864}
c['linux']['resources']['blockIO'] = {'weight': 500}"
run_urun create --bundle "$b" ok1
is "$status" 0 "a valid memory limit: create works (default manager)"
run_urun start ok1
run_urun state ok1
pid=$(json_get "$out" 'r["pid"]')
mem_path=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' "/proc/$pid/cgroup")
is "$mem_path" "/urun-$tag-ok1" "the container's process is in its memory cgroup"
is "$(cat "$CG/memory$mem_path/memory.limit_in_bytes" 2>/dev/null)" 67108864 "... which has the limit"
run_urun delete --force ok1

# ---- a failed create puts init back into the caller's cgroups ------------------------
# The caller (a shell this test starts) sits in a memory cgroup of the test;
# the container's cpuset cgroup has no cpus (below a cpuset parent the test
# made empty), so moving init fails after the memory hierarchy.  urun must
# write init back into the caller's memory cgroup, never into the root's.
# Init is moved by its pid only when it cannot be born in its cgroup:
# execCPUAffinity.initial (those CPUs are for init before it joins the
# container's cgroup) makes it so here.
if command -v strace >/dev/null && [ -d "$CG/cpuset" ] && [ -d "$CG/memory" ]; then
  mkdir -p "$CG/memory/$top/caller" "$CG/cpuset/$top/empty"
  reset_config
  edit_config "$b" "c['linux']['cgroupsPath'] = '/$top/empty/c'
c['process']['execCPUAffinity'] = {'initial': '0'}"
  trace=$URUN_TEST_TMPDIR/trace
  # No leak check under ptrace: LeakSanitizer cannot run there.
  bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$CG/memory/$top/caller" \
    env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -o "$trace" -e trace=openat -e signal=none \
    "$URUN" --root "$URUN_TEST_STATE_ROOT" create --bundle "$b" mv1 >/dev/null 2>"$URUN_TEST_TMPDIR/mv1.err"
  is "$?" 1 "create fails when init cannot enter its cpuset cgroup"
  like "$(cat "$URUN_TEST_TMPDIR/mv1.err")" "move the container's init into cgroup $CG/cpuset/$top/empty/c" "... saying so"
  moved_to=$(grep -o "\"$CG/[^\"]*/cgroup.procs\", O_WRONLY" "$trace" | cut -d'"' -f2)
  fails "... init is not moved to the root memory cgroup" grep -qx "$CG/memory/cgroup.procs" <<<"$moved_to"
  ok "... but back into the caller's" grep -qx "$CG/memory/$top/caller/cgroup.procs" <<<"$moved_to"
  no_leftovers "... leaving no state and no process" "$b" mv1
  is "$(ls -d "$CG"/*/"$top"/empty/c 2>/dev/null)" "" "... and no cgroup"

  # Born in its cgroup (the default), init writes "0" into each v1
  # `tasks` file itself, first thing: the cpuset one fails, init reports
  # it and exits, and nothing of it is moved by pid anywhere.
  edit_config "$b" "del c['process']['execCPUAffinity']"
  env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -o "$trace" -e trace=openat -e signal=none \
    "$URUN" --root "$URUN_TEST_STATE_ROOT" create --bundle "$b" mv2 >/dev/null 2>"$URUN_TEST_TMPDIR/mv2.err"
  is "$?" 1 "born in its cgroup: create fails when init cannot enter its cpuset cgroup"
  like "$(cat "$URUN_TEST_TMPDIR/mv2.err")" \
    "move into the container's cgroup \`$CG/cpuset/$top/empty/c/tasks\`: No space left on device" \
    "... naming the file init could not write"
  unlike "$(grep -o "\"$CG/[^\"]*/cgroup.procs\", O_WRONLY" "$trace")" . "... and moving nothing by pid"
  no_leftovers "... leaving no state and no process" "$b" mv2
  is "$(ls -d "$CG"/*/"$top"/empty/c 2>/dev/null)" "" "... and no cgroup"
else
  skip "needs strace and the cpuset and memory hierarchies"
fi

# ---- delete right after the exit leaves no cgroup directory -------------------------
# A task that just exited is released a little after its parent sees it
# die; rmdir says EBUSY until then.  delete retries for a bounded time.
reset_config
set_args "$b" urun-test-helper exit 0
left_after=
failed_delete=
for i in $(seq 1 30); do
  run_urun create --bundle "$b" d$i
  [ "$status" -eq 0 ] || { failed_delete="create d$i: $err"; break; }
  run_urun start d$i
  # Delete as soon as the container is stopped: a non-forced delete of a
  # running container fails at once, so this retries right up to the exit.
  for _ in $(seq 1 2000); do
    run_urun delete d$i
    [ "$status" -eq 0 ] && break
    [[ "$err" == *"that is running"* || "$err" == *"that is created"* ]] || break
  done
  [ "$status" -eq 0 ] || { failed_delete="delete d$i: $err"; break; }
  left_after=$(cgroup_dirs "urun-$tag-d$i")
  [ -z "$left_after" ] || break
done
is "$failed_delete" "" "30 deletes right after the container's exit all work"
is "$left_after" "" "... and leave no cgroup directory in any hierarchy"

# The same window made wide enough to see every time: a process of the
# test that leaves the cgroup 0.4 s after the container stopped.  delete
# waits for it (a bounded wait), rather than giving up at the first EBUSY.
set_args "$b" urun-test-helper pause
run_urun create --bundle "$b" late
run_urun start late
run_urun kill late KILL
wait_status late stopped
bash -c 'echo $$ >"$1/cgroup.procs" && exec sleep 0.4' _ "$CG/pids/urun-$tag-late" &
late=$!
for _ in $(seq 1 100); do grep -qx "$late" "$CG/pids/urun-$tag-late/cgroup.procs" && break; sleep 0.01; done
run_urun delete late
is "$status" 0 "delete waits for a process that leaves the cgroup within its bound"
is "$(cgroup_dirs "urun-$tag-late")" "" "... and then removes every directory"
wait "$late" 2>/dev/null

# ---- a cgroup that cannot be removed fails delete and keeps the state -----------------
set_args "$b" urun-test-helper pause
run_urun create --bundle "$b" busy
run_urun start busy
sleep 600 &
intruder=$!
echo "$intruder" >"$CG/pids/urun-$tag-busy/cgroup.procs"
run_urun kill busy KILL
wait_status busy stopped
t0=$(date +%s%N)
run_urun delete busy
t1=$(date +%s%N)
is "$status" 1 "delete of a stopped container whose cgroup still holds a process fails"
like "$err" "container \`busy\`: cannot remove the cgroup $CG/pids/urun-$tag-busy \\(processes are still in it; \`delete --force\` kills them\\): Device or resource busy" \
  "... naming the directory and the way out"
ok "... after a bounded wait ($(( (t1 - t0) / 1000000 )) ms)" test $(( (t1 - t0) / 1000000 )) -lt 4000
ok "... without killing that process" kill -0 "$intruder"
run_urun list -q
is "$out" "busy" "... and keeps the state, so that delete can be retried"
kill -KILL "$intruder"
wait "$intruder" 2>/dev/null
run_urun delete busy
is "$status" 0 "once the process is gone, delete works"
is "$(cgroup_dirs "urun-$tag-busy")" "" "... and no cgroup is left"
run_urun list -q
is "$out" "" "... nor any state"
# --force kills what is left in any of the hierarchies.
run_urun create --bundle "$b" busy2
sleep 600 &
intruder=$!
echo "$intruder" >"$CG/memory/urun-$tag-busy2/cgroup.procs"
run_urun delete --force busy2
is "$status" 0 "delete --force of a container with a process in one v1 cgroup"
ok "... kills it" timeout 5 bash -c "while kill -0 $intruder 2>/dev/null; do sleep 0.05; done"
wait "$intruder" 2>/dev/null
is "$(cgroup_dirs "urun-$tag-busy2")" "" "... and removes every directory"

done_testing
