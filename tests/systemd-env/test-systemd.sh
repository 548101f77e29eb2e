#!/bin/bash
# test-systemd.sh: the systemd cgroup driver against a real systemd, inside
# the test environment (run-in-env.sh): as root on the system bus, rootless
# on the user's bus.  Covers the scope (Delegate=yes, the pid, properties),
# the systemd-run style options, update, pause/resume, ps, events, kill
# --all, delete, the leftover-unit reset, the fallback ladder, a failed
# create, and bad input (unknown property, malformed value, a bus that does
# not answer).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

R=/sys/fs/cgroup
[ "$(stat -f -c %T $R)" = cgroup2fs ] || R=/sys/fs/cgroup/unified
if [ "$URUN_TEST_MODE" = rootless ]; then
  SC=(systemctl --user)
  BUSVAR=DBUS_SESSION_BUS_ADDRESS
  SRUN=(systemd-run --user)
  default_slice=app.slice
else
  SC=(systemctl)
  BUSVAR=DBUS_SYSTEM_BUS_ADDRESS
  SRUN=(systemd-run)
  default_slice=machine.slice
fi
[ -d /run/systemd/system ] || skip_all "systemd is not running here"

prop () { "${SC[@]}" show "$1" -p "$2" --value 2>/dev/null; }
cgroup_json () { run_urun state "$1"; json_get "$out" 'r["urun"]["cgroup"]'; }
# The reason a controller cannot be checked here, or nothing.
no_controller ()
{
  local dir=$1 c=$2
  if ! grep -qw "$c" "$dir/cgroup.controllers" 2>/dev/null; then
    echo "the $c controller is not available in $dir (cgroup.controllers: [$(cat "$dir/cgroup.controllers" 2>/dev/null)]; the host kernel keeps it on cgroup v1)"
  fi
}

new_bundle b urun-test-helper pause || done_testing
b=$bundle
edit_config "$b" '
c["linux"].setdefault("resources", {})
c["linux"]["resources"]["memory"] = {"limit": 67108864}
c["linux"]["resources"]["pids"] = {"limit": 64}
c["linux"]["resources"]["cpu"] = {"quota": 50000, "period": 100000}
c.setdefault("annotations", {})["org.systemd.property.TimeoutStopUSec"] = "uint64 15000000"'

# Without linux.cgroupsPath the unit is urun-ID.scope; a state root other
# than the default (these tests use --root) adds 8 hex digits of its
# SHA-256, so that two roots can hold the same id.
root_tag=$(printf %s "$URUN_TEST_STATE_ROOT" | sha256sum | cut -c1-8)
U1=urun-$root_tag-c1.scope

# ---- the default ladder takes systemd; the scope ------------------------------------
run_urun create --bundle "$b" c1
is "$status" 0 "create (default cgroup manager)"
run_urun state c1
pid=$(json_get "$out" 'r["pid"]')
json_check "the state records the systemd driver, the unit and the path" "$(cgroup_json c1)" "
assert r['driver'] == 'systemd', r
assert r['unit'] == '$U1', r
assert r['path'].endswith('/$default_slice/$U1'), r"
path=$(json_get "$(cgroup_json c1)" 'r["path"]')
dir=$R$path
is "$(prop "$U1" ActiveState)" active "the scope is active"
is "$(prop "$U1" Delegate)" yes "the scope has Delegate=yes"
is "$(prop "$U1" ControlGroup)" "$path" "systemd's ControlGroup is the recorded path"
like "$(cat "$dir/cgroup.procs" 2>/dev/null)" "(^|[^0-9])$pid([^0-9]|$)" "init ($pid) is in the scope's cgroup"
is "$(prop "$U1" Slice)" "$default_slice" "the default slice is $default_slice"
is "$(prop "$U1" MemoryMax)" 67108864 "MemoryMax from linux.resources.memory.limit"
is "$(prop "$U1" TasksMax)" 64 "TasksMax from linux.resources.pids.limit"
is "$(prop "$U1" CPUQuotaPerSecUSec)" 500ms "CPUQuotaPerSecUSec from cpu.quota/period"
is "$(prop "$U1" TimeoutStopUSec)" 15s "an org.systemd.property.* annotation"
is "$(prop "$U1" MemoryAccounting)" yes "accounting is on"
if [ "$URUN_TEST_MODE" = root ]; then
  is "$(prop "$U1" DevicePolicy)" strict "DevicePolicy=strict from the deny-all device rule"
  like "$(prop "$U1" DeviceAllow)" "/dev/char/1:3 rwm" "DeviceAllow has /dev/null"
