#!/bin/bash
# test-hooks.sh: the six kinds of hooks (runtime-spec config.md "POSIX-platform
# Hooks"): where and when each runs, the state on its stdin, its argv and
# env, their order, failures and timeouts.
#
# prestart, createRuntime, poststart and poststop run in the runtime's
# namespaces, so their paths are the host's.  createContainer runs in the
# container's namespaces before pivot_root: its path still resolves on the
# host.  startContainer runs after pivot_root: its path is the container's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

marks=$URUN_TEST_TMPDIR/marks
mkdir -p "$marks"

new_bundle b urun-test-helper pause || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; rm -f "$marks"/* "$b"/rootfs/tmp/*.state; }

# Each hook saves its stdin as KIND.state and appends KIND to the order
# file; startContainer writes inside the container (its /tmp), the others
# on the host.  startContainer takes its time, so that a poststart hook that
# does not wait for the process to be executed shows.
edit_config "$b" "
m = '$marks'
def host(kind, extra=''):
    return {'path': '/bin/sh',
            'args': ['sh', '-c', 'cat >' + m + '/' + kind + '.state; ' + extra + 'echo ' + kind + ' >>' + m + '/order', kind],
            'env': ['FOO=bar', 'HOOK_KIND=' + kind]}
c['hooks'] = {
  'prestart': [host('prestart')],
  'createRuntime': [host('createRuntime')],
  'createContainer': [host('createContainer')],
  'startContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'sleep 0.3; cat >/tmp/startContainer.state']}],
  'poststart': [host('poststart', 'test -e $b/rootfs/tmp/startContainer.state && echo after-startContainer >' + m + '/poststart.seen; ')],
  'poststop': [host('poststop')],
}
"
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.hooks"

run_urun create --bundle "$b" --pid-file "$URUN_TEST_TMPDIR/h.pid" h
is "$status" 0 "create with all six hooks"
pid=$(cat "$URUN_TEST_TMPDIR/h.pid" 2>/dev/null)
is "$(tr '\n' ' ' <"$marks/order" 2>/dev/null)" "prestart createRuntime createContainer " \
  "create ran prestart, createRuntime, createContainer, in that order"
ok "startContainer has not run yet" test ! -e "$b/rootfs/tmp/startContainer.state"

state_check ()
{
  local kind=$1 file=$2 statuses=$3
  json_check "$kind hook got the state on stdin" "$(cat "$file" 2>/dev/null)" "
assert r['id'] == 'h', r
assert r['pid'] == $pid, r
assert r['bundle'] == '$b', r
assert r['status'] in $statuses, r
assert r['ociVersion'], r"
}
state_check prestart "$marks/prestart.state" "('creating',)"
state_check createRuntime "$marks/createRuntime.state" "('creating',)"
state_check createContainer "$marks/createContainer.state" "('creating',)"

run_urun start h
is "$status" 0 "start"
ok "startContainer ran inside the container (its /tmp)" wait_for_file "$b/rootfs/tmp/startContainer.state"
sleep 0.1
state_check startContainer "$b/rootfs/tmp/startContainer.state" "('created',)"
ok "poststart ran" test -s "$marks/poststart.state"
state_check poststart "$marks/poststart.state" "('running',)"
# config.md: poststart hooks run "after the user-specified process is
# executed but before the start operation returns".
ok "poststart ran after startContainer (after the process was executed)" \
  test -s "$marks/poststart.seen"
is "$(tr '\n' ' ' <"$marks/order")" "prestart createRuntime createContainer poststart " \
  "no hook ran twice"
ok "poststop has not run yet" test ! -e "$marks/poststop.state"

run_urun kill h KILL
wait_status h stopped
ok "poststop does not run when the container stops" test ! -e "$marks/poststop.state"
run_urun delete h
is "$status" 0 "delete"
ok "poststop ran at delete" test -s "$marks/poststop.state"
state_check poststop "$marks/poststop.state" "('stopped',)"
is "$(tr '\n' ' ' <"$marks/order")" "prestart createRuntime createContainer poststart poststop " \
  "all hooks in order"
no_leftovers "nothing left after delete" "$b" h

# The same through run (and delete --force of a running container also
# runs poststop).
rm -f "$marks"/* "$b"/rootfs/tmp/*.state
run_urun run --detach --bundle "$b" h2
is "$status" 0 "run --detach with hooks"
is "$(tr '\n' ' ' <"$marks/order")" "prestart createRuntime createContainer poststart " \
  "run ran the create and start hooks in order"
ok "run ran startContainer" wait_for_file "$b/rootfs/tmp/startContainer.state"
run_urun delete --force h2
is "$status" 0 "delete --force"
ok "delete --force ran poststop" test -s "$marks/poststop.state"

# A foreground run runs poststop when it cleans up.
rm -f "$marks"/* "$b"/rootfs/tmp/*.state
set_args "$b" urun-test-helper exit 0
run_urun run --bundle "$b" h3
is "$status" 0 "foreground run with hooks"
is "$(tr '\n' ' ' <"$marks/order")" "prestart createRuntime createContainer poststart poststop " \
  "a foreground run runs every hook, poststop last"
reset_config

# ---- argv and env --------------------------------------------------------------
edit_config "$b" "
c['hooks'] = {'createRuntime': [{'path': '/bin/sh',
  'args': ['not-the-path', '-c', 'echo \"\$0\" >$marks/argv0; env >$marks/env; cat >/dev/null'],
  'env': ['FOO=bar baz', 'ONLY=this']}]}"
run_urun create --bundle "$b" h4
is "$status" 0 "create with a hook whose args[0] is not its path"
is "$(cat "$marks/argv0" 2>/dev/null)" "not-the-path" "the hook's argv[0] is args[0]"
like "$(cat "$marks/env" 2>/dev/null)" '(^|
)FOO=bar baz(
|$)' "the hook gets the config's env"
like "$(cat "$marks/env" 2>/dev/null)" '(^|
)ONLY=this(
|$)' "... all of it"
unlike "$(cat "$marks/env" 2>/dev/null)" '(^|
)(URUN_TEST_MODE|HOME|USER)=' "... and nothing of urun's"
run_urun delete --force h4
reset_config

# Without `env`, a hook gets urun's own environment, as with runc and crun:
# the parent's hooks and init's alike.
edit_config "$b" "
def probe(kind, where):
    return {'path': '/bin/sh', 'args': ['sh', '-c', 'env >' + where + '/' + kind + '.env; cat >/dev/null']}
c['hooks'] = {'createRuntime': [probe('createRuntime', '$marks')],
              'createContainer': [probe('createContainer', '$marks')],
              'startContainer': [probe('startContainer', '/tmp')]}
c['process']['args'] = ['true']"
URUN_HOOK_PROBE='from urun' run_urun run --bundle "$b" h5
is "$status" 0 "run with hooks that have no env"
for where in "$marks/createRuntime" "$marks/createContainer" "$b/rootfs/tmp/startContainer"; do
  like "$(cat "$where.env" 2>/dev/null)" '(^|
)URUN_HOOK_PROBE=from urun(
|$)' "a $(basename "$where") hook without env gets urun's environment"
done
rm -f "$b/rootfs/tmp/startContainer.env"
reset_config

# ---- failures ------------------------------------------------------------------
for kind in prestart createRuntime createContainer; do
  reset_config
  edit_config "$b" "c['hooks'] = {'$kind': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; exit 3']}]}"
  run_urun create --bundle "$b" f1
  is "$status" 1 "a failing $kind hook fails create"
  like "$err" "hook.*/bin/sh.*(status|exited with) 3" "... naming the hook and its status"
  no_leftovers "a failing $kind hook leaves nothing behind" "$b" f1
  run_urun run --bundle "$b" f1
  is "$status" 1 "a failing $kind hook fails run"
  no_leftovers "... and leaves nothing behind" "$b" f1
