#!/bin/bash
# test-single-id.sh: the single-id fallback of an unprivileged user who has
# no /etc/subuid and /etc/subgid entries.  `spec --rootless` then writes a
# single-id map that runs, with a working /dev/pts; a config that asks for
# more ids (made while the ranges existed) falls back to the single id: the
# mount options naming ids the map lacks (gid=5 of /dev/pts, uid=/gid= of a
# tmpfs) are dropped with one warning, and the hint names a range that is
# free on this machine.
#
# The user's ranges are hidden by binding other files over /etc/subuid and
# /etc/subgid in a mount namespace this test makes (as root), inside which
# urun runs as urun-tester: so the root run of this script is the one that
# drives the unprivileged path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

[ "$URUN_TEST_MODE" = root ] || skip_all "hiding /etc/subuid needs root (a bind over it in a private mount namespace); the root run of this script drives urun as the unprivileged user"
user=${URUN_TEST_USER:-urun-tester}
getent passwd "$user" >/dev/null || skip_all "$user missing: run tests/setup-debian.sh"
uid=$(id -u "$user")
gid=$(id -g "$user")

w=$URUN_TEST_TMPDIR/sid
mkdir -p "$w"
chmod 0755 "$URUN_TEST_TMPDIR" "$w"
cp "$URUN" "$w/urun"
# Other users own 100000-165535 and 165536-231071 (subuid) and
# 231072-296607 (subgid only): the first range free in both files starts
# at 296608.
printf 'someone:100000:65536\nother:165536:65536\n' >"$w/subuid"
printf 'someone:100000:65536\nother:165536:65536\nthird:231072:65536\n' >"$w/subgid"
chmod 0644 "$w/subuid" "$w/subgid"
free_range=296608-362143

# as_user CMD...: CMD as $user with its ranges hidden; $status, $out, $err.
as_user ()
{
  local o e
  o=$(mktemp "$URUN_TEST_TMPDIR/.out.XXXXXX")
  e=$(mktemp "$URUN_TEST_TMPDIR/.err.XXXXXX")
  chmod 0666 "$o" "$e"
  unshare --mount --propagation private -- sh -c '
    mount --bind "$1/subuid" /etc/subuid && mount --bind "$1/subgid" /etc/subgid || exit 99
    shift
    exec setpriv --reuid="$0" --regid="$0" --init-groups -- env -u XDG_RUNTIME_DIR HOME=/ "$@"' \
    "$user" "$w" "$@" >"$o" 2>"$e"
  status=$?
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
}
urun_as_user () { as_user "$w/urun" --root "$w/state" "$@"; }

mountinfo_before=$(sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort)

# ---- spec --rootless without ranges ------------------------------------------------
mkdir -p "$w/b1"
cp -a "$URUN_TEST_ROOTFS" "$w/b1/rootfs"
chown -R "$user:" "$w"
as_user sh -c "cd '$w/b1' && '$w/urun' spec --rootless"
is "$status" 0 "spec --rootless as $user with no subordinate ids"
json_check "it writes the single-id map" "$(cat "$w/b1/config.json")" "
assert r['linux']['uidMappings'] == [{'containerID': 0, 'hostID': $uid, 'size': 1}], r['linux']
assert r['linux']['gidMappings'] == [{'containerID': 0, 'hostID': $gid, 'size': 1}], r['linux']"
edit_config "$w/b1" 'c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "ls /dev/pts && exec 3<>/dev/ptmx && ls /dev/pts && echo pty-ok"]'
urun_as_user run --bundle "$w/b1" one
is "$status" 0 "run of that config works"
[ "$status" -eq 0 ] || diag "$err"
like "$out" "pty-ok" "a pty opens from /dev/ptmx"
like "$out" "(^|$(printf '\n'))0($(printf '\n')|$)" "and shows in /dev/pts"

# ---- a config that needs more ids falls back to the single id --------------------------
mkdir -p "$w/b2"
cp -a "$URUN_TEST_ROOTFS" "$w/b2/rootfs"
chown -R "$user:" "$w/b2"
# Made as $user while its ranges are visible: full maps and gid=5.
(cd "$w/b2" && setpriv --reuid="$user" --regid="$user" --init-groups -- "$w/urun" spec --rootless) \
  || diag "spec --rootless with ranges failed"
edit_config "$w/b2" 'c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "exec 3<>/dev/ptmx && echo pty-ok; grep \" /mnt \" /proc/self/mountinfo"]
c["mounts"].append({"destination": "/mnt", "type": "tmpfs", "source": "tmpfs",
                    "options": ["uid=1000", "gid=1000", "uid=0", "mode=755"]})'
json_check "the config asks for ranges and gid=5" "$(cat "$w/b2/config.json")" "
assert len(r['linux']['uidMappings']) > 1, r['linux']
assert any('gid=5' in m.get('options', []) for m in r['mounts']), r['mounts']"
chown -R "$user:" "$w/b2"
urun_as_user run --bundle "$w/b2" two
is "$status" 0 "run falls back to the single id and works"
[ "$status" -eq 0 ] || diag "$err"
like "$out" "pty-ok" "/dev/pts works without gid=5"
like "$out" " /mnt .*tmpfs" "the tmpfs is mounted"
# mountinfo names tmpfs's ids as the host sees them: container uid 0 is $uid.
like "$out" " /mnt .*uid=$uid" "with the mapped uid=0 kept"
unlike "$out" " /mnt .*=1000" "and without the unmapped uid=1000, gid=1000"
is "$(grep -c 'mount options dropped' <<<"$err")" 1 "one warning about dropped mount options"
like "$err" "does not map their ids: /dev/pts \\(gid=5\\); /mnt \\(uid=1000, gid=1000\\)" \
  "... naming each mount and option"
like "$err" "has no subordinate ids" "the fallback says why"
like "$err" "usermod --add-subuids $free_range --add-subgids $free_range $user" \
  "the hint's command names the first range free in both files ($free_range)"
like "$err" "$user:296608:65536" "... and the line to add"
unlike "$err" "100000-165535" "not a range another user has"

# ---- nothing left ---------------------------------------------------------------------
ok "no container left" test -z "$(ls -A "$w/state" 2>/dev/null)"
is "$(sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort)" "$mountinfo_before" \
  "the host's mounts are unchanged (the binds stayed in the test's namespace)"

done_testing
