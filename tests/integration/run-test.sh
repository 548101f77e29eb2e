#!/bin/bash
# run-test.sh MODE TESTSCRIPT: run one integration test script (TAP) in a
# fresh, private environment, forward its TAP output and exit with its status.
#
# Input environment (meson sets it): URUN (the built binary), URUN_TEST_ROOTFS
# (the built test rootfs), optionally URUN_TEST_MKSTATE (a fixture tool).
#
# MODE root      needs root; runs the test as root.
# MODE rootless  as root: stages a copy of everything the test needs in a
#                0755 directory under /tmp and runs the test as the
#                unprivileged user urun-tester (URUN_TEST_USER overrides);
#                otherwise: runs the test as the current user.
#
# As root, the test runs in a private mount namespace of its own.
# The test sees a clean environment: PATH, HOME, USER, LOGNAME, LC_ALL,
# TMPDIR, XDG_RUNTIME_DIR (rootless only, a private 0700 directory), URUN,
# URUN_TEST_MODE, URUN_TEST_TMPDIR (private scratch dir, writable, removed
# afterwards), URUN_TEST_STATE_ROOT (not created: urun creates it),
# URUN_TEST_ROOTFS, URUN_TEST_DIR (the directory holding the test scripts and
# lib.sh), URUN_TEST_MKSTATE (when given), plus sanitizer options when set.
set -uo pipefail

if [ $# -ne 2 ] || { [ "$1" != root ] && [ "$1" != rootless ]; }; then
  echo "usage: $0 root|rootless TESTSCRIPT" >&2
  exit 2
fi
mode=$1
script=$2
name=$(basename "$script")

for var in URUN URUN_TEST_ROOTFS; do
  if [ -z "${!var:-}" ]; then
    echo "$0: $var is not set (run the tests through meson test)" >&2
    exit 2
  fi
done

user=${URUN_TEST_USER:-urun-tester}
me=$(id -u)
sane_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "$mode" = root ] && [ "$me" -ne 0 ]; then
  echo "1..0 # SKIP the root suite needs root"
  exit 0
fi

as_user=
if [ "$mode" = rootless ] && [ "$me" -eq 0 ]; then
  if ! getent passwd "$user" >/dev/null; then
    echo "1..0 # SKIP $user missing: run tests/setup-debian.sh"
    exit 0
  fi
  as_user=$user
fi

# /tmp rather than the build tree: the unprivileged user must be able to
# reach it, and the build tree may sit under a 0700 home directory.
top=$(mktemp -d /tmp/urun-it.XXXXXX) || exit 1
chmod 0755 "$top"

run_as_test_user ()
{
  if [ -n "$as_user" ]; then
    setpriv --reuid="$as_user" --regid="$as_user" --init-groups -- "$@"
  else
    "$@"
  fi
}

# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup ()
{
  local state=$top/work/state dir
  # Containers that a failed test left behind: ask urun to remove them, as
  # the user that created them.  Best effort, bounded in time.
  if [ -d "$state" ]; then
    for dir in "$state"/*/; do
      [ -d "$dir" ] || continue
      (cd / && run_as_test_user timeout 20 "$urun" --root "$state" delete --force "$(basename "$dir")") \
        >/dev/null 2>&1 || true
    done
  fi
  # --one-file-system: never descend into a mount that is not ours.
  rm -rf --one-file-system "$top" 2>/dev/null
  if [ -e "$top" ]; then
    echo "# run-test.sh: could not remove all of $top" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Stage the pieces.  As root in rootless mode these are copies the user can
# read; otherwise copying is cheap and keeps every test independent.
mkdir -p "$top/bin" "$top/tests" "$top/work"
urun=$top/bin/urun
cp "${URUN:?}" "$urun"
chmod 0755 "$urun"
# This directory first (lib.sh and its helpers), then the script's own,
# which may be another (tests/load).
cp -a "$(dirname "$0")/." "$top/tests/"
cp -a "$(dirname "$script")/." "$top/tests/"
cp -a "$URUN_TEST_ROOTFS" "$top/rootfs"
mkstate=
if [ -n "${URUN_TEST_MKSTATE:-}" ]; then
  mkdir -p "$top/tools"
  mkstate=$top/tools/$(basename "$URUN_TEST_MKSTATE")
  cp "$URUN_TEST_MKSTATE" "$mkstate"
  chmod 0755 "$mkstate"
fi

env_vars=(
  "PATH=$sane_path"
  "LC_ALL=C.UTF-8"
  "TMPDIR=$top/work"
  "URUN=$urun"
  "URUN_TEST_MODE=$mode"
  "URUN_TEST_TMPDIR=$top/work"
  "URUN_TEST_STATE_ROOT=$top/work/state"
  "URUN_TEST_ROOTFS=$top/rootfs"
  "URUN_TEST_DIR=$top/tests"
)
[ -n "$mkstate" ] && env_vars+=("URUN_TEST_MKSTATE=$mkstate")
for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  [ -n "${!var:-}" ] && env_vars+=("$var=${!var}")
done

if [ -n "$as_user" ]; then
  home=$(getent passwd "$as_user" | cut -d: -f6)
  env_vars+=("HOME=$home" "USER=$as_user" "LOGNAME=$as_user")
else
  env_vars+=("HOME=${HOME:-/}" "USER=$(id -un)" "LOGNAME=$(id -un)")
fi

if [ "$mode" = rootless ]; then
  mkdir -m 0700 "$top/xdg"
  env_vars+=("XDG_RUNTIME_DIR=$top/xdg")
fi

if [ -n "$as_user" ]; then
  # The user owns its scratch space, runtime dir and a rootfs of its own (as
  # after an unprivileged image pull: the user's files are root in the
  # container's user namespace).
  chown -R "$as_user:" "$top/work" "$top/xdg" "$top/rootfs"
fi

# Why every root test gets a mount namespace of its own: root tests mount
# (tmpfs and bind sources) and drive urun with configs that could change the
# caller's mounts.  Whatever a test or urun does, the host's namespace stays
# as it was, and tests running side by side never see each other's mounts.
# Private, so that nothing made in it propagates back.  An unprivileged test
# cannot mount in the host's namespace at all.
private_ns=()
if [ "$me" -eq 0 ] && [ -z "$as_user" ]; then
  private_ns=(unshare --mount --propagation private --)
fi

(cd "$top/work" && run_as_test_user "${private_ns[@]}" env -i "${env_vars[@]}" bash "$top/tests/$name" </dev/null)
rc=$?
exit "$rc"
