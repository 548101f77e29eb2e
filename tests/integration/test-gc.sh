#!/bin/bash
# test-gc.sh: `urun gc` removes the state that containers whose processes
# are gone left behind: a foreground run whose urun was killed with -9, a
# create killed once init existed (URUN_TEST_STOP_AT=ready), a run --keep,
# and the private bundle of a killed `run --rootfs`, with their cgroups;
# one line per removal, exit 0.  Running and created containers are left
# alone; --dry-run removes nothing.  `list -f json` marks the leftovers with
# "leftover": true, and the table keeps runc's exact layout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
cgroup_args=()
[ "$URUN_TEST_MODE" = root ] && cgroup_args=(--cgroup-manager cgroupfs)
urun () { "$URUN" --root "$root" "${cgroup_args[@]}" "$@"; }

# The cgroup directories of container ID in every hierarchy.
cgroup_dirs ()
{
  local d
  for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    find "$d" -maxdepth 4 -type d -name "*$1*" 2>/dev/null
  done | sort -u
}

new_bundle g sleep 60 || done_testing
b=$bundle
# The containers that must stay have a rootfs of their own, so that
# no_leftovers of the removed ones does not see their processes.
new_bundle stay sleep 60 || done_testing
stay=$bundle
new_bundle short sh -c 'sleep 1' || done_testing
short=$bundle
r=$URUN_TEST_TMPDIR/rootfs
cp -a "$URUN_TEST_ROOTFS" "$r"

# ---- the leftovers -------------------------------------------------------------------
# A foreground run whose urun is killed: its payload lives on, then ends.
"$URUN" --root "$root" "${cgroup_args[@]}" run --bundle "$short" killed >/dev/null 2>&1 &
fg=$!
wait_status killed running 10
kill -KILL "$fg"
wait "$fg" 2>/dev/null
ok "a foreground run whose urun was killed -9 becomes stopped" wait_status killed stopped 10

# A create killed once init exists: init waits forever for a start.
URUN_TEST_STOP_AT=ready urun create --bundle "$b" half >/dev/null 2>&1
is "$?" 137 "a create killed at step ready"
ok "... is stopped" wait_status half stopped 5
half_cgroup=$(cgroup_dirs half)

urun run --bundle "$short" --keep kept >/dev/null 2>&1
is "$?" 0 "run --keep of a command that exits"

# A killed `run --rootfs`: its container and private bundle stay.
# (urun itself, not a subshell running it, must get the SIGKILL.)
"$URUN" --root "$root" "${cgroup_args[@]}" run --rootfs "$r" --name rootfs-k9 -- sh -c 'sleep 1' \
  >/dev/null 2>&1 &
fg=$!
wait_status rootfs-k9 running 10
kill -KILL "$fg"
wait "$fg" 2>/dev/null
wait_status rootfs-k9 stopped 10
ok "a killed run --rootfs leaves its private bundle" test -d "$root/.rootfs-rootfs-k9"

# ---- what must stay -------------------------------------------------------------------
urun run --detach --bundle "$stay" running >/dev/null 2>&1
is "$?" 0 "a running container"
urun create --bundle "$stay" created >/dev/null 2>&1
is "$?" 0 "a created container"

# ---- list marks the leftovers ----------------------------------------------------------
run_urun list -f json
json_check "list -f json: \"leftover\": true exactly for the stopped ones" "$out" "
got = {e['id']: e['leftover'] for e in r}
assert got == {'killed': True, 'half': True, 'kept': True, 'rootfs-k9': True,
               'running': False, 'created': False}, got"
run_urun list
is "$(echo "$out" | head -n 1 | tr -s ' ')" "ID PID STATUS BUNDLE CREATED OWNER" "the table keeps runc's header"
is "$(echo "$out" | wc -l)" 7 "... one line per container, no marker lines"
is "$err" "" "... and nothing on stderr when it is no terminal"

# ---- --dry-run -------------------------------------------------------------------------------
entries=$(ls -A "$root" | sort | tr '\n' ' ')
run_urun gc --dry-run
is "$status" 0 "gc --dry-run exits 0"
is "$out" "would remove half
would remove kept
would remove killed
would remove rootfs-k9" "... naming each leftover"
is "$(ls -A "$root" | sort | tr '\n' ' ')" "$entries" "... and removes nothing"

# ---- gc --------------------------------------------------------------------------------------
run_urun "${cgroup_args[@]}" gc
is "$status" 0 "gc exits 0"
is "$out" "removed half
removed kept
removed killed
removed rootfs-k9
removed the bundle $root/.rootfs-rootfs-k9 of a killed \`run --rootfs\`" "... one line per removal"
is "$(ls -A "$root" | sort | tr '\n' ' ')" "created running " "only the created and running containers stay"
for id in half killed kept rootfs-k9; do
  no_leftovers "$id: no state, process or mount left" "$b" "$id"
done
if [ -n "$half_cgroup" ]; then
  is "$(cgroup_dirs half)" "" "half's cgroup is removed too ($half_cgroup)"
else
  skip "half got no cgroup here (no cgroup driver for this user)"
fi
ok "the running container still runs" wait_status running running 2
ok "the created container is still created" wait_status created created 2

run_urun gc
is "$status:$out" "0:" "a second gc finds nothing"

done_testing
