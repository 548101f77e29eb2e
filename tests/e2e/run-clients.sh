#!/bin/bash
# run-clients.sh CLIENT MODE: urun under a client other than podman, end to
# end: CLIENT is containerd (a private containerd driven by ctr, scenarios in
# containerd.sh) or buildah (buildah.sh); MODE is root or rootless (the
# unprivileged user urun-tester; URUN_TEST_USER overrides).  TAP on stdout,
# ending with "# N passed, N failed, N skipped"; exits non-zero on failure.
#
# Input environment (meson sets it): URUN (the built binary), URUN_TEST_ROOTFS
# (the integration tests' busybox rootfs), URUN_E2E_INTEGRATION_DIR
# (tests/integration, for pty-harness.py).
#
# Nothing on the host changes for good.  Everything runs in a private mount
# namespace (unshare -m) with a fresh tmpfs on /run: containerd's shims put
# their sockets under /run/containerd/s whatever the configuration says, and
# urun's, runc-shim's and buildah's run-time state vanish with it.  The
# image is an OCI archive of the busybox rootfs (make-oci-archive.py), so no
# registry is needed.  containerd gets its own root, state, sockets and
# configuration under the test directory, and is stopped by its pid at the
# end; leftover shims (found by the test directory on their command line)
# are ended by pid, also after an interruption, and the cgroups made for
# the test's containerd namespace are removed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)

# kill_ours TOP: end, by pid, every process whose command line names TOP's
# containerd directory: the daemon and its shims (which outlive it by
# design).  Prints each; fails when there was none.
kill_ours ()
{
  local proc cmd found=1
  for proc in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$proc/cmdline") || continue
    if [[ $cmd == *"$1/containerd/"* ]]; then
      echo "# left-over process ${proc#/proc/}: $cmd"
      kill -KILL "${proc#/proc/}" 2>/dev/null
      found=0
    fi
  done
  return "$found"
}

# rm_cgroups NAME: remove the cgroup directories called NAME below a
# hierarchy's root ("/NAME" is where ctr puts a namespace's containers) and
# everything below them, deepest first.  NAME is unique to the run.
rm_cgroups ()
{
  local dir
  find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -name "$1" -type d 2>/dev/null |
    while IFS= read -r dir; do
      find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    done
}

# run-clients.sh --containerd TOP SCRIPT: start containerd (as the caller:
# root, or uid 0 of rootlesskit's namespace), run SCRIPT against it, remove
# what it left and stop containerd by its pid.  The environment is the
# scenarios' (CONTAINERD_ADDRESS, CONTAINERD_NAMESPACE, ...).
if [ "${1:-}" = --containerd ]; then
  top=$2
  script=$3
  d=$top/containerd
  cat >"$d/config.toml" <<EOF
version = 2
root = "$d/root"
state = "$d/state"
# Only what ctr needs: no CRI (kubelet's API), no snapshotters for file
# systems this machine lacks.
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "$CONTAINERD_ADDRESS"

[ttrpc]
  address = "$CONTAINERD_ADDRESS.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
EOF
  containerd --config "$d/config.toml" >"$E2E_CONTAINERD_LOG" 2>&1 &
  cpid=$!
  for _ in $(seq 100); do
    [ -S "$CONTAINERD_ADDRESS" ] && break
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -S "$CONTAINERD_ADDRESS" ]; then
    echo "Bail out! containerd did not start"
    sed 's/^/# /' "$E2E_CONTAINERD_LOG"
    kill "$cpid" 2>/dev/null
    exit 1
  fi
  bash "$script" </dev/null
  rc=$?
  c () { timeout -s KILL 30 ctr "$@" 2>/dev/null; }
  for id in $(c task ls -q); do
    c task kill -s SIGKILL "$id"
  done
  sleep 0.5
  for id in $(c task ls -q); do
    c task delete -f "$id" >/dev/null
  done
  for id in $(c container ls -q); do
    c container delete "$id" >/dev/null
  done
  kill "$cpid" 2>/dev/null
  wait "$cpid" 2>/dev/null
  exit "$rc"
fi

if [ "${1:-}" = --inner ]; then
  inner=1
  client=$2
  mode=$3
  top=$4
else
  inner=0
  client=${1:-}
  mode=${2:-}
