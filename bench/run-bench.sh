#!/bin/bash
# bench/run-bench.sh: urun against crun and runc on the same busybox bundle.
#
#   sudo bench/run-bench.sh [-n ITERATIONS] [-u USER] [-s tmpfs|disk] [-b BASE_URUN] [URUN_BINARY]
#
# Measures, in one interleaved run (each iteration runs every runtime once,
# in a shuffled order, so that drifts of a shared machine hit all alike):
#   - `run` of /bin/true in the foreground;
#   - `create`, `start` and `delete` separately (delete once the process
#     has exited);
# and for each invocation its wall time, its CPU time (user+sys of the
# runtime process and of every process it waited for) and its peak RSS
# (ru_maxrss from wait4: the largest of the runtime and the processes it
# reaped).  Prints medians and the paired ratios urun/crun and urun/runc
# (the median of the per-iteration ratios), and urun/floor for `run`: the
# floor is bench/minimal-runtime.c (clone, pivot_root, exec), built here
# with gcc; floor+libs is the same program linked with json-glib (so glib,
# gobject and gio) parsing config.json first, the floor of any runtime on
# urun's fixed libraries.
#
# With -b, another urun build runs beside the others, and urun/base is the
# paired ratio of what the change between the two bought.
#
# The state roots of all three runtimes are on a tmpfs (-s tmpfs, the
# default), as /run and $XDG_RUNTIME_DIR are wherever systemd runs; -s disk
# keeps them in the work directory under /tmp, which is ext4 on this VM
# (the setting of the runs in bench/README.md before the tmpfs one).
#
# Three sets, one after the other, each printed with its ratios:
#   root-disabled: --cgroup-manager=disabled for urun and crun (runc has
#     no such option and makes its cgroupfs groups, as it always does);
#   root-cgroupfs: --cgroup-manager=cgroupfs for urun and crun;
#   rootless-disabled: as USER (default urun-tester; skipped when there is
#     no such user).  Without systemd nobody delegates a cgroup to a user
#     on this host, so a rootless cgroupfs set would measure nothing more;
#     runc is left out (it cannot make its cgroups as a user here).
# The systemd driver needs the systemd test environment (see
# bench/README.md): not measured here.
#
# Not a test: nothing here passes or fails, and CI does not run it.  Needs
# root (a private mount namespace, runc without cgroup options).  crun,
# runc and GNU time come from apt (`apt-get install -y crun runc time`)
# when they are missing.
#
# Why the private mount namespace: crun 1.8.1 refuses a cgroup v1/v2 hybrid
# host ("cgroups in hybrid mode not supported") when
# /sys/fs/cgroup/unified/cgroup.controllers lists a controller.  Inside
# `unshare -m --propagation private` an empty file is bind-mounted over it;
# the host's view stays unchanged.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
iterations=100
user="urun-tester"
state_fs=tmpfs
base=
while [ $# -gt 1 ]; do
  case $1 in
    -n) iterations=$2; shift 2 ;;
    -u) user=$2; shift 2 ;;
    -s) state_fs=$2; shift 2 ;;
    -b) base=$2; shift 2 ;;
    *) break ;;
  esac
done
case $state_fs in
  tmpfs|disk) ;;
  *) echo "$0: -s takes tmpfs or disk, not $state_fs" >&2; exit 1 ;;
esac
urun=${1:-${URUN:-$top/build/src/cli/urun}}

if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run as root" >&2
  exit 1
fi
if [ ! -x "$urun" ]; then
  echo "$0: $urun is not built (pass the urun binary as the argument)" >&2
  exit 1
fi
if ! command -v crun >/dev/null || ! command -v runc >/dev/null || [ ! -x /usr/bin/time ]; then
  echo "# installing crun, runc and GNU time for the benchmark" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y crun runc time >/dev/null
fi
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  echo "$0: a static busybox is needed (apt-get install busybox-static)" >&2
  exit 1
fi
if [ -n "$user" ] && ! id "$user" >/dev/null 2>&1; then
  echo "# no user $user: the rootless set is skipped" >&2
  user=
fi

