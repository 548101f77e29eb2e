#!/bin/bash
# make-rootfs.sh OUTDIR HELPER [STAMP]: build the minimal test rootfs.
#
# OUTDIR gets Debian's static busybox with a symlink per applet, the usual
# top-level directories, a passwd/group with root, nobody and an unprivileged
# user "tester" (uid/gid 1000), and the static test helper as
# /bin/urun-test-helper.  The tree is built beside OUTDIR and renamed into
# place, so OUTDIR is either the old tree or a complete new one.  STAMP, when
# given, is touched at the end (meson's custom_target needs a file output).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 OUTDIR HELPER [STAMP]" >&2
  exit 2
fi
out=$1
helper=$2
stamp=${3:-}
busybox=${URUN_TEST_BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
  echo "$0: $busybox not found: install busybox-static (tests/setup-debian.sh)" >&2
  exit 1
fi
# A dynamically linked busybox would need its libraries inside the rootfs.
if ! LC_ALL=C "$busybox" --help >/dev/null 2>&1 || \
   { command -v file >/dev/null && ! file -L "$busybox" | grep -q 'statically linked'; }; then
  echo "$0: $busybox is not a static busybox: install busybox-static" >&2
  exit 1
fi

tmp="$out.tmp.$$"
rm -rf --one-file-system "$tmp"
trap 'rm -rf --one-file-system "$tmp"' EXIT
mkdir -p "$tmp"

for d in bin dev etc proc root sys tmp usr var var/tmp run home/tester; do
  mkdir -p "$tmp/$d"
done
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
chmod 0700 "$tmp/root"
# Every applet lives in /bin; the other usual directories point there.
ln -s bin "$tmp/sbin"
ln -s ../bin "$tmp/usr/bin"
ln -s ../bin "$tmp/usr/sbin"

install -m 0755 "$busybox" "$tmp/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] && continue
  ln -sf busybox "$tmp/bin/$applet"
done
install -m 0755 "$helper" "$tmp/bin/urun-test-helper"

cat >"$tmp/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
tester:x:1000:1000:urun tester:/home/tester:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$tmp/etc/group" <<'GROUP'
root:x:0:
tester:x:1000:
users:x:100:tester
nogroup:x:65534:
GROUP
chown 1000:1000 "$tmp/home/tester" 2>/dev/null || true
echo urun-test >"$tmp/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$tmp/etc/hosts"
: >"$tmp/etc/resolv.conf"

rm -rf --one-file-system "$out"
mv "$tmp" "$out"
trap - EXIT
if [ -n "$stamp" ]; then
  touch "$stamp"
fi
