#!/bin/bash
# test-mounts.sh: the container's filesystem: bind mounts (rw, ro, rbind,
# rro, flags), tmpfs options, destinations created as directory or file,
# tmpcopyup, maskedPaths, readonlyPaths, root.readonly, /dev and its links,
# and the security case: a rootfs whose symlinks point out of it must not
# lead a mount (or a created directory) onto the host.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

T=$URUN_TEST_TMPDIR
host=$T/host
n=0

# run_ctr BUNDLE ARGS...: runs ARGS in a new container of BUNDLE, stdin from
# /dev/null; $status, $out and $err as run_urun sets them.  The arguments
# travel through the environment, so that any text survives (newlines,
# quotes, backslashes).
run_ctr ()
{
  local b=$1
  shift
  n=$((n + 1))
  URUN_TEST_ARGS=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@") \
    edit_config "$b" 'import os; c["process"]["args"] = json.loads(os.environ["URUN_TEST_ARGS"])' \
    || return 1
  run_urun run --bundle "$b" "mounts-$n" </dev/null
}

# add_mount BUNDLE JSON: appends one entry to mounts[].
add_mount ()
{
  edit_config "$1" "c['mounts'].append(json.loads('''$2'''))"
}

mkdir -p "$host/rw" "$host/ro" "$host/rb/sub" "$host/flags"
echo hello >"$host/rw/hello"
echo ro >"$host/ro/file"
echo file >"$host/file.txt"

# A submount under the rbind source, when we may mount: rbind must take it
# along and rro must make it read-only too.
submount=
if [ "$URUN_TEST_MODE" = root ] && mount -t tmpfs -o size=1m urun-test "$host/rb/sub"; then
  submount=$host/rb/sub
  echo sub >"$submount/in-sub"
  _tm_prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
  # shellcheck disable=SC2064 # expand now
  trap "umount '$submount' 2>/dev/null; ${_tm_prev_trap:-:}" EXIT
fi

new_bundle main || done_testing
b=$bundle
r=$b/rootfs

# The rootfs: what tmpcopyup, the masks and the read-only paths act on, and
# the symlinks that try to lead out of it.
mkdir -p "$r/etc/copyme/sub" "$r/etc/masked-dir" "$r/var/rodir"
echo a >"$r/etc/copyme/a"
echo b >"$r/etc/copyme/sub/b"
ln -s a "$r/etc/copyme/link"
chmod 0750 "$r/etc/copyme/sub"
chmod 0640 "$r/etc/copyme/a"
echo secret >"$r/etc/masked-file"
echo rofile >"$r/etc/rofile"
echo secret >"$r/etc/masked-dir/inside"
echo visible >"$r/etc/linked-secret"
ln -s /etc/linked-secret "$r/masklink"
ln -s / "$r/evil"
ln -s "../../../../../../../../..$T" "$r/evil2"
ln -s "$T" "$r/evil3"
mkdir -p "$r/deep/er"
ln -s ../../../../../../../../../../.. "$r/deep/er/up"

add_mount "$b" '{"destination": "/mnt/rw", "type": "bind", "source": "'"$host/rw"'", "options": ["bind"]}'
add_mount "$b" '{"destination": "/mnt/ro", "type": "bind", "source": "'"$host/ro"'", "options": ["bind", "ro"]}'
add_mount "$b" '{"destination": "/mnt/rb", "type": "bind", "source": "'"$host/rb"'", "options": ["rbind"]}'
add_mount "$b" '{"destination": "/mnt/rro", "type": "bind", "source": "'"$host/rb"'", "options": ["rbind", "rro"]}'
add_mount "$b" '{"destination": "/mnt/flags", "type": "bind", "source": "'"$host/flags"'", "options": ["bind", "nosuid", "noexec", "nodev"]}'
add_mount "$b" '{"destination": "/mnt/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec", "mode=1750", "size=1m"]}'
add_mount "$b" '{"destination": "/new/dir/deep", "type": "bind", "source": "'"$host/rw"'", "options": ["bind"]}'
add_mount "$b" '{"destination": "new/file", "type": "bind", "source": "'"$host/file.txt"'", "options": ["bind", "ro"]}'
add_mount "$b" '{"destination": "/etc/copyme", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "size=1m"]}'
# The escapes: each destination goes through a symlink that, resolved by
# the host's rules, would name $T/escape*.
add_mount "$b" '{"destination": "/evil'"$T"'/escape1", "type": "tmpfs", "source": "tmpfs"}'
add_mount "$b" '{"destination": "/evil2/escape2", "type": "bind", "source": "'"$host/file.txt"'", "options": ["bind"]}'
add_mount "$b" '{"destination": "/evil3/escape3/sub", "type": "tmpfs", "source": "tmpfs"}'
add_mount "$b" '{"destination": "/deep/er/up'"$T"'/escape4", "type": "tmpfs", "source": "tmpfs"}'
edit_config "$b" '
c["root"]["readonly"] = True
c["linux"]["maskedPaths"] += ["/etc/masked-file", "/etc/masked-dir", "/masklink", "/does/not/exist"]
c["linux"]["readonlyPaths"] += ["/var/rodir", "/etc/rofile", "/does/not/exist", "/evil3"]'

