#!/usr/bin/env bash
# demo.sh: urun's main job, after tests/setup-debian.sh built it: one line,
# `urun run --rootfs DIR -- COMMAND`, runs a command in a busybox root file
# system with no bundle and no config.json; `urun doctor` says what the
# machine has.  Then a bundle written by `urun spec` walks the
# create/start/state/kill/delete lifecycle.  As root it also runs the
# one-liner rootless, as the test user urun-tester.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${URUN_BUILD_DIR:-$top/build}
urun=$build/src/cli/urun
helper=$build/tests/helper/urun-test-helper

if [ ! -x "$urun" ]; then
  echo "demo: $urun is missing: run tests/setup-debian.sh first" >&2
  exit 1
fi

work=$(mktemp -d /tmp/urun-demo.XXXXXX)
chmod 755 "$work"
cleanup () {
  "$urun" --root "$work/state" delete --force demo-lifecycle >/dev/null 2>&1 || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

say () { printf '\n==> %s\n' "$*"; }

# set_args BUNDLE ARG...: the process the container runs.
set_args () {
  local bundle=$1
  shift
  python3 - "$bundle/config.json" "$@" <<'PY'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
with open(path) as f:
    config = json.load(f)
config["process"]["args"] = args
with open(path, "w") as f:
    json.dump(config, f, indent=2)
PY
}

say "urun --version"
"$urun" --version

say "urun doctor: what containers need on this machine"
"$urun" doctor || true   # a failed check names its fix; run then says why it fails

say "a busybox root file system in $work/bundle/rootfs"
mkdir -p "$work/bundle"
"$top/tests/integration/make-rootfs.sh" "$work/bundle/rootfs" "$helper"

say "urun run --rootfs: the one line"
echo "\$ urun run --rootfs $work/bundle/rootfs -- sh -c '...'"
"$urun" --root "$work/state" run --rootfs "$work/bundle/rootfs" -- \
  sh -c 'echo "hello from $(hostname), pid $$ as $(id -u)"; ls /'

say "a bundle of your own: urun spec, then urun run"
"$urun" spec --bundle "$work/bundle"
echo "config.json written by: urun spec --bundle $work/bundle"
set_args "$work/bundle" sh -c 'echo "hello from a bundle"'
(cd "$work/bundle" && "$urun" --root "$work/state" run demo-run)

say "the lifecycle: create, start, state, kill, delete"
set_args "$work/bundle" sleep 60
"$urun" --root "$work/state" create --bundle "$work/bundle" --pid-file "$work/pid" demo-lifecycle
echo "created; init pid $(cat "$work/pid")"
"$urun" --root "$work/state" start demo-lifecycle
"$urun" --root "$work/state" list
"$urun" --root "$work/state" state demo-lifecycle
"$urun" --root "$work/state" kill demo-lifecycle KILL
"$urun" --root "$work/state" delete --force demo-lifecycle
echo "deleted"

if [ "$(id -u)" = 0 ] && id urun-tester >/dev/null 2>&1; then
  say "rootless: the same one line as urun-tester, with newuidmap and /etc/subuid"
  mkdir -p "$work/rootless"
  cp "$urun" "$work/urun"
  "$top/tests/integration/make-rootfs.sh" "$work/rootless/rootfs" "$helper"
  chown -R urun-tester: "$work/rootless"
  runuser -u urun-tester -- env XDG_RUNTIME_DIR="$work/rootless/run" \
    sh -c 'mkdir -m 700 "$XDG_RUNTIME_DIR" && "$1" doctor; cd "$2" && "$1" run --rootfs rootfs -- \
      sh -c "echo \"hello rootless: uid \$(id -u) inside\"; cat /proc/self/uid_map"' sh \
    "$work/urun" "$work/rootless"
fi

say "done"
