#!/bin/bash
# test-run-rootfs.sh: `urun run --rootfs DIR [OPTION…] [--] COMMAND…`, a
# container from a root file system with no bundle and no config.json: the
# command and its own options, --bind ro/rw, --env, --workdir, --user,
# --network none/host, -t, --name and the generated id, the exit status,
# the container and its private bundle removed on exit, nothing ever
# written into DIR, and bad input failing clearly with nothing left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
r=$URUN_TEST_TMPDIR/rootfs
cp -a "$URUN_TEST_ROOTFS" "$r"
data=$URUN_TEST_TMPDIR/data
mkdir -p "$data"
echo from-host >"$data/in"

# Everything about DIR that a write would change: names, sizes, modes,
# owners and modification times, of every entry.
snapshot () { find "$1" -printf '%P %s %m %u %g %T@\n' | sort; }
before=$(snapshot "$r")

# nothing_left DESC: no container, no private bundle in the state root.
nothing_left ()
{
  local left
  left=$(ls -A "$root" 2>/dev/null | tr '\n' ' ')
  is "$left" "" "$1"
}

# ---- the command and its options -----------------------------------------------------
run_urun run --rootfs "$r" -- sh -c 'echo "args: $0 $1 $2"; exit 7' first -l --long
is "$status" 7 "the container's exit status is urun's"
is "$out" "args: first -l --long" "the command's own options stay its own after --"
nothing_left "the container and its bundle are removed on exit"

run_urun run --rootfs "$r" echo -n no-dash-dash
is "$out" "no-dash-dash" "without --, options after the command are the command's"

run_urun run --rootfs "$r" -- sh -c '[ -t 0 ] || [ -t 1 ] && echo tty || echo no-tty'
is "$out" "no-tty" "stdin is no tty: no terminal"
run_urun run --rootfs "$r" -t -- sh -c '[ -t 0 ] && [ -t 1 ] && echo tty'
like "$out" "^tty.?$" "-t gives the command a terminal anyway"

# ---- binds -----------------------------------------------------------------------
run_urun run --rootfs "$r" --bind "$data:/tmp" -- sh -c 'cat /tmp/in && echo from-container >/tmp/out'
is "$status" 0 "--bind SRC:DST (read-write by default)"
is "$out" "from-host" "... the host's file shows inside"
is "$(cat "$data/out" 2>/dev/null)" "from-container" "... and the container's write reaches the host"

run_urun run --rootfs "$r" --bind "$data:/tmp:ro" --bind "$data:/home:rw" -- \
  sh -c 'cat /tmp/in; echo x >/tmp/nope && echo wrote-ro; echo y >/home/rw-ok'
is "$out" "from-host" "--bind SRC:DST:ro: readable"
like "$err" "Read-only file system" "... and not writable"
ok "... :rw next to it is writable" test -e "$data/rw-ok"
ok "... no write went through the ro bind" test ! -e "$data/nope"

# ---- env, workdir, user -------------------------------------------------------------------
run_urun run --rootfs "$r" --env FOO=bar -e 'SPACED=a b' --env PATH=/bin:/usr/bin -- \
  sh -c 'echo "$FOO|$SPACED|$PATH"; env | grep -c "^PATH="'
is "$out" "bar|a b|/bin:/usr/bin
1" "--env sets variables, and replaces the default PATH rather than adding a second"

run_urun run --rootfs "$r" --workdir /tmp -- pwd
is "$out" "/tmp" "--workdir"

run_urun run --rootfs "$r" --user 1000:1001 -- sh -c 'echo "$(id -u):$(id -g)"'
is "$out" "1000:1001" "--user UID:GID"
run_urun run --rootfs "$r" --user 1000 -- sh -c 'echo "$(id -u):$(id -g)"'
is "$out" "1000:1000" "--user UID: the gid follows"

# ---- network -------------------------------------------------------------------------
run_urun run --rootfs "$r" -- readlink /proc/self/ns/net
ok "the default: a network namespace of its own" test "$out" != "$(host_ns net)" -a -n "$out"
run_urun run --rootfs "$r" --network none -- readlink /proc/self/ns/net
ok "--network none: a network namespace of its own" test "$out" != "$(host_ns net)" -a -n "$out"
run_urun run --rootfs "$r" --network none -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
is "$out" "lo" "... with only a loopback device"
run_urun run --rootfs "$r" --network host -- sh -c 'readlink /proc/self/ns/net; ls /sys/class/net | grep -c .'
is "$status" 0 "--network host runs (a rootless /sys becomes a bind of the host's)"
is "$(echo "$out" | head -n 1)" "$(host_ns net)" "... in the caller's network namespace"
is "$(echo "$out" | tail -n 1)" "$(ls /sys/class/net | grep -c .)" "... seeing the host's devices in /sys"

