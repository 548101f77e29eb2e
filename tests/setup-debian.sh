#!/bin/bash
# setup-debian.sh: prepare a fresh Debian 12 machine to build and test urun.
# Run as root from anywhere; safe to run again.
#
#   1. installs every build and test dependency;
#   2. creates the unprivileged test user urun-tester with two subordinate
#      uid/gid ranges (two, so that multi-range id maps get exercised);
#   3. configures and builds the project in build/.
#
# SETUP_SKIP_BUILD=1 skips step 3.
set -euo pipefail

# Build: meson ninja-build pkg-config gcc libc6-dev (also libc.a for the
#   static test helper) libglib2.0-dev libjson-glib-dev libseccomp-dev
#   libsystemd-dev gettext scdoc.
# Tests: busybox-static (the test rootfs), uidmap (newuidmap/newgidmap),
#   bash zsh fish (completion tests), python3 (JSON checks), util-linux
#   (setpriv, runuser), procps, file (static-link check), passwd (useradd),
#   coreutils/findutils/grep/sed (the scripts).
# e2e (tests/e2e): podman conmon slirp4netns catatonit (urun as podman's
#   runtime, root and rootless); containerd (with ctr and the runc v2 shim:
#   urun as the shim's runtime), rootlesskit (containerd without root) and
#   buildah (RUN steps with --runtime urun) for the suite e2e-clients.
# systemd suite (tests/systemd-env): systemd-container (systemd-nspawn),
#   systemd, dbus, dbus-user-session (the user manager's bus).
# Reliability (issue 14): clang and libclang-rt-14-dev (libFuzzer and the
#   sanitizer runtimes, for tests/fuzz/run-fuzz.sh), valgrind (the memcheck
#   run of run-all.sh), strace (fault injection in test-faults.sh).
PACKAGES="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev
libjson-glib-dev libseccomp-dev libsystemd-dev gettext scdoc busybox-static
uidmap bash zsh fish python3 util-linux procps file passwd coreutils
findutils grep sed podman conmon slirp4netns catatonit
containerd rootlesskit buildah
systemd systemd-container dbus dbus-user-session
clang libclang-rt-14-dev valgrind strace"

TEST_USER=urun-tester
# Ranges (start:count) the user must have, besides any that useradd gives it;
# two so that multi-range maps get exercised.
SUBID_RANGES="200000:65536 400000:65536"

top=$(cd "$(dirname "$0")/.." && pwd)

say () { printf '==> %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run me as root" >&2
  exit 1
fi

# ---- 1. packages -------------------------------------------------------
say "apt-get update"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # one word per package
say "apt-get install:" $PACKAGES
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES

# ---- 2. the unprivileged test user -------------------------------------
if getent passwd "$TEST_USER" >/dev/null; then
  say "user $TEST_USER exists"
else
  say "creating user $TEST_USER"
  useradd -m -s /bin/bash "$TEST_USER"
fi

# add_ranges FILE: give the user each of our ranges that it lacks, unless
# the range would overlap one that the file already hands out (useradd may
# have given the user a range of its own; that one is kept).
add_ranges ()
{
  local file=$1 range start count ostart ocount clash
  touch "$file"
  for range in $SUBID_RANGES; do
    start=${range%:*}
    count=${range#*:}
    if grep -qx "$TEST_USER:$range" "$file"; then
      say "$file: $TEST_USER:$range present"
      continue
    fi
    clash=
    while IFS=: read -r _ ostart ocount; do
      [[ $ostart =~ ^[0-9]+$ && $ocount =~ ^[0-9]+$ ]] || continue
      if [ "$start" -lt $((ostart + ocount)) ] && [ "$ostart" -lt $((start + count)) ]; then
        clash=$ostart:$ocount
        break
      fi
    done <"$file"
    if [ -n "$clash" ]; then
      say "$file: not adding $TEST_USER:$range, it overlaps $clash"
      continue
    fi
    say "$file: adding $TEST_USER:$range"
    printf '%s:%s\n' "$TEST_USER" "$range" >>"$file"
  done
}
add_ranges /etc/subuid
add_ranges /etc/subgid

# newuidmap/newgidmap must be setuid root or carry file capabilities.
for tool in newuidmap newgidmap; do
  path=$(command -v "$tool")
  if [ ! -u "$path" ] && ! getcap "$path" 2>/dev/null | grep -q cap_set; then
    say "$path has neither setuid nor file capabilities; making it setuid"
    chmod u+s "$path"
  fi
done

# ---- 3. build ----------------------------------------------------------
if [ "${SETUP_SKIP_BUILD:-0}" = 1 ]; then
  say "SETUP_SKIP_BUILD=1: not building"
  exit 0
fi
cd "$top"
if [ -f build/build.ninja ]; then
  say "meson setup --reconfigure build"
  meson setup --reconfigure build
else
  say "meson setup build"
  meson setup build
fi
say "ninja -C build"
ninja -C build
say "done: run tests/run-all.sh"
