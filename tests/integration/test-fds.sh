#!/bin/bash
# test-fds.sh: which file descriptors reach the container's process: stdio,
# --preserve-fds N, socket activation (LISTEN_FDS), and nothing else of
# urun's or its caller's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
new_bundle b || done_testing
b=$bundle

f3=$URUN_TEST_TMPDIR/file-three
f4=$URUN_TEST_TMPDIR/file-four
f5=$URUN_TEST_TMPDIR/file-five
echo three >"$f3"
echo four >"$f4"
echo five >"$f5"

fds_of () { json_get "$1" '" ".join(str(f["fd"]) for f in r["fds"])'; }

# ---- strays are closed ---------------------------------------------------------
# Inherited fds above 2, low and high, none of which urun was asked to pass.
out=$(cd / && exec 3<"$f3" 4<"$f4" 7<"$f5" 100<"$f3" && \
        "$URUN" --root "$root" run --bundle "$b" s1 2>"$URUN_TEST_TMPDIR/s1.err")
is "$?" 0 "run with stray fds 3, 4, 7 and 100 open"
is "$(fds_of "$out")" "0 1 2" "the container has only fds 0, 1 and 2"
json_check "... and none of them is urun's (state dir, sync socket, fifo)" "$out" '
for f in r["fds"]:
    assert "state" not in f["target"] and "socket" not in f["target"] and "exec.fifo" not in f["target"], f'

# Same for create + start: init's fds while it waits must not leak either.
(cd / && exec 3<"$f3" 9<"$f4" && "$URUN" --root "$root" create --bundle "$b" s2 \
   >"$URUN_TEST_TMPDIR/s2.out" 2>&1)
is "$?" 0 "create with stray fds 3 and 9"
run_urun start s2
is "$status" 0 "start"
wait_status s2 stopped
out=$(cat "$URUN_TEST_TMPDIR/s2.out")
is "$(fds_of "$out")" "0 1 2" "after create+start the container has only fds 0, 1 and 2"
run_urun delete s2

# ---- stdio ---------------------------------------------------------------------
set_args "$b" cat
out=$(cd / && "$URUN" --root "$root" run --bundle "$b" io1 <"$f4")
is "$out" "four" "stdin and stdout pass through"
set_args "$b" sh -c 'echo to-stderr >&2'
err_out=$(cd / && "$URUN" --root "$root" run --bundle "$b" io2 2>&1 >/dev/null)
is "$err_out" "to-stderr" "stderr passes through"
set_args "$b" urun-test-helper report
out=$(cd / && "$URUN" --root "$root" run --bundle "$b" io3 <"$f4")
json_check "fd 0 is the file given as stdin" "$out" "
f = [x for x in r['fds'] if x['fd'] == 0][0]
assert f['target'].endswith('file-four'), f"

# ---- --preserve-fds ---------------------------------------------------------------
out=$(cd / && exec 3<"$f3" 4<"$f4" 5<"$f5" && \
        "$URUN" --root "$root" run --preserve-fds 2 --bundle "$b" p1 2>"$URUN_TEST_TMPDIR/p1.err")
is "$?" 0 "run --preserve-fds 2 with fds 3, 4 and 5 open"
is "$(fds_of "$out")" "0 1 2 3 4" "exactly fds 3 and 4 are passed"
json_check "fds 3 and 4 are the caller's files" "$out" "
t = {f['fd']: f['target'] for f in r['fds']}
assert t[3].endswith('file-three'), t
assert t[4].endswith('file-four'), t"
# The payload can read them.
set_args "$b" sh -c 'cat <&3; cat <&4'
out=$(cd / && exec 3<"$f3" 4<"$f4" && "$URUN" --root "$root" run --preserve-fds 2 --bundle "$b" p2)
is "$(tr '\n' ' ' <<<"$out")" "three four " "the payload reads the preserved fds"
# Through create/start too.
set_args "$b" urun-test-helper report
(cd / && exec 3<"$f3" 4<"$f4" 5<"$f5" && \
   "$URUN" --root "$root" create --preserve-fds 1 --bundle "$b" p3 >"$URUN_TEST_TMPDIR/p3.out" 2>&1)
run_urun start p3
wait_status p3 stopped
is "$(fds_of "$(cat "$URUN_TEST_TMPDIR/p3.out")")" "0 1 2 3" "create --preserve-fds 1 passes fd 3 only"
run_urun delete p3

# A gap in the preserved range: the caller's fds keep their numbers, and
# no fd of urun's takes the free one, neither in the process nor in init
# before it (urun moves its own above the range).
out=$(cd / && exec 3<"$f3" 5<"$f5" 6<"$f4" && \
        "$URUN" --root "$root" run --preserve-fds 4 --bundle "$b" p4 2>"$URUN_TEST_TMPDIR/p4.err")
is "$?" 0 "run --preserve-fds 4 with fds 3, 5 and 6 open and 4 free"
is "$(fds_of "$out")" "0 1 2 3 5 6" "fds 3, 5 and 6 are passed, 4 stays free"
json_check "... each the caller's file at its number" "$out" "
t = {f['fd']: f['target'] for f in r['fds']}
assert t[3].endswith('file-three') and t[5].endswith('file-five') and t[6].endswith('file-four'), t"
(cd / && exec 3<"$f3" 6<"$f4" && \
   "$URUN" --root "$root" create --preserve-fds 6 --bundle "$b" p5 >"$URUN_TEST_TMPDIR/p5.out" 2>&1)
# While init waits for start: urun's own fds in it (the sync socket,
# exec.fifo, the procfs handle...) sit above 3+6, and none is a directory
# of the state root (its flock must not live on in init).
if [ "$URUN_TEST_MODE" = rootless ]; then
  skip "init's fd table: init is not dumpable, so only root reads /proc/<init>/fd (the root run checks it)"
