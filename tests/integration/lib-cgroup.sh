# shellcheck shell=bash
# lib-cgroup.sh: the cgroup fixture of test-cgroup.sh and
# test-cgroup-failure.sh, sourced after lib.sh and lib-container.sh.
#
# Sets CG (the cgroup mount), mode (unified, v1 or none) and top
# (urun-test-PID, the parent the tests put their cgroups below), and adds
# to the EXIT trap the removal of every directory named $top in any
# hierarchy.
# shellcheck disable=SC2034 # mode and top are for the sourcing test
CG=/sys/fs/cgroup
mode=none
if [ "$(stat -f -c %T $CG 2>/dev/null)" = cgroup2fs ]; then
  mode=unified
elif [ -d $CG/memory ] || [ -d $CG/pids ]; then
  mode=v1
fi
top=urun-test-$$

# shellcheck disable=SC2317 # runs from the EXIT trap
remove_test_cgroups ()
{
  local d
  for d in "$CG"/"$top" "$CG"/*/"$top"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
}
prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
# shellcheck disable=SC2064
trap "${prev_trap:-:}; remove_test_cgroups" EXIT
