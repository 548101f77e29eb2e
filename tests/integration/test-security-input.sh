#!/bin/bash
# test-security-input.sh: the regression tests of issue 19, hostile input
# found by a probe.
#   1. ids 4294967295 ((uid_t) -1, "leave unchanged" to set*id) and wrapping
#      id maps are refused, in config.json and for exec;
#   2. maskedPaths and readonlyPaths follow symlinks inside the rootfs;
#   3. a state root, container directory or state.json not owned by the
#      caller is refused (root), and delete never acts on paths read from
#      state.json;
#   6. create killed at each step (URUN_TEST_STOP_AT), the cgroup ladder's
#      included, leaves a container
#      that `list` shows and `delete --force` removes entirely; a record too
#      big to read back is never written;
#   7. NUL bytes in strings, odd ids, linux.intelRdt, linux.netDevices and
#      linux.timeOffsets without a time namespace are refused, naming the
#      field.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

rootless=false
[ "$URUN_TEST_MODE" = rootless ] && rootless=true

new_bundle b urun-test-helper report || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# refused DESC ID ERE: `create` of $b fails, says ERE, and leaves nothing.
refused ()
{
  local desc=$1 id=$2 ere=$3
  run_urun create --bundle "$b" "$id"
  ok "$desc: create fails" test "$status" -ne 0
  like "$err" "$ere" "$desc: the message names the field"
  no_leftovers "$desc: nothing left" "$b" "$id"
}

# ---- 1. ids that set*id would ignore ---------------------------------------
reset_config
edit_config "$b" 'c["process"]["user"]["uid"] = 4294967295'
refused "uid 4294967295" uid-max \
  'config.json: process.user.uid: expected an id between 0 and 2147483647, got 4294967295'
reset_config
edit_config "$b" 'c["process"]["user"]["gid"] = 4294967295'
refused "gid 4294967295" gid-max \
  'config.json: process.user.gid: expected an id between 0 and 2147483647, got 4294967295'
reset_config
edit_config "$b" 'c["process"]["user"]["additionalGids"] = [5, 4294967295]'
refused "additionalGids 4294967295" gids-max \
  'config.json: process.user.additionalGids\[1\]: expected an id between 0 and 2147483647'

# Id maps that wrap past the last id.
reset_config
edit_config "$b" '
ns = c["linux"]["namespaces"]
if not any(n["type"] == "user" for n in ns):
    ns.append({"type": "user"})
c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 4294967295, "size": 2}]
c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 0, "size": 1}]'
refused "uidMappings hostID + size past 2^32" map-wrap \
  'config.json: linux.uidMappings\[0\]: hostID 4294967295 \+ size 2 goes past the last id'

# exec: --user, --additional-gids and --process with the same ids, into a
# running container.
reset_config
set_args "$b" sleep 60
run_urun run --detach --bundle "$b" ex
is "$status" 0 "a container to exec into runs"
run_urun exec --user 4294967295 ex id -u
is "$status" 1 "exec --user 4294967295 fails"
like "$err" '--user: expected a numeric id between 0 and 2147483647, got `4294967295`' \
  "... naming the flag and the range"
run_urun exec --user 0:4294967295 ex id -u
like "$err" '--user: expected a numeric id between 0 and 2147483647' "exec --user 0:4294967295 fails"
run_urun exec --additional-gids 4294967295 ex id -u
like "$err" '--additional-gids: expected a numeric id between 0 and 2147483647' \
  "exec --additional-gids 4294967295 fails"
cat >"$URUN_TEST_TMPDIR/p-uid.json" <<'EOF'
{ "user": { "uid": 4294967295, "gid": 0 }, "args": ["id", "-u"], "cwd": "/" }
EOF
run_urun exec --process "$URUN_TEST_TMPDIR/p-uid.json" ex
is "$status" 255 "exec --process with uid 4294967295 fails (255: a failure of exec itself, as runc)"
like "$err" 'p-uid.json: user.uid: expected an id between 0 and 2147483647, got 4294967295' \
  "... naming the file and the field"
