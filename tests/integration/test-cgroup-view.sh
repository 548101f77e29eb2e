#!/bin/bash
# test-cgroup-view.sh: what a `cgroup` mount shows inside the container.
#
# Without a cgroup namespace each hierarchy is the container's own cgroup
# directory, bound read-only (runc's and crun's layout: a tmpfs with one
# directory per v1 hierarchy on a v1 or hybrid host, the v2 directory
# itself on a unified one); with a cgroup namespace, the namespace's root.
# Either way the limits the runtime set read back inside, `update` is seen
# at once, nothing can be written, and nothing of the host's tree above the
# container's cgroup is reachable.
#
# As root the containers get cgroups below /urun-test-view-PID (cgroupfs
# driver), removed at exit.  Rootless, the container's cgroup is whatever
# the ladder gave it (on a v1 host without delegation: the caller's own).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

CG=/sys/fs/cgroup
case "$(stat -f -c %T $CG 2>/dev/null)" in
  cgroup2fs) mode=unified ;;
  tmpfs) mode=v1 ;;
  *) skip_all "no cgroup file system at $CG" ;;
esac
if [ "$mode" = v1 ] && [ ! -d $CG/memory ]; then
  skip_all "no v1 memory hierarchy at $CG/memory"
fi
top=urun-test-view-$$

