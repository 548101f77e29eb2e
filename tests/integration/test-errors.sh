#!/bin/bash
# test-errors.sh: bad input to create/run/start/kill/delete/state.  Each case
# checks the exit status, one clear message on stderr, and that nothing is
# left behind: no state entry, no process, no mount.
# shellcheck disable=SC2016 # backquotes and $PATH in messages are literal
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT

# fails_cleanly DESC STATUS ERE BUNDLE ID: the last run_urun exited with
# STATUS, said something matching ERE on stderr, and left nothing of ID.
fails_cleanly ()
{
  is "$status" "$2" "$1: exit status $2"
  like "$err" "$3" "$1: message"
  # One error record (a usage error may add a "Try ..." hint).
  is "$(printf '%s\n' "$err" | grep -c '^urun: ')" 1 "$1: one error on stderr"
  no_leftovers "$1: nothing left behind" "$4" "$5"
}

new_bundle b urun-test-helper pause || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# ---- the rootfs -------------------------------------------------------------
edit_config "$b" 'c["root"]["path"] = "no-such-rootfs"'
run_urun create --bundle "$b" e1
fails_cleanly "missing rootfs" 1 "no-such-rootfs.*No such file or directory" "$b" e1
run_urun run --bundle "$b" e1
fails_cleanly "missing rootfs (run)" 1 "no-such-rootfs.*No such file or directory" "$b" e1
reset_config

# The bundle directory or its config.json missing.
run_urun create --bundle "$URUN_TEST_TMPDIR/no-such-bundle" e2
fails_cleanly "missing bundle" 1 "no-such-bundle/config.json.*No such file or directory" "$b" e2
mkdir -p "$URUN_TEST_TMPDIR/empty-bundle"
run_urun create --bundle "$URUN_TEST_TMPDIR/empty-bundle" e2
fails_cleanly "bundle without config.json" 1 "empty-bundle/config.json" "$b" e2

# ---- the executable ---------------------------------------------------------
set_args "$b" nosuch
run_urun create --bundle "$b" e3
fails_cleanly "missing executable" 127 \
  'executable file `nosuch` not found in \$PATH: No such file or directory' "$b" e3
run_urun run --bundle "$b" e3
fails_cleanly "missing executable (run)" 127 \
  'executable file `nosuch` not found in \$PATH: No such file or directory' "$b" e3
set_args "$b" /bin/nosuch
run_urun run --bundle "$b" e3
fails_cleanly "missing executable by absolute path" 127 '`/bin/nosuch`' "$b" e3
# Found in the host's PATH but not in the container's: the lookup happens
# inside the container.
set_args "$b" python3
run_urun run --bundle "$b" e3
fails_cleanly "executable only on the host" 127 'executable file `python3` not found' "$b" e3
# PATH from the config is the one searched.
edit_config "$b" 'c["process"]["env"] = ["PATH=/nowhere"]; c["process"]["args"] = ["urun-test-helper", "exit", "0"]'
run_urun run --bundle "$b" e3
fails_cleanly "executable not in the config's PATH" 127 'executable file `urun-test-helper` not found' "$b" e3
reset_config

printf '#!/bin/sh\nexit 0\n' >"$b/rootfs/bin/not-executable"
chmod 0644 "$b/rootfs/bin/not-executable"
set_args "$b" /bin/not-executable
run_urun create --bundle "$b" e4
fails_cleanly "a file that is not executable" 126 'not-executable.*Permission denied' "$b" e4
set_args "$b" not-executable
run_urun run --bundle "$b" e4
fails_cleanly "a file in PATH that is not executable" 126 'not-executable.*Permission denied' "$b" e4
set_args "$b" /tmp
run_urun run --bundle "$b" e4
fails_cleanly "a directory as the executable" 126 '`/tmp`' "$b" e4
reset_config