# 7. NUL bytes in a --process file.
printf '%s\n' '{ "user": { "uid": 0, "gid": 0 }, "args": ["sh", "-c", "echo ok\u0000; id"],' \
  '  "cwd": "/" }' >"$URUN_TEST_TMPDIR/p-nul.json"
run_urun exec --process "$URUN_TEST_TMPDIR/p-nul.json" ex
is "$status" 255 "exec --process with a NUL in args fails (255: a failure of exec itself, as runc)"
like "$err" 'p-nul.json: args\[2\]: the string holds a NUL character' "... naming the element"
run_urun delete --force ex
no_leftovers "exec container deleted" "$b" ex

# ---- 2. maskedPaths and readonlyPaths through symlinks -----------------------
reset_config
r=$b/rootfs
mkdir -p "$r/data/dir" "$r/data/rw"
for f in secret secret2 secret3 secret4; do echo "SECRET-$f" >"$r/data/$f"; done
echo "SECRET-dir" >"$r/data/dir/file"
ln -sfn /data/secret "$r/etc/abs"                 # absolute link
ln -sfn ../data/secret2 "$r/etc/rel"              # relative link
ln -sfn /etc/chain2 "$r/etc/chain1"               # a chain of two
ln -sfn ../data/secret3 "$r/etc/chain2"
ln -sfn /data/dir "$r/etc/dirlink"                # a directory
ln -sfn ../../../../../../../data/secret4 "$r/etc/escape"  # .. past the root
ln -sfn /nonexistent/file "$r/etc/dangling"       # dangling: skipped
hostfile=$URUN_TEST_TMPDIR/host-secret
echo HOST >"$hostfile"
ln -sfn "$hostfile" "$r/etc/hostlink"             # a host path: not in the rootfs
ln -sfn /data/rw "$r/etc/rolink"
edit_config "$b" '
c["linux"]["maskedPaths"] = ["/etc/abs", "/etc/rel", "/etc/chain1", "/etc/dirlink",
                             "/etc/escape", "/etc/dangling", "/etc/hostlink"]
c["linux"]["readonlyPaths"] = ["/etc/rolink"]'
set_args "$b" sh -c '
for f in secret secret2 secret3 secret4; do printf "%s=[%s] " $f "$(cat /data/$f 2>&1)"; done
printf "dir=[%s] " "$(ls /data/dir)"
if touch /data/rw/x 2>/dev/null; then printf "rw=writable"; else printf "rw=readonly"; fi'
run_urun run --bundle "$b" masks
is "$status" 0 "a container with masked symlinks runs (a dangling one is skipped)"
is "$out" "secret=[] secret2=[] secret3=[] secret4=[] dir=[] rw=readonly" \
  "targets of absolute, relative, chained, escaping and directory links are masked, a read-only one is read-only"
is "$(cat "$hostfile")" HOST "a link to a host path masks nothing on the host"
no_leftovers "masks container gone" "$b" masks
# A loop is an error, not a silent skip.
reset_config
ln -sfn /etc/loop2 "$r/etc/loop1"
ln -sfn /etc/loop1 "$r/etc/loop2"
edit_config "$b" 'c["linux"]["maskedPaths"] = ["/etc/loop1"]'
run_urun run --bundle "$b" loop
ok "a symlink loop in maskedPaths fails" test "$status" -ne 0
like "$err" "/etc/loop1" "... naming the path"
no_leftovers "loop container gone" "$b" loop