done

# A hook that does not exist.
reset_config
edit_config "$b" "c['hooks'] = {'createRuntime': [{'path': '$URUN_TEST_TMPDIR/no-such-hook'}]}"
run_urun create --bundle "$b" f2
is "$status" 1 "a missing createRuntime hook fails create"
like "$err" 'no-such-hook' "... naming it"
no_leftovers "... and leaves nothing behind" "$b" f2

# A failing startContainer hook: the container must not run its process.
reset_config
edit_config "$b" "c['hooks'] = {'startContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 4']}]}"
run_urun create --bundle "$b" f3
is "$status" 0 "create with a failing startContainer hook"
run_urun start f3
start_status=$status
start_err=$err
ok "the container's process never runs" wait_status f3 stopped
ok "start reports the failing startContainer hook" test "$start_status" -ne 0
like "$start_err" "hook" "... naming the hook"
run_urun delete --force f3
no_leftovers "... and delete leaves nothing" "$b" f3

# poststart and poststop failures only warn.
reset_config
edit_config "$b" "c['hooks'] = {'poststart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; exit 5']}],
                               'poststop': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; exit 6']}]}"
run_urun create --bundle "$b" w1
run_urun start w1
is "$status" 0 "a failing poststart hook does not fail start"
like "$err" 'poststart.*5' "... but warns, naming it"
run_urun state w1
json_check "... and the container runs" "$out" "assert r['status'] == 'running', r"
run_urun delete --force w1
is "$status" 0 "a failing poststop hook does not fail delete"
like "$err" 'poststop.*6' "... but warns, naming it"
no_leftovers "... and the container is gone" "$b" w1