fi
ok "the delegated cgroup is owned by the caller" test -O "$dir"
why=$(no_controller "$dir" memory)
if [ -z "$why" ]; then
  is "$(cat "$dir/memory.max")" 67108864 "memory.max is set in the scope"
else
  skip "memory.max: $why"
  json_check "a limit systemd took but cannot enforce is recorded as dropped" "$(cgroup_json c1)" "
assert any(d.startswith('memory.limit (systemd took the property') for d in r['droppedLimits']), r"
fi
why=$(no_controller "$dir" pids)
if [ -z "$why" ]; then
  is "$(cat "$dir/pids.max")" 64 "pids.max is set in the scope"
else
  skip "pids.max: $why"
fi

# ---- commands -------------------------------------------------------------------------
run_urun start c1
is "$status" 0 "start"
run_urun update --pids-limit 77 c1
is "$status" 0 "update --pids-limit"
is "$(prop "$U1" TasksMax)" 77 "update went through SetUnitProperties (TasksMax)"
run_urun update --resources - c1 <<<'{"memory": {"limit": 134217728}}'
is "$status" 0 "update --resources -"
is "$(prop "$U1" MemoryMax)" 134217728 "... MemoryMax updated"
run_urun pause c1
is "$status" 0 "pause"
run_urun state c1
is "$(json_get "$out" 'r["status"]')" paused "status reads paused"
is "$(cat "$dir/cgroup.freeze")" 1 "cgroup.freeze is 1"
run_urun resume c1
is "$status" 0 "resume"
run_urun state c1
is "$(json_get "$out" 'r["status"]')" running "status reads running"
run_urun ps --format json c1
like "$out" "^\\[$pid\\]$" "ps --format json lists init"
run_urun events --stats c1
json_check "events --stats" "$out" "assert r['type'] == 'stats' and 'cpu' in r['data'], r"
"$URUN" --root "$URUN_TEST_STATE_ROOT" events --interval 200ms c1 >"$URUN_TEST_TMPDIR/events" 2>&1 &
ev=$!
sleep 0.5
run_urun kill --all c1 KILL
is "$status" 0 "kill --all"
ok "the container stops" wait_status c1 stopped
ok "events ends with the container" timeout 5 bash -c "while kill -0 $ev 2>/dev/null; do sleep 0.05; done"
like "$(tail -n 1 "$URUN_TEST_TMPDIR/events")" '"type":"exit"' "the last event is the exit"
run_urun delete c1
is "$status" 0 "delete"
is "$(prop "$U1" LoadState)" not-found "no scope left after delete"
ok "no cgroup left after delete" test ! -d "$dir"

# ---- systemd-run style options ------------------------------------------------------------
run_urun run -d --bundle "$b" --unit myapp --slice urun-test --description "my app" --collect \
  -p CPUQuota=25% -p MemoryHigh=100M -p TasksMax=50 app
is "$status" 0 "run --unit --slice --description --collect -p ..."
is "$(prop myapp.scope ActiveState)" active "myapp.scope is active"
is "$(prop myapp.scope Slice)" urun-test.slice "--slice"
is "$(prop myapp.scope Description)" "my app" "--description"
is "$(prop myapp.scope CollectMode)" inactive-or-failed "--collect"
is "$(prop myapp.scope CPUQuotaPerSecUSec)" 250ms "-p CPUQuota=25%"
is "$(prop myapp.scope MemoryHigh)" 104857600 "-p MemoryHigh=100M"
is "$(prop myapp.scope TasksMax)" 50 "-p overrides the spec (TasksMax=50)"
run_urun delete --force app
is "$status" 0 "delete --force"
is "$(prop myapp.scope LoadState)" not-found "no myapp.scope left"

# ---- a leftover failed unit of the same name is reset ------------------------------------
"${SRUN[@]}" --quiet --scope --unit=urun-$root_tag-left.scope -p RuntimeMaxSec=1 sleep 30 >/dev/null 2>&1 &
for _ in $(seq 100); do
  [ "$(prop urun-$root_tag-left.scope ActiveState)" = failed ] && break
  sleep 0.1