# ---- 3. state that is not the caller's ----------------------------------------
# Paths read from state.json are never acted on: an older record's
# "cleanup" list named files that delete unlinked.
reset_config
set_args "$b" sleep 60
victim=$URUN_TEST_TMPDIR/victim
echo keep >"$victim"
run_urun create --bundle "$b" planted-cleanup
is "$status" 0 "a container to plant a cleanup list in"
python3 - "$URUN_TEST_STATE_ROOT/planted-cleanup/state.json" "$victim" <<'PY'
import json, sys
path, victim = sys.argv[1:3]
r = json.load(open(path))
r["urun"]["cleanup"] = [{"kind": "remove", "path": victim}]
with open(path, "r+") as f:
    f.truncate(0)
    f.write(json.dumps(r))
PY
run_urun delete --force planted-cleanup
is "$status" 0 "delete --force of it works"
ok "... and leaves the file the record names" test -e "$victim"
no_leftovers "planted-cleanup gone" "$b" planted-cleanup

if $rootless; then
  skip "a state root owned by another user: needs root"
else
  # Under a root-owned, non-sticky 0755 parent, a state root owned by an
  # unprivileged user, with a record naming a host process.
  tester=$(id -u urun-tester 2>/dev/null || echo 65534)
  parent=$URUN_TEST_TMPDIR/shared
  mkdir -p "$parent/state/evil"
  chmod 0755 "$parent"
  sleep 300 &
  sleeper=$!
  start=$(awk '{print $22}' "/proc/$sleeper/stat")
  cat >"$parent/state/evil/state.json" <<EOF
{"ociVersion": "1.2.0", "id": "evil", "pid": $sleeper, "bundle": "/", "rootfs": "/",
 "created": "2026-01-01T00:00:00.000000000Z", "owner": "root", "annotations": {},
 "urun": {"initStartTime": "$start", "rootless": false,
          "cgroup": {"driver": "none"},
          "cleanup": [{"kind": "remove", "path": "$victim"}]}}
EOF
  chown -R "$tester:$tester" "$parent/state"
  chmod 0700 "$parent/state" "$parent/state/evil"
  chmod 0600 "$parent/state/evil/state.json"
  "$URUN" --root "$parent/state" kill evil KILL >"$URUN_TEST_TMPDIR/o" 2>"$URUN_TEST_TMPDIR/e"
  st=$?
  err=$(cat "$URUN_TEST_TMPDIR/e")
  is "$st" 1 "root's kill in a state root owned by uid $tester fails"
  like "$err" "refusing state root \`$parent/state\`: it is owned by uid $tester, not by uid 0" \
    "... naming the path, the owner and the fix"
  ok "... and the host process lives" kill -0 "$sleeper"
  "$URUN" --root "$parent/state" delete --force evil >/dev/null 2>"$URUN_TEST_TMPDIR/e"
  is "$?" 1 "root's delete --force there fails"
  ok "... and the file it names stays" test -e "$victim"
  ok "... and the host process lives" kill -0 "$sleeper"
  # A root-owned root, a container directory of another user.
  chown 0:0 "$parent/state"
  "$URUN" --root "$parent/state" kill evil KILL >/dev/null 2>"$URUN_TEST_TMPDIR/e"
  is "$?" 1 "root's kill of a container directory owned by uid $tester fails"
  like "$(cat "$URUN_TEST_TMPDIR/e")" "refusing state directory \`$parent/state/evil\`: it is owned by uid $tester" \
    "... naming the directory"
  "$URUN" --root "$parent/state" list >"$URUN_TEST_TMPDIR/o" 2>&1
  unlike "$(cat "$URUN_TEST_TMPDIR/o")" "evil" "list does not show it"
  # Root's own directory, state.json of another user.
  chown 0:0 "$parent/state/evil"
  "$URUN" --root "$parent/state" kill evil KILL >/dev/null 2>"$URUN_TEST_TMPDIR/e"
  is "$?" 1 "root's kill with a state.json owned by uid $tester fails"
  like "$(cat "$URUN_TEST_TMPDIR/e")" "refusing state file" "... naming the state file"
  ok "... and the host process lives" kill -0 "$sleeper"
  kill "$sleeper"
  wait "$sleeper" 2>/dev/null
  rm -rf "$parent"
fi