# shellcheck disable=SC2317 # runs from the EXIT trap
remove_test_cgroups ()
{
  local d
  for d in "$CG/$top" "$CG"/*/"$top"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
}
if [ "$URUN_TEST_MODE" = root ]; then
  prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
  # shellcheck disable=SC2064
  trap "${prev_trap:-:}; remove_test_cgroups" EXIT
fi

# The container's view, as files to read: mem (the memory limit file), pids
# (pids.max) and the path of each inside /sys/fs/cgroup.
if [ "$mode" = unified ]; then
  mem_file=memory.max
  mem_in=$CG/memory.max pids_in=$CG/pids.max mnt_mem=$CG
else
  mem_file=memory.limit_in_bytes
  mem_in=$CG/memory/memory.limit_in_bytes pids_in=$CG/pids/pids.max mnt_mem=$CG/memory
fi

# The cgroup path of PID in the hierarchy of CONTROLLER (v2: the unified
# one), as the host sees it; host_dir_of: its directory.
host_path_of ()
{
  if [ "$mode" = unified ]; then
    sed -n 's/^0:://p' "/proc/$1/cgroup"
  else
    awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
      "/proc/$1/cgroup"
  fi
}
host_dir_of ()
{
  if [ "$mode" = unified ]; then echo "$CG$(host_path_of "$1")"; else echo "$CG/$2$(host_path_of "$1" "$2")"; fi
}

# Field F (4: root, 6: options) of the mountinfo line of mount point MP in
# the mountinfo text on stdin.
mountinfo_field ()
{
  awk -v mp="$1" -v f="$2" '$5 == mp { v = $f } END { print v }'
}

# Makes bundle NAME running `sleep`, with CGNS (yes|no) a cgroup
# namespace, the test's limits (as root) and cgroupsPath /$top/NAME.
view_bundle ()
{
  local name=$1 cgns=$2
  new_bundle "$name" sleep 100000 || return 1
  edit_config "$bundle" "
ns = [n for n in c['linux']['namespaces'] if n['type'] != 'cgroup']
if '$cgns' == 'yes':
    ns.append({'type': 'cgroup'})
c['linux']['namespaces'] = ns
if '$URUN_TEST_MODE' == 'root':
    c['linux']['cgroupsPath'] = '/$top/$name'
    r = c['linux'].setdefault('resources', {})
    r['memory'] = {'limit': 33554432}
    r['pids'] = {'limit': 50}"
}

# As root the cgroupfs driver, whose paths the test chooses; rootless the
# ladder (on a v1 host without delegation it ends in the caller's cgroup).
manager=()
[ "$URUN_TEST_MODE" = root ] && manager=(--cgroup-manager cgroupfs)
# The number of cgroup mounts right below /sys/fs/cgroup in the mountinfo
# text on stdin.
count_hierarchies ()
{
  awk -v cg=$CG '/ - cgroup2? / && $5 ~ "^" cg "/[^/]+$"' | wc -l
}

# Prints the cgroup mounts of the mountinfo text MI whose root is not what
# it should be: the cgroup of PID in that hierarchy without a cgroup
# namespace (NS=no), "/" with one (NS=yes).  Empty when all are right.
wrong_roots ()
{
  python3 - "$1" "/proc/$2/cgroup" "$3" <<'PY'
import sys
mi, cgfile, ns = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
paths = {}
for line in open(cgfile):
    _, ctrls, path = line.rstrip("\n").split(":", 2)
    paths[ctrls] = path
for line in mi.splitlines():
    pre, post = line.split(" - ", 1)
    fields, (fstype, _, sopts) = pre.split(), post.split()
    if fstype not in ("cgroup", "cgroup2"):
        continue
    opts = set(sopts.split(","))
    if fstype == "cgroup2":
        want = paths.get("")
    else:
        want = next((p for c, p in paths.items() if c and set(c.split(",")) <= opts), None)
    if ns:
        want = "/"
    if fields[3] != want:
        print("%s: root %s, expected %s" % (fields[4], fields[3], want))
PY
}

host_mounts_before=$(grep -E ' - cgroup2? ' /proc/self/mountinfo)

# ---- without a cgroup namespace: the container's own directories ------------
view_bundle own no || done_testing
run_urun "${manager[@]}" run --detach --bundle "$bundle" own
is "$status" 0 "run -d without a cgroup namespace" || done_testing
run_urun state own
pid=$(json_get "$out" 'r["pid"]')
own_path=$(host_path_of "$pid" memory)
diag "the container's memory cgroup: $own_path"

run_urun exec own cat /proc/self/mountinfo
mi=$out
is "$(mountinfo_field "$mnt_mem" 4 <<<"$mi")" "$own_path" \
  "$mnt_mem is the container's own cgroup (mountinfo root $own_path)"
like "$(mountinfo_field "$mnt_mem" 6 <<<"$mi")" '^ro,nosuid,nodev,noexec' "... read-only, nosuid, nodev, noexec"
if [ "$mode" = v1 ]; then
  like "$(mountinfo_field $CG 6 <<<"$mi")" '^ro,' "the tmpfs at $CG is read-only"
  is "$(count_hierarchies <<<"$mi")" "$(count_hierarchies </proc/self/mountinfo)" \
    "one mount per host hierarchy (v1 controllers, named ones, the v2 one)"
  is "$(wrong_roots "$mi" "$pid" no)" "" "every hierarchy shows the container's own cgroup" ||
    diag "$mi"
  run_urun exec own sh -c "ls $CG | sort | tr '\n' ' '"
  for h in $(grep -E ' - cgroup2? ' /proc/self/mountinfo | awk -v cg=$CG '$5 ~ "^" cg "/" { sub(".*/", "", $5); print $5 }' | sort); do
    like " $out" " $h " "$CG/$h exists inside"
  done
fi

if [ "$URUN_TEST_MODE" = root ]; then
  run_urun exec own cat "$mem_in" "$pids_in"
  is "$(echo $out)" "33554432 50" "the memory (32 MiB) and pids (50) limits read back inside"
  run_urun update --memory 64m --pids-limit 60 own
  is "$status" 0 "update --memory 64m --pids-limit 60" || diag "$err"
  run_urun exec own cat "$mem_in" "$pids_in"
  is "$(echo $out)" "67108864 60" "... read back inside at once"
  echo '{"memory": {"limit": 41943040}}' >"$URUN_TEST_TMPDIR/r.json"
  run_urun update --resources "$URUN_TEST_TMPDIR/r.json" own
  run_urun exec own cat "$mem_in"
  is "$out" 41943040 "update --resources is seen inside too"
  # A sibling cgroup the container must not see.
  mkdir -p "$(dirname "$mnt_mem$own_path")/sibling"
  run_urun exec own sh -c "find $CG/ -name sibling; ls -a $mnt_mem/.. $mnt_mem/../.. | grep -c sibling"
  is "$out" 0 "a sibling cgroup of the container is not reachable (not even through ..)"
else
  run_urun exec own cat "$mem_in"
  is "$status:$(cat "$mnt_mem$own_path/$mem_file")" "0:$out" \
    "the memory limit inside is the one of the container's cgroup ($own_path)"
fi
run_urun exec own sh -c "echo 100 > $pids_in"
is "$status" 1 "writing $pids_in fails"
like "$err" "Read-only file system" "... on a read-only file system"
run_urun exec own sh -c "mkdir $mnt_mem/sub"
is "$status" 1 "creating a cgroup below $mnt_mem fails"
if [ "$URUN_TEST_MODE" = root ]; then
  is "$(cat "$(host_dir_of "$pid" pids)/pids.max")" 60 "the host's pids.max is unchanged"
fi
run_urun delete --force own
is "$status" 0 "delete --force"

# ---- rw: the container's own cgroup becomes writable, nothing above it -----
if [ "$URUN_TEST_MODE" = root ]; then
  view_bundle rw no || done_testing
  edit_config "$bundle" "
for m in c['mounts']:
    if m['type'] == 'cgroup':
        m['options'] = [o for o in m['options'] if o != 'ro'] + ['rw']"
  run_urun "${manager[@]}" run --detach --bundle "$bundle" rw
  is "$status" 0 "run -d with a cgroup mount that says rw" || done_testing
  run_urun state rw
  pid=$(json_get "$out" 'r["pid"]')
  run_urun exec rw sh -c "echo 45 > $pids_in && cat $pids_in"
  is "$status:$out:$(cat "$(host_dir_of "$pid" pids)/pids.max")" "0:45:45" \
    "rw: the container may change its own pids.max"
  run_urun exec rw cat /proc/self/mountinfo
  like "$(mountinfo_field "$mnt_mem" 6 <<<"$out")" '^rw,nosuid,nodev,noexec' "... still nosuid, nodev, noexec"
  is "$(wrong_roots "$out" "$pid" no)" "" "... and still sees only its own cgroups"
  run_urun delete --force rw
fi

# ---- with a cgroup namespace: the namespace's root --------------------------
view_bundle ns yes || done_testing
run_urun "${manager[@]}" run --detach --bundle "$bundle" ns
is "$status" 0 "run -d with a cgroup namespace" || done_testing
run_urun state ns
pid=$(json_get "$out" 'r["pid"]')
run_urun exec ns cat /proc/self/mountinfo
mi=$out
is "$(mountinfo_field "$mnt_mem" 4 <<<"$mi")" / "$mnt_mem is the namespace's root (mountinfo root /)"
like "$(mountinfo_field "$mnt_mem" 6 <<<"$mi")" '^ro,nosuid,nodev,noexec' "... read-only, nosuid, nodev, noexec"
if [ "$mode" = v1 ]; then
  is "$(wrong_roots "$mi" "$pid" yes)" "" "every hierarchy shows the namespace's root" ||
    diag "$mi"
fi
if [ "$URUN_TEST_MODE" = root ]; then
  run_urun exec ns cat "$mem_in" "$pids_in"
  is "$(echo $out)" "33554432 50" "the limits read back inside"
  run_urun update --memory 48m ns
  run_urun exec ns cat "$mem_in"
  is "$out" 50331648 "update --memory is seen inside"
fi
run_urun exec ns sh -c "echo 100 > $pids_in"
is "$status" 1 "writing $pids_in fails"
run_urun delete --force ns

# ---- a joined cgroup namespace the container's user namespace does not own --
# The kernel refuses a fresh mount there, and the container's directories
# cannot be found from inside it: an error, never the host's tree.
if [ "$URUN_TEST_MODE" = root ]; then
  view_bundle joined no || done_testing
  set_args "$bundle" true
  edit_config "$bundle" "
c['linux']['namespaces'] += [{'type': 'cgroup', 'path': '/proc/self/ns/cgroup'}, {'type': 'user'}]
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]"
  run_urun "${manager[@]}" run --bundle "$bundle" joined
  is "$status" 1 "a cgroup mount in the host's cgroup namespace from a user namespace fails"
  like "$err" "mount .$CG(/[^ ]*)?.: Operation not permitted" "... naming the mount"
  no_leftovers "... and leaves nothing behind" "$bundle" joined
fi

is "$(grep -E ' - cgroup2? ' /proc/self/mountinfo)" "$host_mounts_before" \
  "the host's cgroup mounts are unchanged (still read-write)"

done_testing
