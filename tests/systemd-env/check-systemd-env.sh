#!/bin/bash
# check-systemd-env.sh - verify an environment started by start-systemd-env.sh:
#   1. root: StartTransientUnit(.scope, PIDs=[pid], Delegate=yes) on the system
#      bus moves the pid into the scope; systemd-run --scope works
#   2. test user: systemd-run --user --scope -p Delegate=yes works, and the
#      delegated cgroup is owned by / writable for that user
#   3. reports the cgroup controllers usable inside (memory.max / pids.max?)
#   4. unprivileged user namespaces + newuidmap/newgidmap for the test user
# Prints one PASS/FAIL line per check and 'N passed, N failed' at the end.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
X=${SDENV_EXEC:-$HERE/sdenv-exec}
# every inner script starts with this: R = cgroup2 mount inside the container
R='R=/sys/fs/cgroup; [ "$(stat -f -c %T $R)" = cgroup2fs ] || R=/sys/fs/cgroup/unified; '
pass=0 fail=0
ok()  { echo "PASS: $*"; pass=$((pass+1)); }
bad() { echo "FAIL: $*"; fail=$((fail+1)); }
chk() { local d=$1; shift; local out; if out=$("$@" 2>&1); then ok "$d"; else bad "$d"; fi; printf '%s\n' "$out" | sed 's/^/    /'; }

# ---- 1. system manager, root -------------------------------------------------
chk "root: busctl StartTransientUnit(PIDs, Delegate=yes) moves the pid into the scope" "$X" -- bash -c "$R"'
set -e
sleep 300 & P=$!
U=sdenv-check-$P.scope
busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
   StartTransientUnit "ssa(sv)a(sa(sv))" "$U" fail 2 PIDs au 1 "$P" Delegate b true 0
for i in $(seq 50); do grep -q "^0::/system.slice/$U\$" /proc/$P/cgroup && break; sleep 0.1; done
echo "pid $P: $(grep ^0:: /proc/$P/cgroup)"
grep -q "^0::/system.slice/$U\$" /proc/$P/cgroup
systemctl show "$U" -p Delegate -p ControlGroup -p ActiveState | tr "\n" " "; echo
[ "$(systemctl show "$U" -p Delegate --value)" = yes ]
mkdir $R/system.slice/$U/sub && echo $P > $R/system.slice/$U/sub/cgroup.procs
echo "moved into delegated child: $(grep ^0:: /proc/$P/cgroup)"
kill $P'

chk "root: systemd-run --scope -p Delegate=yes" "$X" -- systemd-run --quiet --scope -p Delegate=yes --unit=sdenv-check-run.scope \
    bash -c 'grep ^0:: /proc/self/cgroup; grep -q "^0::/system.slice/sdenv-check-run.scope$" /proc/self/cgroup'

# ---- 2. user manager, unprivileged user --------------------------------------
chk "user: systemd-run --user --scope -p Delegate=yes; delegated subtree writable" "$X" -u -- bash -c "$R"'
set -e
echo "caller: $(id -un) uid=$(id -u) $(grep ^0:: /proc/self/cgroup) XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
systemd-run --user --quiet --scope -p Delegate=yes --unit=sdenv-check-user.scope bash -c "
  set -e
  CG=$R\$(grep ^0:: /proc/self/cgroup | cut -d: -f3)
  echo \"scope cgroup: \$CG\"
  stat -c \"  %U:%G %A %n\" \$CG \$CG/cgroup.procs \$CG/cgroup.subtree_control
  [ -O \$CG ] && [ -O \$CG/cgroup.procs ]
  mkdir \$CG/payload && echo \$\$ > \$CG/payload/cgroup.procs
  echo \"  after self-move: \$(grep ^0:: /proc/self/cgroup)\"
  echo \"  controllers available in the delegated scope: [\$(cat \$CG/cgroup.controllers)]\"
"'

chk "user: busctl --user StartTransientUnit(PIDs, Delegate=yes)" "$X" -u -- bash -c "$R"'
set -e
sleep 300 & P=$!
U=sdenv-check-u-$P.scope
busctl --user call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
   StartTransientUnit "ssa(sv)a(sa(sv))" "$U" fail 2 PIDs au 1 "$P" Delegate b true 0
for i in $(seq 50); do grep -q "/app.slice/$U\$" /proc/$P/cgroup && break; sleep 0.1; done
echo "pid $P: $(grep ^0:: /proc/$P/cgroup)"
grep -q "/app.slice/$U\$" /proc/$P/cgroup
CG=$R$(grep ^0:: /proc/$P/cgroup | cut -d: -f3)
[ -O "$CG" ] && mkdir "$CG/c1" && echo $P > "$CG/c1/cgroup.procs" && echo "moved into $CG/c1"
kill $P'

# ---- 3. controllers -----------------------------------------------------------
echo "INFO: cgroup controllers"
"$X" -- bash -c "$R"'
echo "  /sys/fs/cgroup is $(stat -f -c %T /sys/fs/cgroup); cgroup2 at $R"
findmnt -n -o TARGET,FSTYPE,OPTIONS -R /sys/fs/cgroup | sed "s/^/    /"
echo "  root cgroup.controllers inside: [$(cat $R/cgroup.controllers 2>/dev/null)]"
systemd-run --quiet --scope -p Delegate=yes -p MemoryMax=64M -p TasksMax=32 --unit=sdenv-check-limits.scope bash -c "
  CG=$R\$(grep ^0:: /proc/self/cgroup | cut -d: -f3)
  echo \"  scope with MemoryMax=64M TasksMax=32: memory.max=\$(cat \$CG/memory.max 2>&1 | tail -c 60)\"
  echo \"  pids.max=\$(cat \$CG/pids.max 2>&1 | tail -c 60)\"
  for c in memory pids; do [ -d /sys/fs/cgroup/\$c ] && echo \"  v1 \$c: cgroup \$(grep :\$c: /proc/self/cgroup), scope dir: \$(ls -d /sys/fs/cgroup/\$c/system.slice/sdenv-check-limits.scope 2>&1 | tail -c 50)\"; done
