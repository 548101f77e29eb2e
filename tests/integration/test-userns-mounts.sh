#!/bin/bash
# test-userns-mounts.sh: what a container with a user namespace gets from
# the host side (bind sources the namespace could not reach, idmapped
# mounts, linux.devices the host has no node for), and mount destinations
# that are dangling symlinks inside the rootfs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

T=$URUN_TEST_TMPDIR
host=$T/host
n=0
mkdir -p "$host"

# run_ctr BUNDLE ARGS...: runs ARGS in a new container of BUNDLE; $status,
# $out and $err as run_urun sets them, $id the container's name.
run_ctr ()
{
  local b=$1
  shift
  n=$((n + 1))
  id=userns-$n
  URUN_TEST_ARGS=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@") \
    edit_config "$b" 'import os; c["process"]["args"] = json.loads(os.environ["URUN_TEST_ARGS"])' \
    || return 1
  run_urun run --bundle "$b" "$id" </dev/null
}

add_mount ()
{
  edit_config "$1" "c['mounts'].append(json.loads('''$2'''))"
}

# ---- a destination that is a dangling symlink --------------------------------
# As crun does: the link's target is created inside the rootfs (a file for a
# file source, a directory otherwise), and the mount lands there.  Never
# outside the rootfs, whatever the link says.
new_bundle dangling || done_testing
b=$bundle
r=$b/rootfs
cp "$b/config.json" "$T/config.dangling"
echo from-host >"$host/file.txt"
mkdir -p "$host/dir" && echo in-dir >"$host/dir/inner"
escape=urun-escape-$$-$RANDOM
ln -s /run/resolv-target.conf "$r/etc/resolv-link.conf"
ln -s ../srv/newdir "$r/data"
ln -s "../../../../../../tmp/$escape/sub" "$r/evil"
ln -s /chain2 "$r/chain1"
ln -s /opt/chain-end "$r/chain2"
add_mount "$b" "{\"destination\": \"/etc/resolv-link.conf\", \"type\": \"bind\",
                 \"source\": \"$host/file.txt\", \"options\": [\"bind\", \"ro\"]}"
add_mount "$b" '{"destination": "/data", "type": "tmpfs", "source": "tmpfs"}'
add_mount "$b" "{\"destination\": \"/evil\", \"type\": \"bind\", \"source\": \"$host/dir\",
                 \"options\": [\"bind\"]}"
add_mount "$b" "{\"destination\": \"/chain1/x\", \"type\": \"bind\", \"source\": \"$host/dir\",
                 \"options\": [\"bind\"]}"
run_ctr "$b" sh -c 'cat /etc/resolv-link.conf; cat /evil/inner; cat /chain1/x/inner;
  grep -c " /srv/newdir " /proc/self/mountinfo'
is "$status" 0 "mounts onto dangling symlinks succeed"
is "$out" "from-host
in-dir
in-dir
1" "... and land on the links' targets: a file, directories, a chain of links"
ok "... the file target was created inside the rootfs" test -f "$r/run/resolv-target.conf"
ok "... the relative directory target too" test -d "$r/srv/newdir"
ok "... a target climbing out with .. stays inside the rootfs" test -d "$r/tmp/$escape/sub"
ok "... and nothing was made on the host" test ! -e "/tmp/$escape"
ok "... a chain of dangling links is followed" test -d "$r/opt/chain-end/x"
ok "... the links are left as they were" test -L "$r/etc/resolv-link.conf" -a -L "$r/data"
no_leftovers "... leaving nothing" "$b" "$id"

# ---- root: a container with a user namespace ---------------------------------
# use_userns BUNDLE: a user namespace mapping the container's 0..65535 onto
# the host's 100000.., the rootfs owned accordingly; as root only (rootless,
# the bundle has its user namespace already).
use_userns ()
{
  edit_config "$1" '
c["linux"]["namespaces"].append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]' &&
    chown -R 100000:100000 "$1/rootfs"
}

# A bind source below a directory only the host's root may enter: the
# parent, root on the host, clones it before the clone (open_tree); init,
# root of the container's namespace only, could not reach it.
locked=$host/locked
mkdir -p "$locked/src/sub" "$locked/rsrc/inner"
echo secret >"$locked/src/file"
echo rsecret >"$locked/rsrc/inner/file"
chmod 000 "$locked"
new_bundle locked || done_testing
b=$bundle
r=$b/rootfs
[ "$URUN_TEST_MODE" = root ] && use_userns "$b"
add_mount "$b" "{\"destination\": \"/mnt/locked\", \"type\": \"bind\", \"source\": \"$locked/src\",
                 \"options\": [\"bind\", \"ro\"]}"
add_mount "$b" "{\"destination\": \"/mnt/rlocked\", \"type\": \"bind\", \"source\": \"$locked/rsrc\",
                 \"options\": [\"rbind\"]}"
run_ctr "$b" sh -c 'cat /mnt/locked/file /mnt/rlocked/inner/file; touch /mnt/locked/new 2>/dev/null && echo writable; true'
if [ "$URUN_TEST_MODE" = root ]; then
  is "$status" 0 "with a user namespace, a bind source under a mode-000 directory works" || diag "$err"
  is "$out" "secret
rsecret" "... bind and rbind show the source, ro stays read-only"
  no_leftovers "... leaving nothing" "$b" "$id"

  # What the container mounts inside a bind stays in the container, as
  # with any bind: the parent's clone of a shared source is made a slave,
  # not left a peer of the host's mount.  In a mount namespace of the
  # test's own whose "/" is shared, so that the host's mounts stay as they
  # are.
  mkdir -p "$T/shr"
  edit_config "$b" "