work=$(mktemp -d /tmp/urun-bench.XXXXXX)
chmod 755 "$work"
# Containers a failed iteration left behind in the state roots under $1.
delete_leftovers ()
{
  local set rt id
  for set in "$1"/set-*; do
    for rt in urun base crun runc; do
      [ -d "$set/state-$rt" ] || continue
      for id in "$set/state-$rt"/*; do
        [ -e "$id" ] || continue
        id=$(basename "$id")
        case $rt in
          urun) "$urun" --root "$set/state-$rt" delete --force "$id" ;;
          base) "$base" --root "$set/state-$rt" delete --force "$id" ;;
          crun) crun --cgroup-manager=disabled --root "$set/state-$rt" delete --force "$id" ;;
          runc) runc --root "$set/state-$rt" delete --force "$id" ;;
        esac
      done >/dev/null 2>&1 || true
    done
  done
}
cleanup ()
{
  delete_leftovers "$work/state"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# A bundle in $1: static busybox with the applets the payload needs, and
# the config from `urun spec`, made non-interactive.  With a user as $2,
# the bundle is the user's and its config `urun spec --rootless` as that
# user (the id maps name the caller's ids).  ociVersion 1.0.2, because
# crun 1.8.1 rejects the 1.2.0 that urun writes.
make_bundle ()
{
  local bundle=$1 owner=${2:-} applet
  mkdir -p "$bundle/rootfs"/{bin,dev,etc,proc,sys,tmp}
  cp "$busybox" "$bundle/rootfs/bin/busybox"
  for applet in sh true sleep; do
    ln -s busybox "$bundle/rootfs/bin/$applet"
  done
  if [ -n "$owner" ]; then
    chown -R "$owner:" "$bundle"
    (cd "$bundle" && setpriv "--reuid=$owner" "--regid=$owner" --init-groups -- \
      "$urun" spec --rootless)
  else
    (cd "$bundle" && "$urun" spec)
  fi
  python3 -c '
import json, sys
p = sys.argv[1]
with open(p) as f:
    c = json.load(f)
c["ociVersion"] = "1.0.2"
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
with open(p, "w") as f:
    json.dump(c, f, indent=2)
' "$bundle/config.json"
}

make_bundle "$work/bundle"
gcc -O2 -o "$work/minimal-runtime" "$here/minimal-runtime.c"
# Linked as urun is (full RELRO; meson's default --as-needed).
# shellcheck disable=SC2046 # pkg-config's words
gcc -O2 -DWITH_LIBRARIES -o "$work/minimal-runtime-libs" "$here/minimal-runtime.c" \
  $(pkg-config --cflags --libs json-glib-1.0) -Wl,--as-needed -Wl,-z,relro -Wl,-z,now
mkdir -p "$work/set-root-disabled" "$work/set-root-cgroupfs" "$work/state"
if [ -n "$user" ]; then
  mkdir -p "$work/set-rootless-disabled"
  chown "$user:" "$work/set-rootless-disabled"
  make_bundle "$work/set-rootless-disabled/bundle" "$user"
fi

controllers=/sys/fs/cgroup/unified/cgroup.controllers
: >"$work/empty"

echo "# urun: $("$urun" --version | head -n 1)"
echo "# crun: $(crun --version | head -n 1)"
echo "# runc: $(runc --version | head -n 1)"
echo "# kernel $(uname -r), $(nproc) CPUs, $iterations iterations," \
  "state roots on $state_fs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One set: its label, then bench.py's options.  The rootless set runs
# bench.py as $user through setpriv.
bench_set ()
{
  local label=$1
  local -a as=()
  local python=python3
  shift
  echo
  echo "## $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  case $label in
    # The system's python3: root's PATH may name one the user cannot run.
    rootless-*)
      as=(setpriv "--reuid=$user" "--regid=$user" --init-groups --)
      python=/usr/bin/python3
      ;;
  esac
  mkdir -p "$work/state/set-$label"
  if [ -n "${as[*]}" ]; then chown "$user:" "$work/state/set-$label"; fi
  "${as[@]}" "$python" "$here/bench.py" --urun "$urun" \
    --floor "floor=$work/minimal-runtime" --floor "floor+libs=$work/minimal-runtime-libs" \
    --work "$work/set-$label" --state "$work/state/set-$label" -n "$iterations" \
    ${base:+--base "$base"} "$@"
}

export -f bench_set delete_leftovers
export urun here work iterations user base
# Why the tmpfs is mounted in the private namespace: it goes with it, and
# the leftovers in it are deleted before (the trap) while it is visible.
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private bash -c '
  set -e
  if [ -n "$(cat "$1" 2>/dev/null)" ]; then mount --bind "$2" "$1"; fi
  if [ "$3" = tmpfs ]; then
    mount -t tmpfs -o mode=755 urun-bench-state "$work/state"
    trap "delete_leftovers \"\$work/state\"" EXIT
  fi
  bench_set root-disabled --bundle "$work/bundle" --driver disabled
  bench_set root-cgroupfs --bundle "$work/bundle" --driver cgroupfs
  if [ -n "$user" ]; then
    bench_set rootless-disabled --bundle "$work/set-rootless-disabled/bundle" \
      --driver disabled --no-runc
  fi' _ "$controllers" "$work/empty" "$state_fs"