# ---- ids --------------------------------------------------------------------
run_urun create --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/taken.pid" taken
is "$status" 0 "create taken"
taken_pid=$(cat "$URUN_TEST_TMPDIR/taken.pid")
run_urun create --bundle "$b" taken
is "$status" 1 "create with an id that is taken fails"
like "$err" 'container `taken` already exists' "... saying it already exists"
run_urun run --bundle "$b" taken
is "$status" 1 "run with an id that is taken fails"
like "$err" 'already exists' "... saying it already exists"
run_urun state taken
json_check "the first container is unharmed" "$out" "
assert r['status'] == 'created', r
assert r['pid'] == $taken_pid, r
"
run_urun start taken
is "$status" 0 "the first container still starts"
run_urun start taken
is "$status" 1 "starting it twice fails"
like "$err" 'cannot start container `taken`: it is running, not created' "... naming its status"
run_urun delete taken
is "$status" 1 "delete of a running container without --force fails"
like "$err" 'cannot delete container `taken` that is running' "... naming its status"
run_urun state taken
json_check "... and keeps it running" "$out" "assert r['status'] == 'running', r"
ok "... with its state directory" test -d "$root/taken"
run_urun delete --force taken
is "$status" 0 "delete --force taken"
no_leftovers "nothing left of taken" "$b" taken

# Invalid ids: none may create anything, inside the state root or outside.
mkdir -p "$root"
before=$(ls -a "$root" "$URUN_TEST_TMPDIR" | md5sum)
for id in "" . .. a/b ../escape .hidden "$(printf 'ctl\001x')" "$(printf '%0300d' 0)"; do
  run_urun create --bundle "$b" "$id"
  is "$status" 1 "create with invalid id '$(printf '%q' "$id" | cut -c1-20)' exits 1"
  # A 300-byte id may pass the id check and fail as a directory name.
  like "$err" 'invalid container id|File name too long' "... invalid container id"
done
is "$(ls -a "$root" "$URUN_TEST_TMPDIR" | md5sum)" "$before" "invalid ids created nothing"
ok "../escape reached nothing outside the state root" test ! -e "$URUN_TEST_TMPDIR/escape"

# ---- the config -------------------------------------------------------------
# Malformed JSON: the message names the file and line:column.
printf '{\n  "ociVersion": "1.0.0",\n  "process": ,\n  "root": {"path": "rootfs"}\n}\n' >"$b/config.json"
run_urun create --bundle "$b" e5
fails_cleanly "malformed config.json" 1 'config\.json:3:[0-9]+: ' "$b" e5
printf '{"ociVersion": "1.0.0", "root": {"path": "rootfs"}' >"$b/config.json"
run_urun create --bundle "$b" e5
fails_cleanly "truncated config.json" 1 'config\.json:1:[0-9]+' "$b" e5
: >"$b/config.json"
run_urun create --bundle "$b" e5
fails_cleanly "empty config.json" 1 'config\.json' "$b" e5
reset_config

# Invalid fields: the message names the JSON path.
bad_field ()
{
  local desc=$1 code=$2 path=$3
  reset_config
  edit_config "$b" "$code"
  run_urun create --bundle "$b" e6
  fails_cleanly "$desc" 1 "config\\.json: $path: " "$b" e6
}
bad_field "uid that is a string" 'c["process"]["user"]["uid"] = "abc"' 'process\.user\.uid'
bad_field "empty args" 'c["process"]["args"] = []' 'process\.args'
bad_field "relative cwd" 'c["process"]["cwd"] = "relative"' 'process\.cwd'
bad_field "unknown namespace type" 'c["linux"]["namespaces"][0]["type"] = "bogus"' \
  'linux\.namespaces\[0\]\.type'
bad_field "missing process" 'del c["process"]' 'process'
bad_field "bad rlimit type" 'c["process"]["rlimits"] = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]' \
  'process\.rlimits\[0\]\.type'
bad_field "env entry that is not a string" 'c["process"]["env"] = ["A=1", 5]' 'process\.env\[1\]'
reset_config

