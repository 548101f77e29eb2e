#!/bin/bash
# setup-e2e.sh: install what the podman end-to-end tests need (Debian 12).
# Run as root; safe to run again.  tests/setup-debian.sh installs the same
# packages (and creates the test user urun-tester), so CI needs only that.
#
#   podman 4.3, conmon          the engine and its monitor;
#   slirp4netns                 rootless networking (--network slirp4netns);
#   catatonit                   --init, and the pod infra image;
#   uidmap                      newuidmap/newgidmap for rootless podman;
#   busybox-static              the test image (a rootfs, `podman import`ed);
#   python3                     pty and notify-socket harnesses, config merge;
#   util-linux                  unshare, setpriv;
#   containerd                  containerd, ctr and the runc v2 shim (suite
#                               e2e-clients; the shim runs urun);
#   rootlesskit                 containerd as urun-tester;
#   buildah                     RUN steps with --runtime urun.
#
# The images are not made here: each run imports them into its own private
# storage (tests/e2e/run-e2e.sh), so nothing is left in the host's podman.
set -euo pipefail

PACKAGES="podman conmon slirp4netns catatonit uidmap busybox-static python3 util-linux
containerd rootlesskit buildah"

if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run me as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
missing=
for pkg in $PACKAGES; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q ' installed$' || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "==> already installed: $PACKAGES"
else
  apt-get update -q
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -q --no-install-recommends $missing
fi
if ! getent passwd urun-tester >/dev/null; then
  echo "==> the rootless runs need the user urun-tester: run tests/setup-debian.sh" >&2
fi
echo "==> done: meson test -C BUILD --suite e2e --suite e2e-clients --print-errorlogs"
