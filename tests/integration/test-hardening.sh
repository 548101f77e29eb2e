#!/bin/bash
# test-hardening.sh: the hardening of issue 10: the /dev/null of
# maskedPaths comes from the host, never from the rootfs (item 6); hooks
# start with a clean signal mask and default dispositions (item 8);
# config.json is read once per create (item 11); init reaches /proc/self
# through its own procfs (item 5); pids.limit reads back inside (item 4); a
# foreground run cleans up only the container it made (item 9).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

new_bundle b || done_testing
b=$bundle
cp "$b/config.json" "$URUN_TEST_TMPDIR/config.good"
reset_config () { cp "$URUN_TEST_TMPDIR/config.good" "$b/config.json"; }

# ---- maskedPaths: the host's /dev/null ------------------------------------------
# urun makes the container's /dev/null, but what is there by the time of the
# masks is not urun's to trust: a createContainer hook (before pivot_root)
# may have put a regular file or a link in its place, a linux.devices entry
# may name another device /dev/null.  A masked file must still read empty
# and be the character device 1:3.
echo secret-of-the-file >"$b/rootfs/etc/masked-file"
echo substitute-of-the-image >"$b/rootfs/substitute"
for kind in file link device; do
  # shellcheck disable=SC2016 # $0 is the hook's, the rootfs path
  case $kind in
    file) swap='echo substitute-of-the-image >$0/dev/null' ;;
    link) swap='ln -s /substitute $0/dev/null' ;;
  esac
  edit_config "$b" "
c['linux']['maskedPaths'] = ['/etc/masked-file']
c['process']['args'] = ['sh', '-c', 'head -c 64 /etc/masked-file; stat -c \"%F %t:%T\" /etc/masked-file']
if '$kind' == 'device':
    c['linux'].setdefault('devices', []).append({'path': '/dev/null', 'type': 'c', 'major': 1, 'minor': 5, 'fileMode': 438})
else:
    c['hooks'] = {'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c',
        'umount \"\$0/dev/null\" 2>/dev/null; rm -f \"\$0/dev/null\"; $swap', '$b/rootfs']}]}"
  run_urun run --bundle "$b" "m-$kind"
  is "$status" 0 "a masked path with /dev/null replaced by a $kind before the pivot"
  unlike "$out" 'secret-of-the-file|substitute-of-the-image' "... reads nothing of the file or the substitute"
  like "$out" '^character special file 1:3$' "... and is the character device 1:3"
  no_leftovers "... and leaves nothing" "$b" "m-$kind"
  reset_config
done
rm -f "$b/rootfs/dev/null" "$b/rootfs/substitute" "$b/rootfs/etc/masked-file"

# ---- hooks: clean signal mask and dispositions ------------------------------------
# urun is started with SIGINT and SIGTERM ignored and SIGUSR1 blocked, which
# it passes on to nothing it runs: each hook reports the SigBlk and SigIgn
# lines of its /proc/self/status.  createContainer and startContainer are
# run by init (which blocks signals), the others by urun itself.
marks=$URUN_TEST_TMPDIR/marks
mkdir -p "$marks"
chmod 0777 "$marks"
edit_config "$b" "
def hook(kind, where):
    return {'path': '/bin/sh',
            'args': ['sh', '-c', 'exec grep -E \"^Sig(Blk|Ign)\" /proc/self/status >' + where + '/' + kind]}
c['hooks'] = {k: [hook(k, '$marks')] for k in ('prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop')}
c['hooks']['startContainer'] = [hook('startContainer', '/tmp')]
c['process']['args'] = ['true']"
wrapped ()
{
  python3 -c '
import os, signal, sys
# From a known state, whatever the caller left (nohup ignores SIGHUP).
for s in signal.valid_signals():
    try:
        signal.signal(s, signal.SIG_DFL)
    except (OSError, ValueError):
        pass
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_SETMASK, [signal.SIGUSR1])
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
# The wrapper itself shows the mask and dispositions it gives urun.
like "$(wrapped grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\n' ' ')" \
  '^SigBlk:.0+200 SigIgn:.0+4002 $' "the wrapper blocks SIGUSR1 and ignores SIGINT and SIGTERM"
wrapped "$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$b" sig >"$URUN_TEST_TMPDIR/sig.out" 2>&1
is "$?" 0 "run with every kind of hook under the wrapper"
for kind in prestart createRuntime createContainer startContainer poststart poststop; do
  f=$marks/$kind
  [ $kind = startContainer ] && f=$b/rootfs/tmp/$kind
  is "$(tr -s '\t\n' '  ' <"$f" 2>/dev/null)" "SigBlk: 0000000000000000 SigIgn: 0000000000000000 " \
    "a $kind hook has no signal blocked or ignored"
done
rm -f "$b/rootfs/tmp/startContainer"
reset_config

# ---- config.json is read once, at create -----------------------------------------
# After create, the bundle's config.json is replaced by one with other
# process args, env and hooks: start, exec and update follow the original
# (the copy create saved of the bytes it validated), and the hooks of the
# new one never run.
edit_config "$b" "
c['process']['args'] = ['urun-test-helper', 'pause']
c['process']['env'] = c['process']['env'] + ['ORIGINAL=1']"
run_urun create --bundle "$b" once
is "$status" 0 "create"
edit_config "$b" "
c['process']['args'] = ['sh', '-c', 'touch /tmp/changed-args']
c['process']['env'] = c['process']['env'] + ['CHANGED=1']
c['hooks'] = {k: [{'path': '/bin/sh', 'args': ['sh', '-c', 'touch $marks/changed-' + k]}]
              for k in ('prestart', 'poststart', 'poststop')}"