# Unknown keys are ignored, as the spec requires.
edit_config "$b" 'c["x-unknown"] = {"a": 1}; c["process"]["x-other"] = 2; c["process"]["args"] = ["urun-test-helper", "exit", "0"]'
run_urun run --bundle "$b" e7
is "$status" 0 "unknown keys are ignored"
reset_config

# ---- containers that do not exist ---------------------------------------------
for cmd in state start kill delete; do
  run_urun "$cmd" nosuch
  is "$status" 1 "$cmd of an unknown container exits 1"
  is "$err" 'urun: container `nosuch` does not exist; `urun list` shows the containers of this state root (--root)' \
    "$cmd of an unknown container: does not exist, then the hint"
done
ok "no state entry for nosuch" test ! -e "$root/nosuch"

# ---- signals and flags --------------------------------------------------------
run_urun run --detach --bundle "$b" sig
is "$status" 0 "run --detach sig"
for s in NOSUCH SIGNOSUCH 99 0 ''; do
  run_urun kill sig "$s"
  is "$status" 1 "kill with bad signal '$s' exits 1"
  like "$err" 'signal' "... and says the signal is bad"
done
run_urun state sig
json_check "bad signals left the container running" "$out" "assert r['status'] == 'running', r"
run_urun delete --force sig
no_leftovers "nothing left of sig" "$b" sig

for cmd in create run start state kill delete; do
  run_urun "$cmd" --no-such-flag x
  is "$status" 1 "$cmd with a bad flag exits 1"
  like "$err" 'no-such-flag' "... naming the flag"
done
run_urun create --bundle "$b" --preserve-fds=-1 e8
fails_cleanly "negative --preserve-fds" 1 'preserve-fds' "$b" e8
run_urun create --bundle "$b"
is "$status" 1 "create without an id exits 1"
run_urun create --bundle "$b" one two
is "$status" 1 "create with two ids exits 1"
ok "... and creates neither" test ! -e "$root/one" -a ! -e "$root/two"

# ---- failures inside init -------------------------------------------------------
# A hostname or domainname without a uts namespace would be set on the
# host's: refused as an invalid config.  (Should that ever break, put the
# host's name back.)
host_name=$(uname -n)
edit_config "$b" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "uts"]; c["hostname"] = "urun-must-not-see-this"'
run_urun create --bundle "$b" e9
fails_cleanly "hostname without a uts namespace" 1 'config\.json: hostname: .*uts namespace' "$b" e9
reset_config
edit_config "$b" 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "uts"]; c.pop("hostname", None); c["domainname"] = "urun-must-not-see-this"'
run_urun create --bundle "$b" e9
fails_cleanly "domainname without a uts namespace" 1 'config\.json: domainname: .*uts namespace' "$b" e9
is "$(uname -n)" "$host_name" "the host's hostname is unchanged"
unlike "$(cat /proc/sys/kernel/domainname)" 'urun-must-not-see-this' "the host's domainname is unchanged"
if [ "$(uname -n)" != "$host_name" ] && [ "$(id -u)" = 0 ]; then
  hostname "$host_name"
fi
reset_config

# A namespace path that does not exist.
edit_config "$b" 'c["linux"]["namespaces"] = [dict(n, path="/proc/self/ns/nosuch") if n["type"] == "ipc" else n for n in c["linux"]["namespaces"]]'
run_urun create --bundle "$b" e10
is "$status" 1 "joining a namespace path that does not exist fails"
like "$err" 'nosuch' "... naming the path"
no_leftovers "bad namespace path: nothing left behind" "$b" e10
reset_config

# A process killed while init blocks on exec.fifo: start reports it.
run_urun create --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/dead.pid" dead
kill -KILL "$(cat "$URUN_TEST_TMPDIR/dead.pid")" 2>/dev/null
wait_status dead stopped
run_urun start dead
is "$status" 1 "start of a container whose init died fails"
like "$err" 'stopped' "... saying it is stopped"
run_urun delete dead
is "$status" 0 "it can be deleted without --force"
no_leftovers "nothing left of dead" "$b" dead

done_testing