# runtime.md, lifecycle steps 9 and 13: a failing poststart or poststop hook
# is a warning, and "the remaining hooks and lifecycle continue".
reset_config
edit_config "$b" "
def h(kind, n, code):
    return {'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; echo %s%d >>$marks/order; exit %d' % (kind, n, code)]}
c['hooks'] = {'poststart': [h('poststart', 1, 5), h('poststart', 2, 0), h('poststart', 3, 7)],
              'poststop': [h('poststop', 1, 6), h('poststop', 2, 0)]}"
run_urun run --detach --bundle "$b" w2
is "$status" 0 "several poststart hooks, some failing: run works"
is "$(tr '\n' ' ' <"$marks/order" 2>/dev/null)" "poststart1 poststart2 poststart3 " \
  "... every poststart hook ran, in order, past the failing one"
like "$err" 'poststart hook .*status 5 \(hooks.poststart\[0\]\)' "... a warning for the first failure, naming it"
like "$err" 'poststart hook .*status 7 \(hooks.poststart\[2\]\)' "... and one for the third"
run_urun delete --force w2
is "$status" 0 "a failing poststop hook does not fail delete"
is "$(tr '\n' ' ' <"$marks/order" 2>/dev/null)" "poststart1 poststart2 poststart3 poststop1 poststop2 " \
  "... and the poststop hook after it still ran"
like "$err" 'poststop hook .*status 6 \(hooks.poststop\[0\]\)' "... with a warning naming the failing one"
no_leftovers "... and the container is gone" "$b" w2

# ---- timeouts ----------------------------------------------------------------------
# Seconds times 1000 overflowed an int: 4294968 s became 0.73 s.  Out of
# range now, named; a long timeout that fits does not cut a hook short.
reset_config
edit_config "$b" "c['hooks'] = {'createRuntime': [{'path': '/bin/true'}, {'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; sleep 1.2; echo done >$marks/long'], 'timeout': 4294968}]}"
run_urun create --bundle "$b" t0
is "$status" 1 "a hook timeout of 4294968 s is refused"
like "$err" 'hooks.createRuntime\[1\].timeout: expected a number of seconds from 1 to 86400' "... naming the field and the range"
no_leftovers "... before anything runs" "$b" t0
for kind in createRuntime createContainer; do
  reset_config
  edit_config "$b" "c['hooks'] = {'$kind': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; sleep 1.2; echo done >$marks/long'], 'timeout': 86400}]}"
  run_urun create --bundle "$b" t0
  is "$status" 0 "a $kind hook with the longest timeout (86400 s) runs to its end"
  is "$(cat "$marks/long" 2>/dev/null)" done "... and is not killed early"
  run_urun delete --force t0
done
# A sleep that no other test (nor this one in the other mode) runs.
slow=29.$$
for kind in createRuntime createContainer; do
  reset_config
  edit_config "$b" "c['hooks'] = {'$kind': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exec sleep $slow'], 'timeout': 1}]}"
  t0=$(date +%s)
  run_urun create --bundle "$b" t1
  t1=$(date +%s)
  is "$status" 1 "a $kind hook that outlives its timeout fails create"
  like "$err" 'timed out' "... saying it timed out"
  ok "... after about its timeout ($((t1 - t0)) s)" test $((t1 - t0)) -lt 10
  no_leftovers "... leaving nothing behind" "$b" t1
done
reset_config
edit_config "$b" "c['hooks'] = {'poststart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exec sleep $slow'], 'timeout': 1}]}"
run_urun run --detach --bundle "$b" t2
is "$status" 0 "a poststart hook that times out only warns"
like "$err" 'timed out' "... saying it timed out"
run_urun delete --force t2
# A hook within its timeout is fine.
reset_config
edit_config "$b" "c['hooks'] = {'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat >/dev/null; sleep 0.2'], 'timeout': 5}]}"
run_urun run --detach --bundle "$b" t3
is "$status" 0 "a hook that ends within its timeout"
run_urun delete --force t3
# The leftover sleep of a timed-out hook is killed with it.
sleep_left=$(python3 - "$slow" <<'PY'
import os, sys
n = 0
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        argv = open("/proc/%s/cmdline" % p, "rb").read().split(b"\0")
    except OSError:
        continue
    if argv[:2] == [b"sleep", sys.argv[1].encode()]:
        n += 1
print(n)
PY
)
is "$sleep_left" 0 "no timed-out hook is left running"

done_testing