"' 2>&1
echo "  host: /sys/fs/cgroup/unified/cgroup.controllers = [$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)]"
echo "  host: v1 hierarchies holding controllers: $(awk 'NR>1 && $2>0 {printf "%s ", $1}' /proc/cgroups)"

# ---- 4. user namespaces --------------------------------------------------------
chk "user: unshare --user --map-auto (newuidmap/newgidmap with /etc/subuid, /etc/subgid)" "$X" -u -- bash -c '
set -e
grep "^$(id -un):" /etc/subuid /etc/subgid
unshare --user --map-auto --map-root-user bash -c "id; cat /proc/self/uid_map /proc/self/gid_map"
[ "$(unshare --user --map-auto --map-root-user cat /proc/self/uid_map | wc -l)" -ge 2 ]'

chk "user: explicit newuidmap/newgidmap on a child userns" "$X" -u -- bash -c '
set -e
S=$(grep "^$(id -un):" /etc/subuid | cut -d: -f2); G=$(grep "^$(id -un):" /etc/subgid | cut -d: -f2)
unshare --user sleep 30 & P=$!; sleep 0.3
newuidmap $P 0 $(id -u) 1 1 $S 65536
newgidmap $P 0 $(id -g) 1 1 $G 65536
cat /proc/$P/uid_map /proc/$P/gid_map; kill $P'

chk "user: rootless userns + own mount/pid ns inside its delegated scope" "$X" -u -- systemd-run --user --quiet --scope -p Delegate=yes \
    unshare --user --map-auto --map-root-user --mount --pid --fork --mount-proc bash -c 'id -u; echo "pid in ns: $$"; mount -t tmpfs t /mnt && echo tmpfs-mount-ok'

# ---- 5. limits in delegated scopes (only where the controllers exist) --------
skip=0
ctrls=$("$X" -- bash -c "$R"'cat $R/cgroup.controllers' 2>/dev/null)
if [[ " $ctrls " == *" memory "* && " $ctrls " == *" pids "* ]]; then
    LIMITS='
CG=$R$(grep ^0:: /proc/self/cgroup | cut -d: -f3)
echo "scope $CG: controllers=[$(cat $CG/cgroup.controllers)] memory.max=$(cat $CG/memory.max) pids.max=$(cat $CG/pids.max)"
[ "$(cat $CG/memory.max)" = 67108864 ] && [ "$(cat $CG/pids.max)" = 16 ]
# what an OCI runtime does in its delegated scope: leaf for itself, child with limits
mkdir $CG/self $CG/ctr && echo $$ > $CG/self/cgroup.procs
echo "+memory +pids" > $CG/cgroup.subtree_control
echo 32M > $CG/ctr/memory.max && echo 8 > $CG/ctr/pids.max
echo "child: memory.max=$(cat $CG/ctr/memory.max) pids.max=$(cat $CG/ctr/pids.max)"
# enforcement: memory (tail buffers the whole input), pids (fork until EAGAIN)
if sh -c "echo \$\$ > $CG/ctr/cgroup.procs; head -c 256M /dev/zero | tail > /dev/null"; then echo "NOT OOM-killed"; exit 1; fi
echo "memory.events of child: $(grep oom_kill $CG/ctr/memory.events | tr "\n" " ")"
grep -q "oom_kill [1-9]" $CG/ctr/memory.events
sh -c "echo \$\$ > $CG/ctr/cgroup.procs; for i in \$(seq 20); do sleep 60 & done; wait" >/dev/null 2>&1 &
for i in $(seq 100); do grep -q "^max [1-9]" $CG/ctr/pids.events && break; sleep 0.2; done
n=$(cat $CG/ctr/pids.current)
echo "pids.current after 20 forks attempted under pids.max=8: $n; pids.events: $(cat $CG/ctr/pids.events)"
echo 1 > $CG/ctr/cgroup.kill
[ "$n" -le 8 ] && grep -q "^max [1-9]" $CG/ctr/pids.events'
    chk "root: MemoryMax=64M/TasksMax=16 scope, limits set + enforced in a child cgroup" "$X" -- \
        systemd-run --quiet --scope -p Delegate=yes -p MemoryMax=64M -p MemorySwapMax=0 -p TasksMax=16 \
        bash -c "$R set -e; $LIMITS"
    chk "user: MemoryMax=64M/TasksMax=16 --user scope, limits set + enforced in a child cgroup" "$X" -u -- \
        systemd-run --user --quiet --scope -p Delegate=yes -p MemoryMax=64M -p MemorySwapMax=0 -p TasksMax=16 \
        bash -c "$R set -e; $LIMITS"
else
    echo "SKIP: memory.max / pids.max checks: cgroup2 controllers inside are [$ctrls] (the host kernel has memory, pids, cpu, ... bound to its cgroup v1 hierarchies)"
    skip=2
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