# ---- what the container sees ---------------------------------------------
run_ctr "$b" urun-test-helper report
is "$status" 0 "report runs" || diag "$err"
report=$out

json_check "bind mounts are in mountinfo with their flags" "$report" '
m = {x["mount_point"]: x for x in r["mounts"]}
def opts(p): return m[p]["options"].split(",")
for p in ["/mnt/rw", "/mnt/ro", "/mnt/rb", "/mnt/rro", "/mnt/flags", "/mnt/tmp",
          "/new/dir/deep", "/new/file", "/etc/copyme"]:
    assert p in m, p
assert "rw" in opts("/mnt/rw"), opts("/mnt/rw")
assert "ro" in opts("/mnt/ro"), opts("/mnt/ro")
assert "ro" in opts("/new/file"), opts("/new/file")
for f in ["nosuid", "noexec", "nodev"]:
    assert f in opts("/mnt/flags"), opts("/mnt/flags")
    assert f in opts("/mnt/tmp"), opts("/mnt/tmp")
assert m["/mnt/tmp"]["fstype"] == "tmpfs"
assert "size=1024k" in m["/mnt/tmp"]["super_options"], m["/mnt/tmp"]["super_options"]
assert "mode=1750" in m["/mnt/tmp"]["super_options"], m["/mnt/tmp"]["super_options"]
assert "ro" in opts("/"), opts("/")
'
if [ -n "$submount" ]; then
  json_check "rbind takes submounts along, rro makes them read-only" "$report" '
m = {x["mount_point"]: x for x in r["mounts"]}
assert "/mnt/rb/sub" in m and "/mnt/rro/sub" in m, sorted(m)
assert "rw" in m["/mnt/rb/sub"]["options"].split(","), m["/mnt/rb/sub"]
assert "ro" in m["/mnt/rro/sub"]["options"].split(","), m["/mnt/rro/sub"]
assert "ro" in m["/mnt/rro"]["options"].split(","), m["/mnt/rro"]
'
else
  skip "rbind/rro submounts need root to mount the submount"
fi
json_check "/dev has the default devices and links" "$report" '
d = {x["name"]: x for x in r["dev"]}
for name, mm in [("null", "1:3"), ("zero", "1:5"), ("full", "1:7"), ("random", "1:8"),
                 ("urandom", "1:9"), ("tty", "5:0")]:
    assert name in d, name
    assert d[name]["type"] == "c" and d[name]["major_minor"] == mm, d[name]
    assert d[name]["mode"] == "0666", d[name]
for name, target in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                     ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
                     ("ptmx", "pts/ptmx")]:
    assert name in d and d[name].get("target") == target, (name, d.get(name))
'
json_check "masks: a tmpfs on directories, /dev/null on files and on a symlink's target" "$report" '
m = {x["mount_point"]: x for x in r["mounts"]}
assert m["/etc/masked-dir"]["fstype"] == "tmpfs", m["/etc/masked-dir"]
assert "ro" in m["/etc/masked-dir"]["options"].split(",")
assert m["/etc/masked-file"]["root"].endswith("/null"), m["/etc/masked-file"]
# Issue 19: a mask on the link itself would leave its target readable.
assert "/masklink" not in m, m["/masklink"]
assert m["/etc/linked-secret"]["root"].endswith("/null"), m.get("/etc/linked-secret")
assert "/var/rodir" in m and "ro" in m["/var/rodir"]["options"].split(",")
assert "/evil3" not in m
'

