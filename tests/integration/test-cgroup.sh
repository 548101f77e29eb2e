#!/bin/bash
# test-cgroup.sh: the cgroupfs driver on the host (cgroup v2, or v1/hybrid
# as root), the "disabled" and "none" outcomes, and the commands that go
# through the cgroup: update, pause/resume, ps, events, kill --all, delete.
# The systemd driver is tested against a real systemd in
# tests/systemd-env/test-systemd.sh.
#
# As root the containers get cgroups below /urun-test-PID in every
# hierarchy, which this script removes at exit; nothing else on the host is
# touched.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"
. "$(dirname "$0")/lib-cgroup.sh"

# The directory of cgroup PATH for CONTROLLER (v1) or the v2 one.
cg_dir ()
{
  if [ "$mode" = unified ]; then echo "$CG$2"; else echo "$CG/$1$2"; fi
}

cgroup_of ()
{
  run_urun state "$1"
  json_get "$out" 'r["urun"]["cgroup"]'
}

new_bundle b urun-test-helper pause || done_testing
b=$bundle

# ---- bad input: these fail before anything is spawned ---------------------
run_urun --cgroup-manager cgroupfs create --bundle "$b" -p MemoryMax=1G bad1
is "$status" 1 "-p with --cgroup-manager cgroupfs fails"
like "$err" "systemd scope, but --cgroup-manager cgroupfs was given" "... and says why"
run_urun create --bundle "$b" -p Nonsense=1 bad2
is "$status" 1 "an unknown -p property fails"
like "$err" "unknown scope property \`Nonsense\`" "... naming it"
run_urun create --bundle "$b" -p MemoryMax=lots bad3
is "$status" 1 "a malformed -p value fails"
like "$err" "invalid value \`lots\` for property MemoryMax: expected a size" "... naming the property and the syntax"
run_urun list -q
is "$out" "" "no container state left by the bad inputs"

# ---- disabled ---------------------------------------------------------------
edit_config "$b" 'c["linux"].setdefault("resources", {})["pids"] = {"limit": 50}'
run_urun --cgroup-manager disabled create --bundle "$b" dis
is "$status" 0 "--cgroup-manager disabled: create works"
like "$err" "resource limits dropped because the container has no cgroup \\(cgroups disabled with --cgroup-manager disabled\\): pids.limit" \
  "... warning once which limits were dropped and why"
json_check "state records driver none, the reason and the dropped limit" "$(cgroup_of dis)" "
assert r['driver'] == 'none', r
assert 'disabled' in r['reason'], r
assert 'pids.limit' in r['droppedLimits'], r"
run_urun start dis
run_urun pause dis
is "$status" 1 "pause without a cgroup fails"
like "$err" "container \`dis\`: cannot pause: it has no cgroup \\(cgroups disabled" "... saying it has no cgroup and why"
run_urun ps --format json dis
is "$status" 0 "ps without a cgroup works (init and its pid namespace)"
like "$out" '^\[[0-9]+' "... listing init"
run_urun delete --force dis
is "$status" 0 "delete --force of a container without cgroup"

# ---- rootless: the ladder ends in "none" or a delegated cgroup --------------
if [ "$URUN_TEST_MODE" = rootless ]; then
  run_urun create --bundle "$b" rl
  is "$status" 0 "rootless create with a pids limit works"
  drv=$(json_get "$(cgroup_of rl)" 'r["driver"]')
  if [ "$drv" = none ]; then
    json_check "rootless without systemd or a delegated cgroup: none, with the reasons" "$(cgroup_of rl)" "
assert r['driver'] == 'none', r
assert 'systemd' in r['reason'] and 'cgroupfs' in r['reason'], r
assert r['droppedLimits'] == ['pids.limit'], r"
    like "$err" "resource limits dropped because the container has no cgroup" "... and one warning"
  else
    diag "rootless ladder took $drv here"
    ok "rootless ladder took a driver that works ($drv)" true
  fi
  run_urun start rl
  run_urun kill --all rl KILL
  is "$status" 0 "kill --all without a cgroup (pid namespace walk)"
  wait_status rl stopped
  run_urun delete rl
  is "$status" 0 "delete"
  done_testing
fi

# ---- root: cgroupfs -----------------------------------------------------------
if [ "$mode" = none ]; then
  skip "no cgroup file system mounted at $CG"
  done_testing
