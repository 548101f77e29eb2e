#!/bin/bash
# run-in-env.sh MODE TESTSCRIPT: run one TAP test script inside the systemd
# test environment (start-systemd-env.sh), the way run-test.sh runs the
# integration tests on the host:
#   MODE root      as root, as a transient service of the system manager
#                  (the system bus answers);
#   MODE rootless  as urun-tester, as a transient service of its user
#                  manager (XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS set).
# Everything the test needs (urun, the test rootfs, the scripts) is staged
# in a private directory inside the environment, owned by the test user in
# rootless mode, and removed afterwards.  When the environment is not
# running, the test is skipped with the reason.
#
# Input environment (meson sets it): URUN, URUN_TEST_ROOTFS.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=${1:?usage: $0 root|rootless TESTSCRIPT}
script=${2:?usage: $0 root|rootless TESTSCRIPT}
name=$(basename "$script")
x=$here/sdenv-exec
state_dir=${SDENV_STATE_DIR:-/run/urun-systemd-env/${SDENV_NAME:-urun-sdenv}}

if [ "$(id -u)" -ne 0 ]; then
  echo "1..0 # SKIP the systemd environment needs root to enter"
  exit 0
fi
if [ ! -r "$state_dir/env" ] || ! "$x" --raw -- true 2>/dev/null; then
  echo "1..0 # SKIP the systemd test environment is not running (tests/run-all.sh starts it; by hand: tests/systemd-env/start-systemd-env.sh)"
  exit 0
fi
# shellcheck disable=SC1091
. "$state_dir/env"

# What the test needs is staged in a private directory inside, sent as a
# tar stream through nsenter: no path of the host has to be visible inside,
# so the tree may live anywhere (even under /tmp, which the booted systemd
# owns), and a rebuild is always seen.
owner=root
[ "$mode" = rootless ] && owner=$SDENV_USER
stage=$(mktemp -d)
# shellcheck disable=SC2317
drop_stage () { rm -rf --one-file-system "$stage"; }
trap drop_stage EXIT
mkdir -p "$stage/bin" "$stage/tests" "$stage/work"
cp "${URUN:?}" "$stage/bin/urun"
cp -a "${URUN_TEST_ROOTFS:?}" "$stage/rootfs"
cp "$script" "$here/../integration/lib.sh" "$here/../integration/lib-container.sh" "$stage/tests/"
top=$(tar -C "$stage" -c . | "$x" --raw -- bash -c '
  set -e
  t=$(mktemp -d /var/tmp/urun-sd.XXXXXX)
  tar -C "$t" -x
  chmod 0755 "$t"
  chown -R "$1:" "$t/work" "$t/rootfs"
  echo "$t"' _ "$owner") || {
  echo "not ok 1 - could not stage the test inside the systemd environment"
  echo "1..1"
  exit 1
}
drop_stage

# shellcheck disable=SC2317
cleanup () { "$x" --raw -- rm -rf --one-file-system "$top"; }
trap cleanup EXIT

user_flag=()
[ "$mode" = rootless ] && user_flag=(-u)
"$x" "${user_flag[@]}" -C "$top/work" -- env \
  URUN="$top/bin/urun" URUN_TEST_MODE="$mode" URUN_TEST_TMPDIR="$top/work" \
  URUN_TEST_STATE_ROOT="$top/work/state" URUN_TEST_ROOTFS="$top/rootfs" \
  URUN_TEST_DIR="$top/tests" TMPDIR="$top/work" LC_ALL=C.UTF-8 \
  bash "$top/tests/$name" </dev/null
