#!/bin/bash
# test-services.sh: urun as the process of a Type=notify service
# (ExecStart=urun run ...), inside the test environment (run-in-env.sh): as
# root in a service of the system manager, rootless in one of the user's
# manager.  The container belongs to the service's cgroup (a sub-cgroup with
# Delegate=yes where systemd marks the delegation), urun stays the main pid,
# `systemctl stop` stops the container, and after a stop that timed out and
# SIGKILLed urun the next start replaces the stopped record.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

R=/sys/fs/cgroup
[ "$(stat -f -c %T $R)" = cgroup2fs ] || R=/sys/fs/cgroup/unified
if [ "$URUN_TEST_MODE" = rootless ]; then
  SC=(systemctl --user)
  SRUN=(systemd-run --user)
else
  SC=(systemctl)
  SRUN=(systemd-run)
fi
[ -d /run/systemd/system ] || skip_all "systemd is not running here"

prop () { "${SC[@]}" show "$1" -p "$2" --value 2>/dev/null; }
cgroup_json () { run_urun state "$1"; json_get "$out" 'r["urun"]["cgroup"]'; }
cgroup_of () { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }
root_tag=$(printf %s "$URUN_TEST_STATE_ROOT" | sha256sum | cut -c1-8)
tag=$$

new_bundle b || done_testing
b=$bundle
# The payload says READY=1 and ends on SIGTERM.
set_args "$b" sh -c 'trap "exit 0" TERM; urun-test-helper notify READY=1; while :; do sleep 0.2; done'

# start_service UNIT ID [PROPERTY...]: `urun run` of $b as the Type=notify
# service UNIT; systemd-run returns once READY=1 reached systemd.
start_service ()
{
  local unit=$1 id=$2
  shift 2
  local props=()
  for p in "$@"; do props+=(-p "$p"); done
  "${SRUN[@]}" --quiet --unit "$unit" -p Type=notify "${props[@]}" -- \
    "$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$b" "$id" \
    >"$URUN_TEST_TMPDIR/srun.out" 2>&1
  status=$?
}

# ---- a Type=notify service without delegation ----------------------------------------
U1=urun-svc1-$tag.service
start_service "$U1" s1
is "$status" 0 "systemd-run -p Type=notify -- urun run: the start job succeeds (READY=1 arrived)"
[ "$status" -eq 0 ] || diag "$(cat "$URUN_TEST_TMPDIR/srun.out")"
is "$(prop "$U1" ActiveState)" active "the service is active"
run_urun state s1
pid=$(json_get "$out" 'r["pid"]')
svc_cg=$(prop "$U1" ControlGroup)
is "$(cgroup_of "$pid")" "$svc_cg" "the container's init is in the service's cgroup ($svc_cg)"
json_check "the state says why: the service's cgroup, not delegated" "$(cgroup_json s1)" "
assert r['driver'] == 'none', r
assert r['unit'] == '$U1', r
assert r['path'] == '$svc_cg', r
assert 'urun runs as $U1' in r['reason'] and 'not delegated' in r['reason'], r"
main=$(prop "$U1" MainPID)
is "$(cat "/proc/$main/comm" 2>/dev/null)" urun "urun stays the main pid ($main), not the container's init"
is "$("${SC[@]}" list-units --all --no-legend "urun-$root_tag-s1.scope" 2>/dev/null)" "" \
  "no scope of its own"
"${SC[@]}" stop "$U1"
is "$?" 0 "systemctl stop"
is "$(prop "$U1" ActiveState)" inactive "the service is inactive"
ok "the container's init is gone" bash -c "! kill -0 $pid 2>/dev/null"
run_urun list -q
is "$out" "" "urun deleted the container on the way out"

# ---- with Delegate=yes ----------------------------------------------------------------
U2=urun-svc2-$tag.service
start_service "$U2" s2 Delegate=yes
is "$status" 0 "a service with Delegate=yes starts"
svc_cg=$(prop "$U2" ControlGroup)
run_urun state s2
pid=$(json_get "$out" 'r["pid"]')
if [ "$URUN_TEST_MODE" = root ]; then
  sub=$svc_cg/urun-$root_tag-s2
  is "$(cgroup_of "$pid")" "$sub" "init is in a sub-cgroup of the delegated service ($sub)"
  json_check "the state records the sub-cgroup" "$(cgroup_json s2)" "
assert r['driver'] == 'cgroupfs', r
assert r['unit'] == '$U2', r
assert r['path'] == '$sub', r
assert 'Delegate=yes' in r['reason'], r"
  run_urun ps --format json s2
  like "$out" "^\\[$pid[],]" "ps lists init from the sub-cgroup"
else
  # The user manager of this systemd marks no delegation on the cgroup.
  is "$(cgroup_of "$pid")" "$svc_cg" "init is in the service's cgroup"
  json_check "the state records the service's cgroup" "$(cgroup_json s2)" "
assert r['driver'] == 'none' and r['unit'] == '$U2', r"
fi
"${SC[@]}" stop "$U2"
is "$(prop "$U2" ActiveState)" inactive "the delegated service stops"
ok "its init is gone" bash -c "! kill -0 $pid 2>/dev/null"
ok "no cgroup left" test ! -d "$R$svc_cg"
run_urun list -q
is "$out" "" "no container left"

# ---- a stop that times out, then a new start -------------------------------------------
# A payload that ignores SIGTERM: the stop times out and systemd SIGKILLs the
# whole service, urun included, which leaves a stopped record.
set_args "$b" sh -c 'trap "" TERM; urun-test-helper notify READY=1; while :; do sleep 0.2; done'
U3=urun-svc3-$tag.service
start_service "$U3" s3 TimeoutStopSec=1
is "$status" 0 "a service whose payload ignores SIGTERM starts"
run_urun state s3
pid=$(json_get "$out" 'r["pid"]')
"${SC[@]}" stop "$U3"
ok "the stop timed out and killed the container" bash -c "! kill -0 $pid 2>/dev/null"
is "$(prop "$U3" Result)" timeout "systemd records the timeout"
run_urun state s3
is "$(json_get "$out" 'r["status"]')" stopped "the record is left behind as stopped"
"${SC[@]}" reset-failed "$U3" 2>/dev/null
start_service "$U3" s3 TimeoutStopSec=1
is "$status" 0 "the next start of the service works: run replaced the stopped record"
[ "$status" -eq 0 ] || diag "$(cat "$URUN_TEST_TMPDIR/srun.out")"
is "$(prop "$U3" ActiveState)" active "the service is active again"
run_urun state s3
is "$(json_get "$out" 'r["status"]')" running "the new container runs"
"${SC[@]}" kill -s KILL "$U3" 2>/dev/null
"${SC[@]}" stop "$U3" 2>/dev/null
"${SC[@]}" reset-failed "$U3" 2>/dev/null
run_urun delete --force s3

done_testing
