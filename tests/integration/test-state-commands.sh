#!/bin/bash
# test-state-commands.sh: `spec`, `state`, `list` and `delete` on containers
# recorded by the urun-test-mkstate fixture (a live `sleep` standing in for
# init), as root and as an unprivileged user.
. "$(dirname "$0")/lib.sh"

T=$URUN_TEST_TMPDIR
root=$URUN_TEST_STATE_ROOT
me=$(id -u)
my_gid=$(id -g)
my_name=$(id -un)

# Background sleeps that stand in for container init processes; killed on
# exit whatever happens, without losing lib.sh's own EXIT trap.
sleepers=()
kill_sleepers () { [ ${#sleepers[@]} -gt 0 ] && kill -9 "${sleepers[@]}" 2>/dev/null; true; }
_lib_trap=$(trap -p EXIT | sed -n "s/^trap -- '\(.*\)' EXIT$/\1/p")
# shellcheck disable=SC2064 # expand the old trap now
trap "kill_sleepers; $_lib_trap" EXIT

# json_get FILE-OR-- PYEXPR: prints PYEXPR evaluated with the JSON as `d`.
json_get ()
{
  python3 -c 'import json, sys
src = sys.argv[1]
d = json.load(sys.stdin if src == "-" else open(src))
v = eval(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$@"
}

# ---- list on an empty, missing root ------------------------------------

run_urun list
is "$status" 0 "list with a missing state root exits 0"
like "$out" '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$' "list with no containers prints only the header"
run_urun list --format json
is "$out" "[]" "list --format json with no containers prints []"
run_urun list -q
is "$out" "" "list -q with no containers prints nothing"
ok "list does not create the state root" test ! -e "$root"

# ---- spec ----------------------------------------------------------------

b=$T/bundle
make_bundle "$b"
ok "spec writes config.json" test -s "$b/config.json"
is "$(stat -c %a "$b/config.json")" 644 "config.json has mode 0644"
ok "config.json is valid JSON" json_get "$b/config.json" 'd["ociVersion"]'
is "$(json_get "$b/config.json" 'd["root"]["path"]')" rootfs "config.json: root.path is rootfs"
before=$(cksum <"$b/config.json")
run_urun spec --bundle "$b"
is "$status" 1 "spec refuses to overwrite an existing config.json"
like "$err" "\`$b/config.json\` already exists" "the refusal names the file"
is "$(cksum <"$b/config.json")" "$before" "the existing config.json is unchanged"
is "$(ls -A "$b" | tr '\n' ' ')" "config.json rootfs " "spec leaves no temporary file behind"

mkdir -p "$T/cwd"
(cd "$T/cwd" && "$URUN" spec >/dev/null 2>&1)
ok "spec without --bundle writes ./config.json" test -s "$T/cwd/config.json"

rb=$T/rootless-spec
mkdir -p "$rb"
run_urun spec --rootless --bundle "$rb"
is "$status" 0 "spec --rootless exits 0"
is "$(json_get "$rb/config.json" '"user" in [n["type"] for n in d["linux"]["namespaces"]]')" \
  true "spec --rootless adds a user namespace"
is "$(json_get "$rb/config.json" 'd["linux"]["uidMappings"][0]')" \
  "{\"containerID\": 0, \"hostID\": $me, \"size\": 1}" "spec --rootless maps the caller's uid to 0"
is "$(json_get "$rb/config.json" 'd["linux"]["gidMappings"][0]')" \
  "{\"containerID\": 0, \"hostID\": $my_gid, \"size\": 1}" "spec --rootless maps the caller's gid to 0"
is "$(json_get "$rb/config.json" '"resources" in d["linux"]')" false \
  "spec --rootless sets no cgroup resources"
# Every subordinate range of the caller follows, packed after container id 0.
expected_maps=$(awk -F: -v n="$my_name" -v u="$me" '
  ($1 == n || $1 == u) && $3 > 0 { printf "%d:%d:%d ", next_id, $2, $3; next_id += $3 }
  BEGIN { next_id = 1 }' /etc/subuid 2>/dev/null)
is "$(json_get "$rb/config.json" '" ".join("%d:%d:%d" % (m["containerID"], m["hostID"], m["size"]) for m in d["linux"]["uidMappings"][1:]) + (" " if len(d["linux"]["uidMappings"]) > 1 else "")')" \
  "$expected_maps" "spec --rootless maps every subordinate uid range in order"

# ---- state of nothing, invalid ids ------------------------------------------

run_urun state nosuch
is "$status" 1 "state of an unknown id exits 1"
like "$err" 'container `nosuch` does not exist' "state of an unknown id says it does not exist"
run_urun delete nosuch
is "$status" 1 "delete of an unknown id exits 1"
like "$err" 'container `nosuch` does not exist' "delete of an unknown id says it does not exist"
run_urun delete --force nosuch
is "$status" 0 "delete --force of an unknown id is not an error"
for bad in .. ../escape a/b .hidden; do
  run_urun state "$bad"
  is "$status" 1 "state '$bad' exits 1"
  like "$err" "invalid container id" "state '$bad' reports an invalid id"
done
run_urun delete "x/y"
like "$err" "invalid container id" "delete reports an invalid id"

# ---- fixture containers --------------------------------------------------

if [ -z "${URUN_TEST_MKSTATE:-}" ]; then
  skip "URUN_TEST_MKSTATE is not set: no fixture containers"
  done_testing
fi

# mkstate ID PID [--status-fifo]
mkstate ()
{
  local id=$1 pid=$2
  shift 2
  "$URUN_TEST_MKSTATE" --root "$root" --id "$id" --pid "$pid" --bundle "$b" "$@"
}

sleep 600 &
p1=$!
sleepers+=("$p1")
ok "fixture: record c1 for a live sleep" mkstate c1 "$p1"
is "$(stat -c %a "$root")" 700 "the state root has mode 0700"
is "$(stat -c %a "$root/c1")" 700 "the container directory has mode 0700"
is "$(stat -c %a "$root/c1/state.json")" 600 "state.json has mode 0600"

run_urun state c1
is "$status" 0 "state c1 exits 0"
printf '%s' "$out" >"$T/state-c1.json"
is "$(json_get "$T/state-c1.json" 'd["status"]')" running "state: c1 is running"
is "$(json_get "$T/state-c1.json" 'd["pid"]')" "$p1" "state: pid is the sleep's"
is "$(json_get "$T/state-c1.json" 'd["id"]')" c1 "state: id"
is "$(json_get "$T/state-c1.json" 'd["bundle"]')" "$b" "state: bundle"
is "$(json_get "$T/state-c1.json" 'd["rootfs"]')" "$b/rootfs" "state: rootfs"
is "$(json_get "$T/state-c1.json" 'd["ociVersion"]')" 1.2.0 "state: ociVersion"
is "$(json_get "$T/state-c1.json" 'd["owner"]')" "$my_name" "state: owner is the caller"
like "$(json_get "$T/state-c1.json" 'd["created"]')" \
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$' "state: created is RFC 3339 UTC"
is "$(json_get "$T/state-c1.json" 'd["urun"]["cgroup"]["driver"]')" none \
  "state: shows the cgroup outcome"

run_urun list
is "$status" 0 "list exits 0"
like "$out" "(^|
)c1 +$p1 +running +$b +[0-9T:.Z-]+ +$my_name($|
)" "list table shows c1 running"
run_urun list --format json
printf '%s' "$out" >"$T/list.json"
is "$(json_get "$T/list.json" '[(e["id"], e["status"], e["pid"]) for e in d]')" \
  "[[\"c1\", \"running\", $p1]]" "list --format json shows c1 running"
run_urun list -q
is "$out" c1 "list -q prints the id"
run_urun list --quiet --format json
is "$out" c1 "list --quiet wins over --format"
run_urun list --format yaml
is "$status" 1 "list --format yaml is refused"

# Created: init waits on exec.fifo.
sleep 600 &
p2=$!
sleepers+=("$p2")
ok "fixture: record c2 with exec.fifo" mkstate c2 "$p2" --status-fifo
run_urun state c2
like "$out" '"status" *: *"created"' "state: c2 is created"
run_urun list -q
is "$(echo "$out" | tr '\n' ' ')" "c1 c2 " "list -q prints both ids, sorted"

# The same id twice.
fails "fixture: c1 cannot be recorded twice" mkstate c1 "$p1"

# Delete refuses live containers without --force.
run_urun delete c1
is "$status" 1 "delete of a running container without --force exits 1"
like "$err" 'c1.*running.*--force' "the refusal says running and suggests --force"
ok "the refused container's state is kept" test -f "$root/c1/state.json"
ok "the refused container's process lives" kill -0 "$p1"

# A stopped container reads stopped, pid 0, and deletes without --force.
kill -9 "$p1"
wait "$p1" 2>/dev/null
run_urun state c1
like "$out" '"status" *: *"stopped"' "state: c1 is stopped after its init died"
like "$out" '"pid" *: *0,' "state: a stopped container shows pid 0"
run_urun list
like "$out" "(^|
)c1 +0 +stopped " "list shows c1 stopped"
run_urun delete c1
is "$status" 0 "delete of a stopped container exits 0"
ok "delete removes the container directory" test ! -e "$root/c1"
run_urun state c1
like "$err" 'container `c1` does not exist' "a deleted container does not exist"

# A created container is deleted without --force, as runc does: its init
# is killed and the state removed.
run_urun delete c2
is "$status" 0 "delete of a created container without --force exits 0"
ok "delete removes the container directory" test ! -e "$root/c2"
wait "$p2" 2>/dev/null
is "$?" 137 "delete killed the created container's init with SIGKILL"

sleep 600 &
p3=$!
sleepers+=("$p3")
ok "fixture: record c3 for a live sleep" mkstate c3 "$p3"
run_urun delete -f c3
is "$status" 0 "delete -f of a running container exits 0"
wait "$p3" 2>/dev/null
is "$?" 137 "delete -f killed the running init"

# Several ids at once; one failure does not stop the others.
sleep 600 &
p4=$!
sleepers+=("$p4")
mkstate c4 "$p4" && mkstate c5 "$p4"
kill -9 "$p4"
wait "$p4" 2>/dev/null
run_urun delete c4 nosuch c5
is "$status" 1 "delete with one unknown id among several exits 1"
like "$err" 'container `nosuch` does not exist' "the unknown id is reported"
ok "the other ids were deleted" test ! -e "$root/c4" -a ! -e "$root/c5"

# A pid that was reused by another process reads stopped: record c6 for a
# live sleep, then hand its record a start time that does not match.
sleep 600 &
p6=$!
sleepers+=("$p6")
mkstate c6 "$p6"
python3 - "$root/c6/state.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["urun"]["initStartTime"] = str(int(d["urun"]["initStartTime"]) + 1)
json.dump(d, open(p, "w"))
PY
run_urun state c6
like "$out" '"status" *: *"stopped"' "a live pid with another start time reads stopped"
run_urun delete --force c6
is "$status" 0 "delete --force of a container whose pid was reused exits 0"
ok "delete --force did not kill the process that reused the pid" kill -0 "$p6"

is "$(ls -A "$root")" "" "nothing is left in the state root"

done_testing
