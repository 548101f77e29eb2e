#!/bin/bash
# test-stress.sh: 50 containers at once (create + start in parallel jobs,
# then delete), then 50 in a row (run), and afterwards no state, process or
# mount is left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
n=${URUN_STRESS_N:-50}
new_bundle b urun-test-helper pause || done_testing
b=$bundle
t_start=$(date +%s)

# All leftovers of containers s-1..s-N (or r-1..r-N), in one line each.
all_leftovers ()
{
  local prefix=$1 i
  for ((i = 1; i <= n; i++)); do
    leftovers "$b" "$prefix-$i"
  done
}

# wait_jobs PREFIX WHAT: waits for job[1..n] (the containers PREFIX-1..n)
# and sets $failed to how many failed, with each failure's stderr (saved in
# $URUN_TEST_TMPDIR/PREFIX-I.err) as a diagnostic.  Not in $(...): a
# subshell cannot wait for the test's own jobs.
wait_jobs ()
{
  local prefix=$1 what=$2 i
  failed=0
  for ((i = 1; i <= n; i++)); do
    if ! wait "${job[$i]}"; then
      failed=$((failed + 1))
      diag "$what $prefix-$i: $(cat "$URUN_TEST_TMPDIR/$prefix-$i.err" 2>/dev/null)"
    fi
  done
}

# ---- concurrently ------------------------------------------------------------
declare -A job
for ((i = 1; i <= n; i++)); do
  (
    "$URUN" --root "$root" create --bundle "$b" "s-$i" >/dev/null 2>"$URUN_TEST_TMPDIR/s-$i.err" \
      && "$URUN" --root "$root" start "s-$i" 2>>"$URUN_TEST_TMPDIR/s-$i.err"
  ) &
  job[$i]=$!
done
wait_jobs s create+start
is "$failed" 0 "$n concurrent create+start all succeed"

run_urun list --format json
json_check "list shows $n running containers" "$out" "
ids = sorted(x['id'] for x in r if x['status'] == 'running')
assert len(ids) == $n, (len(ids), [(x['id'], x['status']) for x in r if x['status'] != 'running'])"
json_check "each with its own pid" "$out" "
pids = [x['pid'] for x in r]
assert len(set(pids)) == len(pids) == $n, pids"

# Delete them concurrently too.
for ((i = 1; i <= n; i++)); do
  "$URUN" --root "$root" delete --force "s-$i" 2>"$URUN_TEST_TMPDIR/s-$i.err" &
  job[$i]=$!
done
wait_jobs s delete
is "$failed" 0 "$n concurrent delete --force all succeed"
is "$(state_entries)" "" "no state entry is left"
left=$(all_leftovers s)
is "$left" "" "no process or mount of the concurrent containers is left"

# ---- in a row ----------------------------------------------------------------------
set_args "$b" urun-test-helper exit 0
failed=0
for ((i = 1; i <= n; i++)); do
  run_urun run --bundle "$b" "r-$i"
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    diag "r-$i exited with $status: $err"
  fi
done
is "$failed" 0 "$n runs in a row all exit 0"
is "$(state_entries)" "" "no state entry is left"
left=$(all_leftovers r)
is "$left" "" "no process or mount of the runs is left"

# A mix: runs in parallel that each exit with their own status.
for ((i = 1; i <= 10; i++)); do
  "$URUN" --root "$root" run --bundle "$b" "x-$i" >/dev/null 2>&1 &
  job[$i]=$!
done
wrong=0
for ((i = 1; i <= 10; i++)); do
  wait "${job[$i]}" || wrong=$((wrong + 1))
done
is "$wrong" 0 "10 parallel foreground runs all exit 0"
is "$(state_entries)" "" "no state entry is left"

# How long it took is information, not a check: speed is measured by
# bench/, never by timed tests.
t_end=$(date +%s)
diag "stress took $((t_end - t_start)) s"

done_testing
