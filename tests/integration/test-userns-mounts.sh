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

done_testing
