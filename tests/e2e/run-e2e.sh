#!/bin/bash
# run-e2e.sh MODE: run the podman end-to-end scenarios (scenarios.sh) with the
# built urun as podman's runtime, as root (MODE root) or as the unprivileged
# user urun-tester (MODE rootless; URUN_TEST_USER overrides).  TAP on stdout,
# ending with "# N passed, N failed, N skipped"; exits non-zero on failure.
#
# Input environment (meson sets it): URUN (the built binary), URUN_TEST_ROOTFS
# (the integration tests' busybox rootfs), URUN_E2E_CONF (the built
# containers.conf drop-in from data/), optionally URUN_E2E_INTEGRATION_DIR
# (tests/integration, for pty-harness.py and notify-recv.py).
#
# Nothing on the host changes for good.  Everything runs in a private mount
# namespace (unshare -m) where this script:
#   - mounts a fresh tmpfs on /run: urun's, podman's and conmon's run-time
#     state, /run/netns and /run/user/UID are private and vanish with it;
#   - makes / rshared, as podman wants (the host's / is private);
#   - binds fresh 0666 /dev/net/tun and /dev/fuse nodes over the 0600 ones,
#     so that rootless slirp4netns works;
#   - as root, binds copies of /etc/subuid and /etc/subgid that add the
#     "containers" ranges --userns=auto needs, and mounts a tmpfs on
#     /var/lib/containers (podman's blob-info cache; the directory is made
#     if missing and then removed again).
# podman gets a test-owned configuration: CONTAINERS_CONF (the drop-in from
# data/ merged with this machine's workarounds) and CONTAINERS_STORAGE_CONF
# (storage under the test's directory), a private HOME, XDG_* and TMPDIR.
# Afterwards every container, pod and image is removed, the rootless pause
# process is ended by its pid, the cgroup directories podman made under
# libpod_parent are removed, and the test directory is deleted.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = --inner ]; then
  inner=1
  mode=$2
  top=$3
else
  inner=0
  mode=${1:-}
fi
if [ "$mode" != root ] && [ "$mode" != rootless ]; then
  echo "usage: $0 root|rootless" >&2
  exit 2
fi
user=${URUN_TEST_USER:-urun-tester}