# The same through the eyes of a program.
# shellcheck disable=SC2016 # expanded in the container
run_ctr "$b" sh -c '
cat /mnt/rw/hello
echo written >/mnt/rw/from-ctr && echo rw-write-ok
(echo x >/mnt/ro/new) 2>&1
cat /mnt/ro/file
echo x >/mnt/flags/f && chmod 755 /mnt/flags/f && (/mnt/flags/f) 2>&1; echo "exec=$?"
[ -d /new/dir/deep ] && echo newdir-is-dir
[ -f /new/file ] && echo newfile-is-file
cat /new/file
ls -ld /mnt/tmp | cut -c1-10
cat /etc/copyme/a /etc/copyme/sub/b /etc/copyme/link
ls -ld /etc/copyme/sub | cut -c1-10
ls -l /etc/copyme/a | cut -c1-10
echo new >/etc/copyme/added && echo copyme-writable
echo "masked-file=[$(cat /etc/masked-file)]"
echo "masked-dir=[$(ls /etc/masked-dir)]"
echo "linked=[$(cat /etc/linked-secret)]"
(echo x >/var/rodir/x) 2>&1
(echo x >/etc/rofile) 2>&1
(echo x >/rootfile) 2>&1
exit 0
'
is "$status" 0 "the checks ran" || diag "$err"
like "$out" '(^|
)hello
' "rw bind shows the host's file"
like "$out" 'rw-write-ok' "rw bind is writable"
like "$out" "can't create /mnt/ro/new: Read-only file system" "ro bind: write fails with EROFS"
like "$out" '(^|
)ro
' "ro bind shows the host's file"
like "$out" 'exec=(126|1|2)' "noexec bind: executing fails"
unlike "$out" 'exec=0' "noexec bind: nothing ran"
like "$out" 'newdir-is-dir' "missing destination of a directory bind is created as a directory"
like "$out" 'newfile-is-file' "missing destination of a file bind is created as a file"
like "$out" '(^|
)file
' "file bind shows the host's file"
like "$out" '(^|
)drwxr-x--T' "tmpfs mode=1750"
like "$out" 'a
b
a
' "tmpcopyup copied files, subdirectories and symlinks"
like "$out" '(^|
)drwxr-x---
-rw-r-----' "tmpcopyup kept the modes"
like "$out" 'copyme-writable' "tmpcopyup: the tmpfs is writable"
like "$out" 'masked-file=\[\]' "masked file reads empty"
like "$out" 'masked-dir=\[\]' "masked directory lists empty"
like "$out" 'linked=\[\]' "a masked symlink masks its target inside the rootfs"
like "$out" "can't create /var/rodir/x: Read-only file system" "readonly path is read-only"
like "$out" "can't create /etc/rofile: Read-only file system" "readonly path (a file) is read-only"
like "$out" "can't create /rootfile: Read-only file system" "root.readonly"

# ---- what the host sees afterwards -----------------------------------------
is "$(cat "$host/rw/from-ctr" 2>/dev/null)" written "rw bind wrote through to the host"
ok "ro bind wrote nothing" test ! -e "$host/ro/new"
ok "tmpcopyup left the image alone" test ! -e "$r/etc/copyme/added"
is "$(cat "$r/etc/masked-file")" secret "the masked file is intact"
for i in 1 2 3 4; do
  ok "escape$i: nothing created on the host" test ! -e "$T/escape$i"
done
ok "escape1 landed inside the rootfs" test -d "$r$T/escape1"
ok "escape2 landed inside the rootfs" test -f "$r$T/escape2"
ok "escape3 landed inside the rootfs" test -d "$r$T/escape3/sub"
ok "escape4 landed inside the rootfs" test -d "$r$T/escape4"
ok "host file of escape2 unchanged" test "$(cat "$host/file.txt")" = file
no_leftovers "no mounts or processes left" "$b" "mounts-$n"

# ---- root.readonly false, no masks: the rootfs is writable ---------------------
new_bundle rw || done_testing
edit_config "$bundle" 'c["root"]["readonly"] = False'
run_ctr "$bundle" sh -c 'echo x >/rootfile && echo root-writable'
like "$out" root-writable "root.readonly false: the rootfs is writable"