run_urun start once
is "$status" 0 "start after the bundle's config.json changed"
wait_status once running
run_urun exec once urun-test-helper report
is "$status" 0 "exec after the bundle's config.json changed"
json_check "... takes the env of the original config.json" "$out" "
assert 'ORIGINAL=1' in r['env'] and 'CHANGED=1' not in r['env'], r['env']"
echo '{"not": "a config"' >"$b/config.json"
run_urun exec once true
is "$status" 0 "exec with the bundle's config.json broken"
if [ "$URUN_TEST_MODE" = rootless ]; then
  skip "update: a rootless container gets no cgroup on this host (no session bus, no delegated hierarchy)"
else
  run_urun update --pids-limit 100 once
  is "$status" 0 "update with the bundle's config.json broken"
fi
run_urun delete --force once
is "$status" 0 "delete"
ok "the process of the original args ran, not the new ones" test ! -e "$b/rootfs/tmp/changed-args"
is "$(cd "$marks" && ls changed-* 2>/dev/null)" "" "no hook of the new config.json ran"
rm -f "$marks"/changed-*
reset_config

# ---- init's procfs handle ------------------------------------------------------------
# After the pivot init still opens exec.fifo (through /proc/self/fd) and
# writes /proc/self files: through the procfs it opened first thing, never
# through whatever the container has at /proc (a tmpfs here, or the
# rootfs's own directory when nothing is mounted there).
for kind in tmpfs none; do
  edit_config "$b" "
c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/proc']
if '$kind' == 'tmpfs':
    c['mounts'].append({'destination': '/proc', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid', 'nodev']})
c['process']['args'] = ['sh', '-c', 'echo ran']"
  run_urun create --bundle "$b" "p-$kind"
  is "$status" 0 "create with /proc: $kind"
  run_urun start "p-$kind"
  is "$status" 0 "... start releases init through its own procfs"
  wait_status "p-$kind" stopped
  run_urun delete "p-$kind"
  no_leftovers "... and delete leaves nothing" "$b" "p-$kind"
  reset_config
done

# ---- pids.limit reads back inside, with and without a user namespace --------------
# As root with the cgroupfs driver, the container's cgroup mount shows its
# own cgroup: pids.max inside is the limit of config.json (issue 10, item 4).
if [ "$URUN_TEST_MODE" = rootless ]; then
  skip "pids.limit: a rootless container gets no cgroup on this host (no session bus, no delegated hierarchy)"
else
  case $(stat -f -c %T /sys/fs/cgroup) in
    cgroup2fs) pids_in=/sys/fs/cgroup/pids.max ;;
    *) pids_in=/sys/fs/cgroup/pids/pids.max ;;
  esac
  top=urun-hardening-$$
  # shellcheck disable=SC2317 # runs from the EXIT trap
  remove_test_cgroups ()
  {
    local d
    for d in /sys/fs/cgroup/"$top" /sys/fs/cgroup/*/"$top"; do
      [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
  }
  prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
  # shellcheck disable=SC2064
  trap "${prev_trap:-:}; remove_test_cgroups" EXIT
  for userns in no yes; do
    new_bundle "pl-$userns" cat "$pids_in" || break
    edit_config "$bundle" "
c['linux']['cgroupsPath'] = '/$top/pl-$userns'
c['linux'].setdefault('resources', {})['pids'] = {'limit': 42}
if '$userns' == 'yes':
    c['linux']['namespaces'].append({'type': 'user'})
    c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]
    c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]"
    [ $userns = yes ] && chown -R 100000:100000 "$bundle/rootfs"
    run_urun --cgroup-manager cgroupfs run --bundle "$bundle" "pl-$userns"
    is "$status:$out" "0:42" "pids.limit 42 reads back in $pids_in (user namespace: $userns)" ||
      diag "$err"
    no_leftovers "... and leaves nothing" "$bundle" "pl-$userns"
  done
fi

# ---- a foreground run cleans up only the container it created -------------------
# Its container is deleted from outside and a new one of the same id runs
# before the first urun gets to its cleanup (held stopped meanwhile): that
# cleanup must leave the new container alone (its record names another
# init: another pid and start time).
new_bundle fg urun-test-helper pause || done_testing
fg=$bundle
"$URUN" --root "$URUN_TEST_STATE_ROOT" run --bundle "$fg" fg1 >/dev/null 2>&1 &
first=$!
ok "a foreground run" wait_status fg1 running
kill -STOP "$first"
run_urun delete --force fg1
is "$status" 0 "deleted from outside while its urun is stopped"
run_urun run -d --bundle "$fg" fg1
is "$status" 0 "a new container of the same id"
run_urun state fg1
newpid=$(json_get "$out" 'r["pid"]')
kill -CONT "$first"
wait "$first" 2>/dev/null
ok "the first urun has exited" sh -c "! kill -0 $first 2>/dev/null"
run_urun state fg1
is "$(json_get "$out" 'r["status"]'):$(json_get "$out" 'r["pid"]')" "running:$newpid" \
  "the new container is untouched by the first run's cleanup"
run_urun delete --force fg1
no_leftovers "... and deletes cleanly" "$fg" fg1

done_testing