else
  p5_pid=$(json_get "$(cat "$root/p5/state.json")" 'r["pid"]')
  p5_fds=$(for f in /proc/"$p5_pid"/fd/*; do echo "${f##*/} $(readlink "$f")"; done)
  low=$(awk '$1 >= 3 && $1 < 9 {print $1}' <<<"$p5_fds" | sort -n | tr '\n' ' ')
  is "$low" "3 6 " "init's fds below 3+6 are the caller's 3 and 6 only"
  unlike "$(awk '{print $2}' <<<"$p5_fds")" "^($root|$root/p5)\$" \
    "... and init holds no directory of the state root"
fi
run_urun start p5
wait_status p5 stopped
is "$(fds_of "$(cat "$URUN_TEST_TMPDIR/p5.out")")" "0 1 2 3 6" \
  "create --preserve-fds 6 with fds 3 and 6 open: none of urun's fds fills the gaps"
run_urun delete p5

# A createContainer hook gets the state on stdin from a memfd, which urun
# may have to move above the preserved range: it is written through its
# new number.
new_bundle hb true || done_testing
# The hook fails unless it reads this container's state on stdin.
edit_config "$bundle" 'c["hooks"] = {"createContainer": [{"path": "/bin/grep", "args": ["grep", "-q", "\"h1\""]}]}'
(cd / && exec 3<"$f3" 6<"$f4" && \
   "$URUN" --root "$root" create --preserve-fds 6 --bundle "$bundle" h1 >"$URUN_TEST_TMPDIR/h1.out" 2>&1)
is "$?" 0 "create --preserve-fds 6 with a gap, whose createContainer hook reads the state" \
  || diag "$(cat "$URUN_TEST_TMPDIR/h1.out")"
run_urun delete --force h1

# ---- LISTEN_FDS -------------------------------------------------------------------
# LISTEN_PID must name urun itself: the shell sets it to its own pid and
# then becomes urun with exec.
# shellcheck disable=SC2016 # expanded by the inner shell
out=$(cd / && sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --root "$1" run --bundle "$2" l1' \
        "$URUN" "$root" "$b" 3<"$f3" 4<"$f4")
is "$?" 0 "run with LISTEN_FDS=1 and LISTEN_PID of urun"
is "$(fds_of "$out")" "0 1 2 3" "LISTEN_FDS=1 passes fd 3 (and not 4)"
json_check "fd 3 is the caller's" "$out" "
t = {f['fd']: f['target'] for f in r['fds']}
assert t[3].endswith('file-three'), t"
json_check "the payload gets LISTEN_PID=1 and LISTEN_FDS=1" "$out" "
env = r['env']
assert 'LISTEN_PID=1' in env, env
assert 'LISTEN_FDS=1' in env, env
assert sum(e.startswith('LISTEN_PID=') for e in env) == 1, env"

# A LISTEN_PID of another process: socket activation was not meant for urun.
# shellcheck disable=SC2016
out=$(cd / && sh -c 'LISTEN_PID=1 LISTEN_FDS=1 exec "$0" --root "$1" run --bundle "$2" l2' \
        "$URUN" "$root" "$b" 3<"$f3")
is "$(fds_of "$out")" "0 1 2" "LISTEN_FDS for another pid passes nothing"
json_check "... and sets no LISTEN_PID" "$out" "
assert not any(e.startswith('LISTEN_PID=') for e in r['env']), r['env']"

# No LISTEN_PID at all: as with sd_listen_fds(3), the fds are not urun's.
out=$(cd / && env -u LISTEN_PID LISTEN_FDS=2 "$URUN" --root "$root" run --bundle "$b" l4 \
        3<"$f3" 4<"$f4")
is "$(fds_of "$out")" "0 1 2" "LISTEN_FDS=2 without LISTEN_PID passes nothing"
json_check "... and sets neither LISTEN_FDS nor LISTEN_PID" "$out" "
assert not any(e.startswith(('LISTEN_PID=', 'LISTEN_FDS=')) for e in r['env']), r['env']"
# shellcheck disable=SC2016
out=$(cd / && sh -c 'LISTEN_PID=$(($$ + 1)) LISTEN_FDS=2 exec "$0" --root "$1" run --bundle "$2" l5' \
        "$URUN" "$root" "$b" 3<"$f3" 4<"$f4")
is "$(fds_of "$out")" "0 1 2" "LISTEN_FDS=2 with the LISTEN_PID of another process passes nothing"

# LISTEN_FDS with --preserve-fds: both sets, in order.
# shellcheck disable=SC2016
out=$(cd / && sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --root "$1" run --preserve-fds 1 --bundle "$2" l3' \
        "$URUN" "$root" "$b" 3<"$f3" 4<"$f4" 5<"$f5")
is "$(fds_of "$out")" "0 1 2 3 4" "--preserve-fds 1 and LISTEN_FDS=1 pass fds 3 and 4"

# exec takes socket-activation fds the same way.
set_args "$b" /bin/urun-test-helper pause
run_urun run --detach --bundle "$b" lx
is "$status" 0 "a container to exec into"
# shellcheck disable=SC2016
out=$(cd / && sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --root "$1" exec lx /bin/urun-test-helper report' \
        "$URUN" "$root" 3<"$f3" 4<"$f4")
is "$(fds_of "$out")" "0 1 2 3" "exec with LISTEN_FDS=1 passes fd 3 (and not 4)"
json_check "... with LISTEN_PID=1 and LISTEN_FDS=1" "$out" "
assert 'LISTEN_PID=1' in r['env'] and 'LISTEN_FDS=1' in r['env'], r['env']"
run_urun delete --force lx

is "$(state_entries)" "" "no state left"

done_testing
