#!/bin/bash
# bench/run-bench.sh: urun against crun and runc on the same busybox bundle.
#
#   sudo bench/run-bench.sh [-n ITERATIONS] [URUN_BINARY]
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
# (the median of the per-iteration ratios).
#
# Not a test: nothing here passes or fails.  Needs root (a private mount
# namespace, runc without cgroup options).  crun and runc come from apt
# (`apt-get install -y crun runc`) when they are missing.
#
# Why the private mount namespace: crun 1.8.1 refuses a cgroup v1/v2 hybrid
# host ("cgroups in hybrid mode not supported") when
# /sys/fs/cgroup/unified/cgroup.controllers lists a controller.  Inside
# `unshare -m --propagation private` an empty file is bind-mounted over it;
# the host's view stays unchanged.  urun and crun run with
# --cgroup-manager=disabled, and runc (which has no such option) makes and
# removes its own cgroupfs groups, as it always does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
iterations=100
if [ "${1:-}" = -n ]; then
  iterations=$2
  shift 2
fi
urun=${1:-${URUN:-$top/build/src/cli/urun}}

if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run as root" >&2
  exit 1
fi
if [ ! -x "$urun" ]; then
  echo "$0: $urun is not built (pass the urun binary as the argument)" >&2
  exit 1
fi
if ! command -v crun >/dev/null || ! command -v runc >/dev/null; then
  echo "# installing crun and runc for the benchmark" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y crun runc >/dev/null
fi
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  echo "$0: a static busybox is needed (apt-get install busybox-static)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/urun-bench.XXXXXX)
cleanup ()
{
  local rt
  # Containers a failed iteration left behind.
  for rt in urun crun runc; do
    if [ -d "$work/state-$rt" ]; then
      for id in "$work/state-$rt"/*; do
        [ -e "$id" ] || continue
        id=$(basename "$id")
        case $rt in
          urun) "$urun" --root "$work/state-$rt" delete --force "$id" ;;
          crun) crun --cgroup-manager=disabled --root "$work/state-$rt" delete --force "$id" ;;
          runc) runc --root "$work/state-$rt" delete --force "$id" ;;
        esac
      done >/dev/null 2>&1 || true
    fi
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The bundle: static busybox with the applets the payload needs, and the
# config from `urun spec`, made non-interactive.  ociVersion 1.0.2, because
# crun 1.8.1 rejects the 1.2.0 that urun writes.
bundle=$work/bundle
mkdir -p "$bundle/rootfs"/{bin,dev,etc,proc,sys,tmp}
cp "$busybox" "$bundle/rootfs/bin/busybox"
for applet in sh true sleep; do
  ln -s busybox "$bundle/rootfs/bin/$applet"
done
(cd "$bundle" && "$urun" spec)
python3 - "$bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]
with open(p) as f:
    c = json.load(f)
c["ociVersion"] = "1.0.2"
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
with open(p, "w") as f:
    json.dump(c, f, indent=2)
PY

controllers=/sys/fs/cgroup/unified/cgroup.controllers
: >"$work/empty"

echo "# urun: $("$urun" --version | head -n 1)"
echo "# crun: $(crun --version | head -n 1)"
echo "# runc: $(runc --version | head -n 1)"
echo "# kernel $(uname -r), $(nproc) CPUs, $iterations iterations"

# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private sh -c '
  if [ -n "$(cat "$1" 2>/dev/null)" ]; then mount --bind "$2" "$1"; fi
  shift 2
  exec python3 "$@"' _ "$controllers" "$work/empty" \
  "$here/bench.py" --urun "$urun" --bundle "$bundle" --work "$work" -n "$iterations"