fi
case "$client:$mode" in
  containerd:root | containerd:rootless | buildah:root | buildah:rootless) ;;
  *)
    echo "usage: $0 containerd|buildah root|rootless" >&2
    exit 2
    ;;
esac
user=${URUN_TEST_USER:-urun-tester}

# ---------------------------------------------------------------------------
# Outer part: checks, staging, the private namespace, cleanup.
# ---------------------------------------------------------------------------
if [ "$inner" = 0 ]; then
  for var in URUN URUN_TEST_ROOTFS; do
    if [ -z "${!var:-}" ]; then
      echo "$0: $var is not set (run the tests through meson test)" >&2
      exit 2
    fi
  done
  if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP the e2e suites need root (private mount namespace)"
    exit 0
  fi
  tools="unshare setpriv python3 tar"
  case $client in
    containerd) tools="$tools containerd ctr containerd-shim-runc-v2" ;;
    buildah) tools="$tools buildah" ;;
  esac
  [ "$client:$mode" = containerd:rootless ] && tools="$tools rootlesskit newuidmap newgidmap"
  for tool in $tools; do
    if ! command -v "$tool" >/dev/null; then
      echo "1..0 # SKIP $tool missing: run tests/setup-debian.sh"
      exit 0
    fi
  done
  if [ "$mode" = rootless ] && ! getent passwd "$user" >/dev/null; then
    echo "1..0 # SKIP $user missing: run tests/setup-debian.sh"
    exit 0
  fi

  top=$(mktemp -d "/tmp/urun-e2e-$client.XXXXXX") || exit 1
  chmod 0755 "$top"
  # shellcheck disable=SC2317 # runs from the EXIT trap
  cleanup ()
  {
    # Only after an interruption is anything of containerd still there.
    if kill_ours "$top" >/dev/null; then
      sleep 0.5
    fi
    rm_cgroups "urun-e2e-${top##*.}"
    rm -rf --one-file-system "$top" 2>/dev/null
    [ -e "$top" ] && echo "# run-clients.sh: could not remove all of $top" >&2
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Stage what the user under test needs where it can read it.
  mkdir -p "$top/bin" "$top/tests" "$top/img/bb"
  cp "$URUN" "$top/bin/urun" && chmod 0755 "$top/bin/urun"
  itdir=${URUN_E2E_INTEGRATION_DIR:-$here/../integration}
  cp "$here/lib-e2e.sh" "$here/$client.sh" "$itdir/pty-harness.py" "$top/tests/" || exit 1
  # The README's RuntimeClass snippet (its first toml block), checked by
  # containerd.sh.
  awk '/^```toml$/ { f = 1; next } f && /^```$/ { exit } f { print }' "$here/../../README.md" \
    >"$top/tests/runtimeclass.toml"
  cp -a "$URUN_TEST_ROOTFS/." "$top/img/bb/"
  echo image-marker >"$top/img/bb/tmp/marker"
  tar --numeric-owner --owner=0 --group=0 -C "$top/img/bb" -cf "$top/img/layer.tar" . || exit 1
  python3 "$here/make-oci-archive.py" "$top/img/layer.tar" "$top/img/bb.tar" \
    localhost/urun-e2e-bb:latest || exit 1
  rm -rf "$top/img/bb" "$top/img/layer.tar"
  chmod -R a+rX "$top/img" "$top/tests"

  unshare -m --propagation private -- bash "$here/run-clients.sh" --inner "$client" "$mode" "$top"
  exit $?
fi

# ---------------------------------------------------------------------------
# Inner part: in the private mount namespace.
# ---------------------------------------------------------------------------
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || { echo "Bail out! tmpfs on /run"; exit 1; }
mkdir -m 1777 /run/lock

. "$here/lib-e2e-user.sh"

home=$top/home
xdg_run=/run/user/$uid
mkdir -p "$home/.config" "$home/.local/share" "$home/tmp" "$top/scratch"
mkdir -p /run/user && mkdir -m 0700 "$xdg_run"
if [ -n "$as_user" ]; then
  chown -R "$as_user:" "$home" "$top/scratch" "$xdg_run"
fi

env_vars=(
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "LC_ALL=C.UTF-8"
  "HOME=$home"
  "USER=${as_user:-root}"
  "LOGNAME=${as_user:-root}"
  "TMPDIR=$home/tmp"
  "XDG_CONFIG_HOME=$home/.config"
  "XDG_DATA_HOME=$home/.local/share"
  "XDG_RUNTIME_DIR=$xdg_run"
  "URUN=$top/bin/urun"
  "E2E_MODE=$mode"
  "E2E_DIR=$top/tests"
  "E2E_SCRATCH=$top/scratch"
  "E2E_IMAGE_TAR=$top/img/bb.tar"
)

script=$top/tests/$client.sh
if [ -n "${URUN_E2E_SCRIPT:-}" ]; then
  cp "$URUN_E2E_SCRIPT" "$top/tests/custom.sh"
  script=$top/tests/custom.sh
fi

if [ "$client" = buildah ]; then
  if [ "$mode" = root ]; then
    # buildah as root writes its blob-info cache below /var/lib/containers
    # whatever the storage root says: a private tmpfs there (the directory
    # is made only when missing, and removed again at the end).
    made_vlc=0
    if [ ! -d /var/lib/containers ]; then
      mkdir /var/lib/containers && made_vlc=1
    fi
    mount -t tmpfs -o mode=0700 tmpfs /var/lib/containers
    cat >"$top/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$top/storage"
runroot = "/run/urun-e2e-storage"
EOF
  else
    cat >"$top/storage.conf" <<EOF
[storage]
driver = "vfs"
rootless_storage_path = "$top/storage"
runroot = "$xdg_run/containers"
EOF
  fi
  mkdir -p "$top/storage"
  [ -n "$as_user" ] && chown "$as_user:" "$top/storage"
  chmod 0644 "$top/storage.conf"
  printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >"$top/containers.conf"
  chmod 0644 "$top/containers.conf"
  env_vars+=("CONTAINERS_STORAGE_CONF=$top/storage.conf" "CONTAINERS_CONF=$top/containers.conf"
    "BUILDAH_ISOLATION=oci")
  (cd "$top/scratch" && run_as env -i "${env_vars[@]}" bash "$script" </dev/null)
  rc=$?
  (cd / && run_as env -i "${env_vars[@]}" timeout 120 buildah rm --all) >/dev/null 2>&1
  (cd / && run_as env -i "${env_vars[@]}" timeout 120 buildah rmi --all --force) >/dev/null 2>&1
  # vfs layers are plain directories, but they hold files of other owners
  # (the user namespace's): remove them as the user who made them.
  run_as rm -rf "$top/storage" 2>/dev/null
  if [ "$mode" = root ]; then
    umount /var/lib/containers
    [ "$made_vlc" = 1 ] && rmdir /var/lib/containers
  fi
  exit "$rc"
fi

# ---- containerd ------------------------------------------------------------
# The namespace (and so the cgroup parent) is named after the test
# directory, so that the outer part can find its cgroups too.
ns=urun-e2e-${top##*.}
sock=$top/containerd/containerd.sock
mkdir -p "$top/containerd"
[ -n "$as_user" ] && chown "$as_user:" "$top/containerd"
env_vars+=("CONTAINERD_ADDRESS=$sock" "CONTAINERD_NAMESPACE=$ns"
  "E2E_CONTAINERD_LOG=$top/containerd/containerd.log")
if [ "$mode" = root ]; then
  (cd "$top/scratch" && env -i "${env_vars[@]}" bash "$here/run-clients.sh" --containerd "$top" "$script")
  rc=$?
else
  # containerd without root: rootlesskit makes the user namespace (the
  # user's subuid ranges, through newuidmap) and a mount namespace in which
  # /run and /etc are writable copies, as containerd-rootless.sh does; the
  # host's network, as the tests need none.  containerd, its shims, urun and
  # the scenarios all run in there, as uid 0 of that namespace.
  env_vars+=("E2E_CGROUPS=containerd without root on cgroup v1 has no delegated cgroup (urun runs its containers without one)")
  mkdir -p "$top/rootlesskit"
  chown "$as_user:" "$top/rootlesskit"
  (cd "$top/scratch" && run_as env -i "${env_vars[@]}" rootlesskit --net=host \
    --copy-up=/etc --copy-up=/run --state-dir="$top/rootlesskit/state" \
    bash "$here/run-clients.sh" --containerd "$top" "$script")
  rc=$?
fi

# ---- cleanup: shims and cgroups -----------------------------------------------
# containerd is stopped; a shim still running is a failure.
if kill_ours "$top"; then
  rc=1
  sleep 0.5
fi
rm_cgroups "$ns"
exit "$rc"