done
is "$(prop urun-$root_tag-left.scope ActiveState)" failed "a failed leftover urun-$root_tag-left.scope exists"
run_urun create --bundle "$b" left
is "$status" 0 "create over the failed leftover (reset and retried)"
is "$(prop urun-$root_tag-left.scope ActiveState)" active "urun-$root_tag-left.scope is active again, with our container"
run_urun delete --force left
is "$(prop urun-$root_tag-left.scope LoadState)" not-found "and gone after delete"

# ---- a failed create leaves no scope, no cgroup -------------------------------------------
nb=$URUN_TEST_TMPDIR/nb
make_bundle "$nb" && set_args "$nb" /no/such/program && edit_config "$nb" 'c["process"]["terminal"] = False'
run_urun create --bundle "$nb" bad
is "$status" 127 "create of a missing program fails"
is "$(prop urun-$root_tag-bad.scope LoadState)" not-found "no scope left after the failed create"
ok "no cgroup left after the failed create" test ! -d "$R${path%/$U1}/urun-$root_tag-bad.scope"
run_urun list -q
is "$out" "" "no state left after the failed create"

# ---- bad input -------------------------------------------------------------------------------
run_urun create --bundle "$b" -p NoSuchProperty=1 x1
is "$status" 1 "an unknown property fails"
like "$err" "unknown scope property \`NoSuchProperty\`" "... naming it"
run_urun create --bundle "$b" -p CPUQuota=half x2
is "$status" 1 "a malformed value fails"
like "$err" "invalid value \`half\` for property CPUQuota: expected a percentage" "... naming the syntax"
run_urun list -q
is "$out" "" "no state left by bad input"
is "$("${SC[@]}" list-units --all --no-legend 'urun-x*' 2>/dev/null)" "" "no unit left by bad input"

# urun with the bus at $1, output in $out (a file, not $(...): a created
# container's init would hold the pipe open).
urun_with_bus ()
{
  local bus=$1
  shift
  env "$BUSVAR=unix:path=$bus" timeout 30 "$URUN" --root "$URUN_TEST_STATE_ROOT" "$@" \
    >"$URUN_TEST_TMPDIR/bus.out" 2>&1
  status=$?
  out=$(cat "$URUN_TEST_TMPDIR/bus.out")
}

# A bus that does not exist, and one that accepts and never answers.
urun_with_bus "$URUN_TEST_TMPDIR/nobus" --systemd-cgroup create --bundle "$b" nb1
is "$status" 1 "--systemd-cgroup with a bus that is not there fails"
like "$out" "does not answer at unix:path=$URUN_TEST_TMPDIR/nobus \\(connect: No such file or directory\\)" "... naming the bus"
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8); time.sleep(40)' \
  "$URUN_TEST_TMPDIR/mute" &
mute=$!
wait_for_file "$URUN_TEST_TMPDIR/mute"
urun_with_bus "$URUN_TEST_TMPDIR/mute" --systemd-cgroup create --bundle "$b" nb2
is "$status" 1 "--systemd-cgroup with a bus that never answers fails (after the timeout)"
like "$out" "does not answer|did not answer" "... saying it did not answer"
kill "$mute" 2>/dev/null
run_urun list -q
is "$out" "" "no state left"

# ---- the fallback ladder: no bus -> cgroupfs (delegated subtree) -> ... --------------------
# urun's cgroupfs driver has no BPF program for cgroup v2 device rules: as
# root it refuses them rather than let the container open every device.
if [ "$URUN_TEST_MODE" = root ]; then
  edit_config "$b" 'c["linux"]["resources"]["devices"] = [{"allow": False, "access": "rwm"}]'
  urun_with_bus "$URUN_TEST_TMPDIR/nobus" create --bundle "$b" lad
  is "$status" 1 "as root, falling back to cgroupfs on cgroup v2 with device rules fails"
  like "$out" "linux.resources.devices: urun's cgroupfs driver cannot enforce device rules on cgroup v2 \(that needs a BPF program\); use the systemd driver" \
    "... saying why and what to use"
  run_urun list -q
  is "$out" "" "... and leaves no state"
  ok "... nor a cgroup" test -z "$(ls -d "$R"/urun-*-lad 2>/dev/null)"
  edit_config "$b" 'del c["linux"]["resources"]["devices"]'