# ---- a missing bind source is an error naming the mount -----------------------
new_bundle missing || done_testing
add_mount "$bundle" '{"destination": "/x", "type": "bind", "source": "/nonexistent-urun-source"}'
run_ctr "$bundle" true
fails "missing bind source fails" test "$status" -eq 0
like "$err" 'mounts\[[0-9]+\]\.source: /nonexistent-urun-source does not exist' \
  "the error names the mount and the source"

# ---- a destination through a dangling symlink: its target, in the rootfs -------
# (more in test-userns-mounts.sh)
new_bundle dangling || done_testing
ln -s "$T/dangling-target" "$bundle/rootfs/dangle"
add_mount "$bundle" '{"destination": "/dangle", "type": "tmpfs", "source": "tmpfs"}'
run_ctr "$bundle" true
is "$status" 0 "a destination through a dangling symlink is created at its target"
ok "... inside the rootfs" test -d "$bundle/rootfs$T/dangling-target"
ok "dangling symlink destination: nothing on the host" test ! -e "$T/dangling-target"

# ---- no network namespace: sysfs falls back to the host's, read-only ----------
new_bundle sysfs || done_testing
edit_config "$bundle" '
c["linux"]["namespaces"] = [x for x in c["linux"]["namespaces"] if x["type"] != "network"]'
# shellcheck disable=SC2016
run_ctr "$bundle" sh -c 'grep " /sys " /proc/self/mountinfo; (echo x >/sys/x) 2>&1; ls /sys/class >/dev/null && echo sys-readable; exit 0'
is "$status" 0 "runs without a network namespace" || diag "$err"
like "$out" ' /sys ro,' "/sys is read-only"
like "$out" "can't create /sys/x: Read-only file system" "/sys cannot be written"
like "$out" sys-readable "/sys is readable"

# ---- idmapped mounts ----------------------------------------------------------
if [ "$URUN_TEST_MODE" = root ]; then
  mkdir -p "$host/id"
  echo x >"$host/id/f"
  chown 0:0 "$host/id/f"
  new_bundle idmap || done_testing
  add_mount "$bundle" '{"destination": "/mnt/id", "type": "bind", "source": "'"$host/id"'", "options": ["bind", "idmap"], "uidMappings": [{"containerID": 0, "hostID": 1234, "size": 1}], "gidMappings": [{"containerID": 0, "hostID": 4321, "size": 1}]}'
  # shellcheck disable=SC2016
  run_ctr "$bundle" sh -c 'ls -ln /mnt/id/f; grep " /mnt/id " /proc/self/mountinfo; exit 0'
  is "$status" 0 "idmapped bind runs" || diag "$err"
  like "$out" ' 1234 +4321 ' "idmapped bind shows the mapped owner"
  like "$out" 'idmapped' "mountinfo says idmapped"
  is "$(stat -c %u:%g "$host/id/f")" 0:0 "the host file keeps its owner"
else
  # The kernel lets only root idmap a host filesystem: rootless, the same
  # config is a clear error that leaves nothing behind.
  mkdir -p "$host/id"
  new_bundle idmap || done_testing
  add_mount "$bundle" '{"destination": "/mnt/id", "type": "bind", "source": "'"$host/id"'", "options": ["bind", "idmap"]}'
  run_urun run --bundle "$bundle" idm
  is "$status" 1 "rootless: an idmapped bind fails"
  like "$err" "mounts\[[0-9]+\]: an idmapped mount needs root" "... saying it needs root"
  like "$err" "$host/id" "... naming the source"
  no_leftovers "... and leaves nothing behind" "$bundle" idm
fi

# ---- rootfs propagation and --no-pivot ---------------------------------------
new_bundle prop || done_testing
edit_config "$bundle" 'c["linux"]["rootfsPropagation"] = "rshared"'
# shellcheck disable=SC2016
run_ctr "$bundle" sh -c 'while read -r _ _ _ _ mp _ opt _; do [ "$mp" = / ] && echo "/ $opt"; done </proc/self/mountinfo; exit 0'
is "$status" 0 "rootfsPropagation rshared runs" || diag "$err"
like "$out" '^/ shared:[0-9]+' "/ is shared in the container"
set_args "$bundle" true
run_urun run --no-pivot --bundle "$bundle" mounts-nopivot </dev/null
is "$status" 0 "--no-pivot runs" || diag "$err"

done_testing