c['mounts'] = [m for m in c['mounts'] if not m['destination'].startswith('/mnt/')]
c['mounts'].append({'destination': '/mnt/shr', 'type': 'bind', 'source': '$T/shr/src',
                    'options': ['bind']})
c['process']['args'] = ['sh', '-c', 'mount -t tmpfs inner /mnt/shr/sub && touch /tmp/mounted && sleep 30']
for s in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][s].append('CAP_SYS_ADMIN')"
  cat >"$T/prop.sh" <<END
mount --make-rshared / || exit 2
mount -t tmpfs shr "$T/shr" && mount --make-shared "$T/shr" && mkdir -p "$T/shr/src/sub" || exit 2
"$URUN" --root "$URUN_TEST_STATE_ROOT" run --detach --bundle "$b" shr >/dev/null || exit 3
for i in \$(seq 50); do [ -e "$r/tmp/mounted" ] && break; sleep 0.2; done
[ -e "$r/tmp/mounted" ] || exit 4
grep -c " $T/shr/src/sub " /proc/self/mountinfo
"$URUN" --root "$URUN_TEST_STATE_ROOT" delete --force shr
exit 0
END
  count=$(unshare --mount --propagation unchanged bash "$T/prop.sh")
  is "$?:$count" "0:0" "... a mount the container makes inside a bind of a shared source stays inside"
  rm -f "$r/tmp/mounted"
  # Under rootfsPropagation shared the clone stays a peer until init makes
  # it a slave, as any bind (urun_init_keep_bind_from_caller()).
  edit_config "$b" 'c["linux"]["rootfsPropagation"] = "shared"'
  count=$(unshare --mount --propagation unchanged bash "$T/prop.sh")
  is "$?:$count" "0:0" "... under rootfsPropagation shared too"
  rm -f "$r/tmp/mounted"
else
  is "$status" 1 "rootless, a source the caller cannot reach fails"
  like "$err" "locked" "... naming it"
fi
chmod 755 "$locked"

# ---- idmapped mounts with a user namespace ------------------------------------
# The parent attaches the ids (mount_setattr(MOUNT_ATTR_IDMAP) needs
# privilege over the host's mount, which init lacks once in the container's
# user namespace).  Rootless stays refused, with the reason.
mkdir -p "$host/id"
echo owned >"$host/id/by-root"
echo owned >"$host/id/by-1000" && chown 1000:1000 "$host/id/by-1000" 2>/dev/null
new_bundle idmap || done_testing
b=$bundle
[ "$URUN_TEST_MODE" = root ] && use_userns "$b"
add_mount "$b" "{\"destination\": \"/mnt/id\", \"type\": \"bind\", \"source\": \"$host/id\",
                 \"options\": [\"bind\", \"idmap\"]}"
add_mount "$b" "{\"destination\": \"/mnt/id2\", \"type\": \"bind\", \"source\": \"$host/id\",
                 \"options\": [\"rbind\"],
                 \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],
                 \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]}"
run_ctr "$b" sh -c 'stat -c "%n %u:%g" /mnt/id/by-root /mnt/id/by-1000 /mnt/id2/by-root; grep -c idmapped /proc/self/mountinfo'
if [ "$URUN_TEST_MODE" = root ]; then
  is "$status" 0 "with a user namespace, idmapped binds work" || diag "$err"
  is "$out" "/mnt/id/by-root 0:0
/mnt/id/by-1000 1000:1000
/mnt/id2/by-root 0:0
2" "... the host's ids show through the maps: the container's own, or the mount's"
  no_leftovers "... leaving nothing" "$b" "$id"
else
  is "$status" 1 "rootless, an idmapped mount is refused"
  like "$err" 'mounts\[[0-9]+\]: an idmapped mount needs root' "... saying why"
  no_leftovers "... leaving nothing" "$b" "$id"
fi

# ---- linux.devices with a user namespace ---------------------------------------
# A device the host has no node for: as root, the parent makes it, with the
# config's mode and owner; rootless nobody can, and the error says so.
dev=/dev/urun-test-$$
new_bundle devices || done_testing
b=$bundle
[ "$URUN_TEST_MODE" = root ] && use_userns "$b"
edit_config "$b" "
c['linux']['devices'] = [{'path': '$dev', 'type': 'c', 'major': 1, 'minor': 3,
                          'fileMode': 0o620, 'uid': 1000, 'gid': 5},
                         {'path': '/dev/null', 'type': 'c', 'major': 1, 'minor': 3,
                          'fileMode': 0o600, 'uid': 0, 'gid': 0}]
c['linux'].setdefault('resources', {})['devices'] = [{'allow': True, 'access': 'rwm'}]"
run_ctr "$b" sh -c "stat -c '%n %t:%T %a %u:%g %F' $dev /dev/null; echo x >/dev/null && echo written"
if [ "$URUN_TEST_MODE" = root ]; then
  is "$status" 0 "with a user namespace, a device the host lacks is made" || diag "$err"
  is "$out" "$dev 1:3 620 1000:5 character special file
/dev/null 1:3 600 0:0 character special file
written" "... with the config's numbers, mode and owner, and it works"
  ok "... and not on the host" test ! -e "$dev"
  no_leftovers "... leaving nothing" "$b" "$id"
else
  is "$status" 1 "rootless, a device the host lacks is refused"
  like "$err" "linux\\.devices\\[0\\]: $dev does not exist on the host" "... naming it and why"
  no_leftovers "... leaving nothing" "$b" "$id"
fi

done_testing