fi
urun_with_bus "$URUN_TEST_TMPDIR/nobus" create --bundle "$b" lad
is "$status" 0 "default manager without a bus falls back"
lad_out=$out
run_urun state lad
cg=$(json_get "$out" 'r["urun"]["cgroup"]')
json_check "the next rung is cgroupfs, with why systemd was not used" "$cg" "
assert r['driver'] == 'cgroupfs', r
assert 'systemd' in r['reason'] and 'does not answer' in r['reason'], r"
lad_dir=$R$(json_get "$cg" 'r["path"]')
ok "the cgroupfs directory exists" test -d "$lad_dir"
if [ -n "$(no_controller "$lad_dir" memory)" ]; then
  json_check "limits that cannot be applied there are recorded" "$cg" "
assert any(d.startswith('memory.limit') for d in r['droppedLimits']), r"
  like "$lad_out" "warning: resource limits not applied: .*memory.limit \\(the memory controller is not available" "... with one warning"
else
  skip "the memory controller exists here: nothing dropped"
fi
run_urun delete --force lad
is "$status" 0 "delete the cgroupfs container"
ok "its cgroup is gone" test ! -d "$lad_dir"

# ---- --cgroup-manager cgroupfs on this unified host: init is born in its cgroup --------
# Not moved there by pid (which takes the kernel's global cgroup lock and
# waits for an RCU grace period): clone3 with CLONE_INTO_CGROUP.  As root:
# rootless, cgroupfs needs a delegated subtree, which the scopes here are.
if [ "$URUN_TEST_MODE" = root ]; then
  run_urun --cgroup-manager cgroupfs create --bundle "$b" cfs
  is "$status" 0 "--cgroup-manager cgroupfs create on cgroup v2"
  run_urun state cfs
  pid=$(json_get "$out" 'r["pid"]')
  cfs_path=$(json_get "$(cgroup_json cfs)" 'r["path"]')
  like "$(cat "/proc/$pid/cgroup")" "0::$cfs_path\$" "init is in its cgroup"
  why=$(no_controller "$R$cfs_path" pids)
  if [ -z "$why" ]; then
    is "$(cat "$R$cfs_path/pids.max")" 64 "... which has its limits"
  else
    skip "$why"
  fi
  if command -v strace >/dev/null; then
    env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
      strace -qq -o "$URUN_TEST_TMPDIR/cfs.trace" -e trace=clone3,openat -e signal=none \
      "$URUN" --root "$URUN_TEST_STATE_ROOT" --cgroup-manager cgroupfs create --bundle "$b" cfs2 \
      >/dev/null 2>&1
    is "$?" 0 "traced create"
    like "$(grep 'clone3(' "$URUN_TEST_TMPDIR/cfs.trace")" "CLONE_INTO_CGROUP" \
      "init is cloned into its cgroup"
    unlike "$(grep 'cgroup.procs", O_WRONLY' "$URUN_TEST_TMPDIR/cfs.trace")" . \
      "... and no cgroup.procs is opened to move it"
    run_urun delete --force cfs2
    # An exec's process too is born in the container's cgroup.
    run_urun start cfs
    env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
      strace -qq -o "$URUN_TEST_TMPDIR/exec.trace" -e trace=clone3,openat -e signal=none \
      "$URUN" --root "$URUN_TEST_STATE_ROOT" exec cfs urun-test-helper exit 0 >/dev/null 2>&1
    is "$?" 0 "traced exec"
    like "$(grep 'clone3(' "$URUN_TEST_TMPDIR/exec.trace")" "CLONE_INTO_CGROUP" \
      "the exec process is cloned into the container's cgroup"
    unlike "$(grep 'cgroup.procs", O_WRONLY' "$URUN_TEST_TMPDIR/exec.trace")" . \
      "... and no cgroup.procs is opened to move it"
    run_urun exec cfs sh -c 'cat /proc/self/cgroup'
    like "$out" "0::/\$" "... where it is (the container's cgroup namespace root)"
  else
    skip "strace is missing"
  fi
  run_urun delete --force cfs
  is "$status" 0 "delete"
  ok "its cgroup is gone" test ! -d "$R$cfs_path"
fi

done_testing