fi

path=/$top/c1
edit_config "$b" "
c['linux']['cgroupsPath'] = '$path'
c['linux']['resources']['memory'] = {'limit': 67108864}
c['linux']['resources']['pids'] = {'limit': 40}"
run_urun --cgroup-manager cgroupfs create --bundle "$b" c1
is "$status" 0 "cgroupfs create"
json_check "state records driver cgroupfs and the path" "$(cgroup_of c1)" "
assert r['driver'] == 'cgroupfs', r
assert r['path'] == '$path', r
assert 'unit' not in r, r"
run_urun state c1
pid=$(json_get "$out" 'r["pid"]')

pids_dir=$(cg_dir pids "$path")
mem_dir=$(cg_dir memory "$path")
if [ -e "$pids_dir/pids.max" ]; then
  is "$(cat "$pids_dir/pids.max")" 40 "pids.max is set"
  like "$(cat "$pids_dir/cgroup.procs")" "(^|$'\n')$pid($|$'\n')" "init is in the pids cgroup"
else
  skip "the pids controller is not available in $pids_dir"
fi
if [ "$mode" = v1 ] && [ -e "$mem_dir/memory.limit_in_bytes" ]; then
  is "$(cat "$mem_dir/memory.limit_in_bytes")" 67108864 "memory.limit_in_bytes is set (v1)"
elif [ -e "$mem_dir/memory.max" ]; then
  is "$(cat "$mem_dir/memory.max")" 67108864 "memory.max is set (v2)"
else
  skip "the memory controller is not available in $mem_dir"
fi
if [ "$mode" = v1 ] && [ -d "$CG/devices" ]; then
  like "$(cat "$(cg_dir devices "$path")/devices.list")" "c 1:3 rwm" "device rules: /dev/null allowed"
  unlike "$(cat "$(cg_dir devices "$path")/devices.list")" "^a \\*:\\* rwm" "device rules: not everything"
fi

run_urun start c1
is "$status" 0 "start"
# ---- pause / resume ------------------------------------------------------------
run_urun pause c1
is "$status" 0 "pause"
run_urun state c1
is "$(json_get "$out" 'r["status"]')" paused "status reads paused"
run_urun pause c1
is "$status" 1 "pausing a paused container fails"
like "$err" "it is paused, not running" "... naming the status"
run_urun resume c1
is "$status" 0 "resume"
run_urun state c1
is "$(json_get "$out" 'r["status"]')" running "status reads running again"

# ---- update -------------------------------------------------------------------------
run_urun update --pids-limit 33 --memory 96m c1
is "$status" 0 "update with options"
[ -e "$pids_dir/pids.max" ] && is "$(cat "$pids_dir/pids.max")" 33 "pids.max updated"
if [ "$mode" = v1 ] && [ -e "$mem_dir/memory.limit_in_bytes" ]; then
  is "$(cat "$mem_dir/memory.limit_in_bytes")" 100663296 "memory limit updated (96m)"
fi
echo '{"pids": {"limit": 34}}' >"$URUN_TEST_TMPDIR/r.json"
run_urun update --resources "$URUN_TEST_TMPDIR/r.json" c1
is "$status" 0 "update --resources FILE"
[ -e "$pids_dir/pids.max" ] && is "$(cat "$pids_dir/pids.max")" 34 "... applied"
echo '{"pids": {"limit": 35}}' >"$URUN_TEST_TMPDIR/r.json"
run_urun update "--resources=$URUN_TEST_TMPDIR/r.json" c1
is "$status" 0 "update --resources=FILE (one token, as podman sends it)"
[ -e "$pids_dir/pids.max" ] && is "$(cat "$pids_dir/pids.max")" 35 "... applied"
run_urun update --resources - c1 <<<'{"pids": {"limit": 36}}'
is "$status" 0 "update --resources - (stdin)"
[ -e "$pids_dir/pids.max" ] && is "$(cat "$pids_dir/pids.max")" 36 "... applied"
run_urun update --resources - c1 <<<'{"pids": {"limit": "many"}}'
is "$status" 1 "update with a malformed resources file fails"
like "$err" "pids.limit" "... naming the field"
run_urun update --memory lots c1
is "$status" 1 "update --memory with a bad size fails"
like "$err" "invalid value \`lots\` for --memory" "... naming the option"

