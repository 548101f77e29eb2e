#!/bin/bash
# test-hints.sh: the errors a person can cause name what to do next, after
# the wording clients match, which stays as it is: an unknown id, an id
# that is taken, a bundle without config.json, a missing rootfs, and
# (rootless) a state root that fails without XDG_RUNTIME_DIR.  With
# --log-format json (podman) the message carries no hint.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT

run_urun state nosuch
is "$err" 'urun: container `nosuch` does not exist; `urun list` shows the containers of this state root (--root)' \
  "an unknown id: podman's words, then \`urun list\`"

run_urun --log "$URUN_TEST_TMPDIR/log.json" --log-format json state nosuch
is "$status" 1 "the same with --log-format json fails alike"
json_check "... and its log record has no hint" "$(cat "$URUN_TEST_TMPDIR/log.json")" "
assert r['msg'] == 'container \`nosuch\` does not exist', r"

new_bundle h sleep 60 || done_testing
b=$bundle
run_urun run --detach --bundle "$b" taken
is "$status" 0 "run --detach taken"
run_urun create --bundle "$b" taken
is "$status" 1 "create of a taken id fails"
is "$err" 'urun: container `taken` already exists; remove it with `urun delete taken`, or choose another id' \
  "... naming \`urun delete ID\` and another id"
run_urun delete --force taken

mkdir -p "$URUN_TEST_TMPDIR/empty"
run_urun create --bundle "$URUN_TEST_TMPDIR/empty" noconfig
is "$status" 1 "a bundle without config.json fails"
like "$err" "cannot read $URUN_TEST_TMPDIR/empty/config.json: No such file or directory; write one with \`urun spec --bundle DIR\`" \
  "... suggesting \`urun spec\`"
like "$err" "\`urun run --rootfs DIR -- COMMAND\`" "... and run --rootfs"
no_leftovers "... leaving nothing" "$URUN_TEST_TMPDIR/empty" noconfig

mkdir -p "$URUN_TEST_TMPDIR/norootfs"
cp "$b/config.json" "$URUN_TEST_TMPDIR/norootfs/"
run_urun create --bundle "$URUN_TEST_TMPDIR/norootfs" norootfs
is "$status" 1 "a bundle without its rootfs fails"
is "$err" "urun: config.json: root.path: rootfs \`$URUN_TEST_TMPDIR/norootfs/rootfs\`: No such file or directory; create it (unpack an image's root file system there) or fix root.path in config.json" \
  "... naming the path and both fixes"
no_leftovers "... leaving nothing" "$URUN_TEST_TMPDIR/norootfs" norootfs

# No runtime directory: the state root falls back to $TMPDIR/urun-UID,
# here planted as a file.  As root, the unprivileged user is driven
# through setpriv.
as_user=()
user=${URUN_TEST_USER:-urun-tester}
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid="$user" --regid="$user" --init-groups --)
uid=$("${as_user[@]}" id -u)
t=$URUN_TEST_TMPDIR/t
mkdir -p "$t"
chmod 0777 "$t"
chmod 0755 "$URUN_TEST_TMPDIR"
cp "$URUN" "$t/urun-bin"
touch "$t/urun-$uid"
if [ "$uid" -ne 0 ] && [ ! -d "/run/user/$uid" ]; then
  err=$("${as_user[@]}" env -u XDG_RUNTIME_DIR TMPDIR="$t" "$t/urun-bin" list 2>&1 >/dev/null)
  is "$?" 1 "rootless, no XDG_RUNTIME_DIR, an unusable fallback state root: fails"
  like "$err" "state root \`$t/urun-$uid\`: Not a directory; XDG_RUNTIME_DIR is not set: set it to a 0700 directory of yours" \
    "... saying what to set"
  like "$err" "or pass --root DIR" "... or to pass --root"
else
  skip "/run/user/$uid exists, so the state root never falls back to \$TMPDIR"
fi

done_testing