# ---------------------------------------------------------------------------
# Outer part: checks, staging, the private namespace, cleanup.
# ---------------------------------------------------------------------------
if [ "$inner" = 0 ]; then
  for var in URUN URUN_TEST_ROOTFS URUN_E2E_CONF; do
    if [ -z "${!var:-}" ]; then
      echo "$0: $var is not set (run the tests through meson test)" >&2
      exit 2
    fi
  done
  if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP the e2e suite needs root (private mount namespace, device nodes)"
    exit 0
  fi
  for tool in podman conmon slirp4netns catatonit unshare setpriv python3; do
    if ! command -v "$tool" >/dev/null; then
      echo "1..0 # SKIP $tool missing: run tests/e2e/setup-e2e.sh"
      exit 0
    fi
  done
  if [ "$mode" = rootless ] && ! getent passwd "$user" >/dev/null; then
    echo "1..0 # SKIP $user missing: run tests/setup-debian.sh"
    exit 0
  fi

  top=$(mktemp -d /tmp/urun-e2e.XXXXXX) || exit 1
  chmod 0755 "$top"
  # shellcheck disable=SC2317 # runs from the EXIT trap
  cleanup ()
  {
    rm -rf --one-file-system "$top" 2>/dev/null
    [ -e "$top" ] && echo "# run-e2e.sh: could not remove all of $top" >&2
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Stage what the user under test needs where it can read it.  The binary
  # must be called "urun": podman looks its basename up in containers.conf.
  mkdir -p "$top/bin" "$top/tests" "$top/img/bb" "$top/img/infra"
  cp "$URUN" "$top/bin/urun" && chmod 0755 "$top/bin/urun"
  # The pty harness and the notify receiver are the integration tests'.
  itdir=${URUN_E2E_INTEGRATION_DIR:-$here/../integration}
  cp "$here/lib-e2e.sh" "$here/scenarios.sh" "$itdir/pty-harness.py" \
     "$itdir/notify-recv.py" "$URUN_E2E_CONF" "$top/tests/" || exit 1
  cp -a "$URUN_TEST_ROOTFS/." "$top/img/bb/"
  echo image-marker >"$top/img/bb/tmp/marker"
  tar --numeric-owner --owner=0 --group=0 -C "$top/img/bb" -cf "$top/img/bb.tar" . || exit 1
  install -m 0755 "$(command -v catatonit)" "$top/img/infra/catatonit"
  tar --numeric-owner --owner=0 --group=0 -C "$top/img/infra" -cf "$top/img/infra.tar" . || exit 1
  rm -rf "$top/img/bb" "$top/img/infra"

  unshare -m --propagation private -- bash "$here/run-e2e.sh" --inner "$mode" "$top"
  rc=$?
  if [ -e "$top/made-var-lib-containers" ]; then
    rmdir /var/lib/containers 2>/dev/null
  fi
  exit "$rc"
fi

# ---------------------------------------------------------------------------
# Inner part: in the private mount namespace.
# ---------------------------------------------------------------------------
say () { printf '# %s\n' "$*"; }

mount --make-rshared / || { echo "Bail out! mount --make-rshared /"; exit 1; }
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || { echo "Bail out! tmpfs on /run"; exit 1; }
mkdir -m 1777 /run/lock
ln -s /dev/shm /run/shm

mkdir -p "$top/dev"
mount -t tmpfs -o mode=0755 tmpfs "$top/dev"
for node in "net/tun c 10 200" "fuse c 10 229"; do
  set -- $node
  if [ -e "/dev/$1" ]; then
    mknod -m 0666 "$top/dev/${1##*/}" "$2" "$3" "$4" && mount --bind "$top/dev/${1##*/}" "/dev/$1"
  fi
done

. "$here/lib-e2e-user.sh"

# As root podman writes its blob-info cache to /var/lib/containers/cache
# whatever the storage root: give it a private tmpfs there.  The directory
# itself is made only when missing, and then removed by the outer part.
if [ "$mode" = root ]; then
  if [ ! -d /var/lib/containers ]; then
    mkdir /var/lib/containers && touch "$top/made-var-lib-containers"
  fi
  mount -t tmpfs -o mode=0700 tmpfs /var/lib/containers
fi

if [ "$mode" = root ]; then
  for f in subuid subgid; do
    cp "/etc/$f" "$top/$f"
    grep -q '^containers:' "$top/$f" || echo "containers:2147483647:2147483648" >>"$top/$f"
    mount --bind "$top/$f" "/etc/$f"
  done
fi

# Private homes and directories, owned by the user under test.
home=$top/home
xdg_run=/run/user/$uid
mkdir -p "$home/.config" "$home/.local/share" "$home/tmp" "$top/scratch" "$top/storage"
mkdir -m 0700 -p "$xdg_run"
if [ -n "$as_user" ]; then
  chown -R "$as_user:" "$home" "$top/scratch" "$top/storage" "$xdg_run"
fi

# cgroups: what podman can use here.
cgroups=usable
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  if [ "$mode" = rootless ]; then
    cgroups="rootless on cgroup v2 needs a delegated systemd user slice, which this machine lacks"
  fi
elif [ "$mode" = rootless ]; then
  cgroups="rootless podman on cgroup v1 has no cgroup delegation (tests/e2e/README.md)"
fi

# containers.conf: the drop-in from data/ and this machine's workarounds.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
# The kernel never allows more than pid_max tasks; setting a higher nproc
# limit fails here as root lacks CAP_SYS_RESOURCE.
pid_max=$(cat /proc/sys/kernel/pid_max)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then
  nproc=$pid_max
fi
[ "$nofile" = unlimited ] && nofile=1048576
python3 - "$top/tests/$(basename "$URUN_E2E_CONF")" "$top/containers.conf" "$mode" "$top" "$nofile" "$nproc" <<'PY' || { echo "Bail out! containers.conf"; exit 1; }
import sys, tomllib
src, dst, mode, top, nofile, nproc = sys.argv[1:]
with open(src, "rb") as f:
    conf = tomllib.load(f)
work = {
    "containers": {
        # root lacks CAP_SYS_RESOURCE here: podman's defaults exceed the limits.
        "default_ulimits": [f"nofile={nofile}:{nofile}", f"nproc={nproc}:{nproc}"],
        # no bridge (it would leave iptables chains): ask for networks explicitly.
        "netns": "none",
    },
    "engine": {
        "cgroup_manager": "cgroupfs",
        "events_logger": "file",
        "events_logfile_path": f"{top}/home/events.log",
    },
}
if mode == "root":
    work["engine"]["tmp_dir"] = f"{top}/libpod-tmp"
    work["engine"]["volume_path"] = f"{top}/storage/volumes"
    work["network"] = {"network_config_dir": f"{top}/networks"}
for table, values in work.items():
    conf.setdefault(table, {}).update(values)

def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise SystemExit(f"cannot write {v!r}")

def table(name, t, out):
    plain = {k: v for k, v in t.items() if not isinstance(v, dict)}
    out.append(f"[{name}]")
    out.extend(f"{k} = {value(v)}" for k, v in plain.items())
    out.append("")
    for k, v in t.items():
        if isinstance(v, dict):
            table(f"{name}.{k}", v, out)

lines = []
for name, t in conf.items():
    table(name, t, lines)
with open(dst, "w") as f:
    f.write("\n".join(lines))
PY
if [ "$mode" = root ]; then
  cat >"$top/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$top/storage/graph"
runroot = "/run/urun-e2e-storage"
EOF
else
  cat >"$top/storage.conf" <<EOF
[storage]
driver = "overlay"
rootless_storage_path = "$top/storage/graph"
runroot = "$xdg_run/containers"
EOF
fi
chmod 0644 "$top/containers.conf" "$top/storage.conf"

env_vars=(
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "LC_ALL=C.UTF-8"
  "HOME=$home"
  "USER=${as_user:-root}"
  "LOGNAME=${as_user:-root}"
  "TMPDIR=$home/tmp"
  "XDG_CONFIG_HOME=$home/.config"
  "XDG_DATA_HOME=$home/.local/share"
  "CONTAINERS_CONF=$top/containers.conf"
  "CONTAINERS_STORAGE_CONF=$top/storage.conf"
  "URUN=$top/bin/urun"
  "E2E_MODE=$mode"
  "E2E_DIR=$top/tests"
  "E2E_SCRATCH=$top/scratch"
  "E2E_IMAGE_TAR=$top/img/bb.tar"
  "E2E_INFRA_TAR=$top/img/infra.tar"
  "E2E_CGROUPS=$cgroups"
  "E2E_NPROC=$nproc"
)
[ "$mode" = rootless ] && env_vars+=("XDG_RUNTIME_DIR=$xdg_run")

# cgroups podman creates as root (/libpod_parent/...): every directory there
# that was not there before is removed afterwards (once empty).
cg_dirs () { find /sys/fs/cgroup -maxdepth 2 -name libpod_parent -type d -print0 2>/dev/null | xargs -0 -r -I{} find {} -type d 2>/dev/null | sort; }
cg_before=$(cg_dirs)

# URUN_E2E_SCRIPT: another script to run in this environment instead (for
# debugging: e.g. one that starts a shell).
script=$top/tests/scenarios.sh
if [ -n "${URUN_E2E_SCRIPT:-}" ]; then
  cp "$URUN_E2E_SCRIPT" "$top/tests/custom.sh"
  script=$top/tests/custom.sh
fi
(cd "$top/scratch" && run_as env -i "${env_vars[@]}" bash "$script" </dev/null)
rc=$?

# ---- cleanup: everything podman made, as the user that made it -------------
pmc () { (cd / && run_as env -i "${env_vars[@]}" timeout 120 podman --runtime "$top/bin/urun" "$@") >/dev/null 2>&1; }
pmc pod rm -a -f -t 0
pmc rm -a -f -t 0
pmc rmi -a -f
if [ "$mode" = rootless ]; then
  # Only the user's private storage: safe to reset.
  pmc system reset -f
fi
for pidfile in "$xdg_run/libpod/tmp/pause.pid"; do
  if [ -s "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null
  fi
done
# Deepest first, so that parents are empty when their turn comes.
comm -13 <(echo "$cg_before") <(cg_dirs) | sort -r | while IFS= read -r dir; do
  [ -n "$dir" ] && rmdir "$dir" 2>/dev/null
done
exit "$rc"