# ---- ps, events ---------------------------------------------------------------------
run_urun ps --format json c1
is "$status" 0 "ps --format json"
like "$out" "^\\[$pid\\]$" "... lists the container's one process"
run_urun ps c1
is "$status" 0 "ps (table)"
like "$out" "PID" "... has the ps header"
like "$out" " $pid " "... and the container's process"
run_urun events --stats c1
is "$status" 0 "events --stats"
json_check "the stats event" "$out" "
assert r['type'] == 'stats' and r['id'] == 'c1', r
d = r['data']
if 'pids' in d: assert d['pids']['current'] >= 1 and d['pids']['limit'] == 36, d
assert 'memory' in d or 'cpu' in d, d"
"$URUN" --root "$URUN_TEST_STATE_ROOT" events --interval 100ms c1 >"$URUN_TEST_TMPDIR/events" 2>&1 &
ev=$!
sleep 0.5

# ---- kill --all through the cgroup, exit event ---------------------------------------
run_urun kill --all c1 KILL
is "$status" 0 "kill --all"
ok "the container stops" wait_status c1 stopped
ok "events ends when the container exits" timeout 5 bash -c "while kill -0 $ev 2>/dev/null; do sleep 0.05; done"
last=$(tail -n 1 "$URUN_TEST_TMPDIR/events")
json_check "the last event is the exit" "$last" "assert r['type'] == 'exit' and r['id'] == 'c1', r"
ok "stats came every interval before it" test "$(grep -c '"type":"stats"' "$URUN_TEST_TMPDIR/events")" -ge 2

# ---- delete removes the cgroup --------------------------------------------------------
run_urun delete c1
is "$status" 0 "delete"
left=$(ls -d "$CG"/"$top"/c1 "$CG"/*/"$top"/c1 2>/dev/null)
is "$left" "" "no cgroup directory left after delete"

# ---- a failed create leaves no cgroup ---------------------------------------------------
set_args "$b" /no/such/program
run_urun --cgroup-manager cgroupfs create --bundle "$b" c2
is "$status" 127 "create of a missing program fails (127)"
left=$(ls -d "$CG"/"$top"/c1 "$CG"/*/"$top"/c1 2>/dev/null)
is "$left" "" "no cgroup directory left after a failed create"
run_urun list -q
is "$out" "" "no state left after a failed create"

# ---- init is born in its cgroup, not moved there by pid ---------------------------------
# Writing a pid into cgroup.procs takes the kernel's global cgroup lock,
# whose first taking waits for an RCU grace period (7-14 ms; urun-cgroup.h).
# So init is cloned into the v2 directory (CLONE_INTO_CGROUP) and writes
# "0" into each v1 hierarchy's `tasks` file itself; strace's -y names each
# write's file.  LeakSanitizer cannot run under ptrace (see test-faults.sh).
no_leak_check=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
v2dir=
if [ "$mode" = unified ]; then v2dir=$CG; elif [ -d "$CG/unified" ]; then v2dir=$CG/unified; fi
# Runs urun ARGS (the cgroup path /$top/born) under strace and checks how
# WHO got into its cgroup.
traced_placement ()
{
  local who=$1 trace=$URUN_TEST_TMPDIR/born.trace c
  shift
  rm -f "$trace" "$trace".*
  # -ff: a file per process, so that no call is split across lines.
  "${no_leak_check[@]}" strace -ff -qq -y -s 64 -o "$trace" -e trace=clone3,write \
    -e signal=none "$URUN" --root "$URUN_TEST_STATE_ROOT" "$@" >/dev/null 2>&1
  is "$?" 0 "$who: urun under strace"
  cat "$trace".* >"$trace"
  unlike "$(grep -E 'cgroup.procs>, "[0-9]+"' "$trace")" . "$who: no pid is written into a cgroup.procs"
  if [ -n "$v2dir" ]; then
    like "$(grep 'clone3(' "$trace" | head -1)" "CLONE_INTO_CGROUP.*cgroup=[0-9]+" \
      "$who is cloned into its cgroup v2 directory"
  fi
  if [ "$mode" = v1 ]; then
    for c in memory pids freezer; do
      [ -d "$CG/$c" ] || continue
      like "$(grep "<$CG/$c/$top/born/tasks>, \"0\", 1) = 1" "$trace")" . \
        "$who writes 0 into the $c hierarchy's tasks file itself"
    done
  fi
}