# ---- names and the private bundle --------------------------------------------------------
rm -f "$data/ready"
"$URUN" --root "$root" run --rootfs "$r" --name fixed --bind "$data:/tmp" -- \
  sh -c 'touch /tmp/ready; exec sleep 30' >/dev/null 2>&1 &
fg=$!
wait_status fixed running 10
ok "--name ID names the container" wait_for_file "$data/ready" 10
state=$("$URUN" --root "$root" state fixed 2>/dev/null)
like "$(json_get "$state" "r['bundle']")" "^$root/\.rootfs-fixed$" "the bundle is private, under the state root"
is "$(json_get "$state" "r['rootfs']")" "$r" "root.path is DIR itself"
ok "the bundle holds the generated config.json" test -f "$root/.rootfs-fixed/config.json"
run_urun run --rootfs "$r" --name fixed -- true
is "$status" 1 "a --name that is taken fails"
is "$err" "urun: container \`fixed\` already exists: remove it with \`urun delete fixed\` or choose another --name" \
  "... naming both ways out"
"$URUN" --root "$root" kill fixed KILL
wait "$fg"
is "$?" 137 "a killed container's run exits 128+9"
nothing_left "... and leaves nothing"

"$URUN" --root "$root" run --rootfs "$r" -- sleep 30 >/dev/null 2>&1 &
fg=$!
id=
for _ in $(seq 100); do
  id=$("$URUN" --root "$root" list -q 2>/dev/null)
  [ -n "$id" ] && break
  sleep 0.05
done
like "$id" "^run-[0-9a-f]{8}$" "without --name the id is generated"
wait_status "$id" running 10
"$URUN" --root "$root" kill "$id" KILL
wait "$fg"
nothing_left "... and removed on exit too"

is "$(snapshot "$r")" "$before" "nothing was written into DIR by any of these runs"

# ---- bad input: clear errors, nothing left -------------------------------------------------
bad ()
{
  local desc=$1 pattern=$2
  shift 2
  run_urun run "$@"
  is "$status" 1 "$desc: exit 1"
  like "$err" "$pattern" "$desc: the message says what is wrong"
  nothing_left "$desc: nothing left"
}
bad "a missing DIR" "--rootfs \`$URUN_TEST_TMPDIR/nosuch\` is not a directory: give the directory" \
  --rootfs "$URUN_TEST_TMPDIR/nosuch" -- true
bad "--bind without DST" "invalid value \`$data\` for --bind: expected SRC:DST, SRC:DST:ro or SRC:DST:rw" \
  --rootfs "$r" --bind "$data" -- true
bad "--bind with a bad mode" "invalid value \`$data:/tmp:rx\` for --bind" --rootfs "$r" --bind "$data:/tmp:rx" -- true
bad "--bind to a relative DST" "absolute DST inside the container" --rootfs "$r" --bind "$data:tmp" -- true
bad "--bind of a missing source" "source \`$URUN_TEST_TMPDIR/nosuch\` cannot be used \(create it first\)" \
  --rootfs "$r" --bind "$URUN_TEST_TMPDIR/nosuch:/tmp" -- true
bad "--env without =" "invalid value \`NOEQUALS\` for --env: expected NAME=VALUE" --rootfs "$r" --env NOEQUALS -- true
bad "--user by name" "invalid value \`bob\` for --user: expected UID or UID:GID" --rootfs "$r" --user bob -- true
bad "--network bridge" "invalid value \`bridge\` for --network: expected host or none" --rootfs "$r" --network bridge -- true
bad "--workdir relative" "invalid value \`tmp\` for --workdir" --rootfs "$r" --workdir tmp -- true
bad "--detach" "--rootfs runs in the foreground" --rootfs "$r" --detach -- true
bad "an invalid --name" "a/b" --rootfs "$r" --name a/b -- true
bad "a bad scope property" "unknown scope property \`Bogus\` in \`Bogus=1\`" \
  --rootfs "$r" --unit u1 -p Bogus=1 -- true
bad "--bind without --rootfs" "go with --rootfs DIR" --bind "$data:/tmp" someid
run_urun run --rootfs "$r" -- nosuchcmd
is "$status" 127 "a command that does not exist: exit 127"
like "$err" "executable file \`nosuchcmd\` not found in \\\$PATH" "... in podman's words"
nothing_left "... and nothing left"
is "$(snapshot "$r")" "$before" "nothing was written into DIR by the failures either"

done_testing