# ---- 6. create killed at each step -----------------------------------------
reset_config
set_args "$b" sleep 60
cgroup_args=()
$rootless || cgroup_args=(--cgroup-manager cgroupfs)
# cgroup directories of container ID in every hierarchy.
cgroup_dirs ()
{
  local d
  for d in /sys/fs/cgroup/*/; do
    find "$d" -maxdepth 4 -type d -name "*-$1*" 2>/dev/null
  done
}
steps="state-dir recorded spawned cgroup ready"
# cgroup-made: inside the cgroup ladder, once its directories exist and
# before init is in them; rootless, this host delegates no cgroup to make.
$rootless || steps="$steps cgroup-made"
for step in $steps; do
  id=stop-$step-$$
  URUN_TEST_STOP_AT=$step "$URUN" --root "$URUN_TEST_STATE_ROOT" "${cgroup_args[@]}" \
    create --bundle "$b" "$id" >/dev/null 2>&1
  is "$?" 137 "create killed at step $step"
  run_urun list --format json
  json_check "list shows $id as creating or stopped" "$out" "
e = [x for x in r if x['id'] == '$id']
assert len(e) == 1, r
assert e[0]['status'] in ('creating', 'stopped'), e"
  run_urun delete --force "$id"
  is "$status" 0 "delete --force of $id succeeds"
  no_leftovers "$id: no state, process or mount left" "$b" "$id"
  left=$(cgroup_dirs "$id")
  is "$left" "" "$id: no cgroup left"
done

# A record too big to read back is never written: create fails first.
reset_config
python3 - "$b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["annotations"] = {"big%d" % i: "x" * (1 << 20) for i in range(17)}
json.dump(c, open(sys.argv[1], "w"))
PY
run_urun create --bundle "$b" toobig
ok "create with 17 MiB of annotations fails" test "$status" -ne 0
like "$err" "reads back|too large|larger than|limit" "... saying why"
no_leftovers "toobig: nothing left" "$b" toobig

# ---- 7. inputs that were accepted silently -------------------------------------
reset_config
python3 - "$b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sh", "-c", "@true"]
c["process"]["env"].append("EVIL=a@b")
open(sys.argv[1], "w").write(json.dumps(c).replace("@", "\\u0000", 1))
PY
refused "a NUL in process.args" nul-args \
  'config.json: process.args\[2\]: the string holds a NUL character \(\\u0000\)'
reset_config
python3 - "$b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["env"].append("EVIL=a@b")
open(sys.argv[1], "w").write(json.dumps(c).replace("@", "\\u0000"))
PY
refused "a NUL in process.env" nul-env 'config.json: process.env\[[0-9]+\]: the string holds a NUL'

reset_config
for bad in "sp ace" "star*" "ünïcode" "a/b" ".." "semi;colon"; do
  run_urun create --bundle "$b" "$bad"
  is "$status" 1 "create with id '$bad' fails"
  like "$err" "invalid container id" "... as an invalid id"
done
is "$(state_entries)" "" "no state entry for any of them"

reset_config
edit_config "$b" 'c["linux"]["intelRdt"] = {"closID": "g"}'
refused "linux.intelRdt" rdt 'config.json: linux.intelRdt: Intel RDT is not supported by urun'
reset_config
edit_config "$b" '
ns = c["linux"]["namespaces"]
if not any(n["type"] == "network" for n in ns):
    ns.append({"type": "network"})
c["linux"]["netDevices"] = {"urun-nodev0": {}}'
refused "linux.netDevices" netdev \
  'config.json: linux.netDevices\["urun-nodev0"\]: moving a network interface into the container is not supported'
reset_config
edit_config "$b" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "time"]
c["linux"]["timeOffsets"] = {"monotonic": {"secs": 10}}'
refused "linux.timeOffsets without a time namespace" toff \
  'config.json: linux.timeOffsets: needs a new time namespace: add \{"type": "time"\} without a path to linux.namespaces'

done_testing