if ! command -v strace >/dev/null; then
  skip "strace is missing (tests/setup-debian.sh installs it)"
else
  # A foreground run: strace -f ends with the last of its tracees.
  set_args "$b" urun-test-helper exit 0
  edit_config "$b" "c['linux']['cgroupsPath'] = '/$top/born'"
  traced_placement init --cgroup-manager cgroupfs run --bundle "$b" born
  # Where init is, seen from the host.
  set_args "$b" urun-test-helper pause
  run_urun --cgroup-manager cgroupfs create --bundle "$b" born
  is "$status" 0 "create"
  run_urun state born
  pid=$(json_get "$out" 'r["pid"]')
  if [ -n "$v2dir" ]; then
    like "$(cat "/proc/$pid/cgroup")" "0::/$top/born\$" "init is in its cgroup v2"
  fi
  if [ "$mode" = v1 ]; then
    for c in memory pids freezer; do
      [ -d "$CG/$c" ] || continue
      like "$(cat "/proc/$pid/cgroup")" "[:,]$c(,[a-z_]+)*:/$top/born" "init is in its $c cgroup"
    done
  fi
  # An exec's process is born in the container's cgroup v2 directory too,
  # and moves itself into the v1 ones.
  run_urun start born
  traced_placement "the exec process" exec born urun-test-helper exit 0
  run_urun exec born urun-test-helper cat-file /proc/self/cgroup
  like "$out" "[:,]pids(,[a-z_]+)*:/\$|0::/\$" "... and runs in the container's cgroup (its namespace root)"
  run_urun delete --force born
  is "$status" 0 "delete"

  # The fallback for a kernel or cgroup that refuses CLONE_INTO_CGROUP: an
  # EINVAL injected into the first clone3; init is moved by pid into its
  # v2 directory, still before it runs anything.
  if [ -n "$v2dir" ]; then
    "${no_leak_check[@]}" strace -qq -o /dev/null -e trace=clone3 \
      -e inject=clone3:error=EINVAL:when=1 -e signal=none \
      "$URUN" --root "$URUN_TEST_STATE_ROOT" --cgroup-manager cgroupfs \
      create --bundle "$b" born2 >/dev/null 2>"$URUN_TEST_TMPDIR/born2.err"
    is "$?" 0 "create when clone3 refuses CLONE_INTO_CGROUP"
    run_urun state born2
    pid=$(json_get "$out" 'r["pid"]')
    like "$(cat "/proc/$pid/cgroup")" "0::/$top/born\$" \
      "... init is moved into its cgroup v2 directory all the same"
    run_urun delete --force born2
    is "$status" 0 "delete"
  fi
  left=$(ls -d "$CG"/"$top"/born "$CG"/*/"$top"/born 2>/dev/null)
  is "$left" "" "no cgroup directory left"
fi

# ---- the default ladder as root where systemd does not run: cgroupfs, saying why --------
# Decided before the clone (the cgroup is made then), with the reason the
# systemd rung gave.
if [ ! -d /run/systemd/system ]; then
  set_args "$b" urun-test-helper pause
  edit_config "$b" "c['linux']['cgroupsPath'] = '/$top/ladder'"
  run_urun create --bundle "$b" lad
  is "$status" 0 "default manager without systemd: create works"
  json_check "... with the cgroupfs driver, and why not systemd" "$(cgroup_of lad)" "
assert r['driver'] == 'cgroupfs', r
assert '/run/systemd/system is missing' in r['reason'], r"
  run_urun delete --force lad
  is "$status" 0 "delete"
fi

# ---- the systemd driver where systemd does not run -------------------------------------
set_args "$b" urun-test-helper pause
edit_config "$b" 'del c["linux"]["cgroupsPath"]'
if [ ! -d /run/systemd/system ]; then
  run_urun --systemd-cgroup create --bundle "$b" c3
  is "$status" 1 "--systemd-cgroup without systemd fails"
  like "$err" "systemd \\(system bus\\) does not answer at /run/dbus/system_bus_socket \\(connect: .*start systemd, or pass --cgroup-manager cgroupfs" "... naming the bus and the way out"
  run_urun list -q
  is "$out" "" "... and leaves no state"
else
  skip "systemd runs here: the systemd suite covers --systemd-cgroup"
fi

done_testing
