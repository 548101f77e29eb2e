#!/bin/bash
# test-host-mounts.sh: urun never changes the mounts of its caller's mount
# namespace (issue 17), and a mount namespace that is not listed is
# inherited with chroot semantics (issue 16).
#
# As root, each risky config runs inside a private mount namespace that the
# test makes (unshare), with "/" made shared in it as systemd makes the
# host's, so that a mount that would propagate back does show: afterwards
# that namespace's mounts (mount point, options, propagation, type, source,
# superblock options) and /dev/ptmx must be as before, and so must the real
# host's.  Rootless, the caller's namespace is the host's own; the kernel
# forbids an unprivileged user to change it anyway, but the same configs
# run, and must fail or succeed the same way and leave nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

T=$URUN_TEST_TMPDIR
mode=$URUN_TEST_MODE

# The mounts of this process's namespace, one normalised line each: mount
# ids differ between namespaces and runs, everything else must not.  Other
# tests running beside this one mount under their own /tmp/urun-it.*
# directories in the host's namespace; only ours counts there.
snapshot_mounts ()
{
  awk -v keep="$T" '{
      opt = ""
      for (i = 7; $i != "-"; i++)
        opt = opt " " $i
      if ($5 ~ /^\/tmp\// && index($5, keep) != 1)
        next
      print $5, $6, opt, "-", $(i + 1), $(i + 2), $(i + 3)
    }' /proc/self/mountinfo | sort
}

# The script every case runs in, in its own namespace when root:
# inns.sh OUT SETUP CONFIG_DIR ID: makes "/" shared (root only), runs the
# bash code SETUP (mounts that model the host), snapshots, runs the
# container (`urun run ID`, or the bash code $HM_CMD, where `urun` is urun
# with the state root), snapshots again, and removes the container if it
# was left.
cat >"$T/inns.sh" <<'EOF'
out=$1 setup=$2 dir=$3 id=$4
T=$URUN_TEST_TMPDIR
. "$T/functions"
if [ "$URUN_TEST_MODE" = root ]; then
  mount --make-rshared / || { echo "make-rshared failed" >"$out/setup-error"; exit 0; }
fi
if ! (eval "$setup") >"$out/setup-error" 2>&1; then
  exit 0
fi
rm -f "$out/setup-error"
snapshot_mounts >"$out/before"
stat -c '%F %N' /dev/ptmx >"$out/ptmx-before"
[ -n "${HM_WATCH:-}" ] && (cd "$HM_WATCH" && stat -c '%F %N' -- * >"$out/watch-before")
urun () { timeout 30 "$URUN" --root "$URUN_TEST_STATE_ROOT" "$@"; }
(cd "$dir" && eval "${HM_CMD:-urun run \"\$id\"}") >"$out/stdout" 2>"$out/stderr" </dev/null
echo $? >"$out/rc"
ls "$URUN_TEST_STATE_ROOT" 2>/dev/null | grep -x -- "$id" >"$out/state-left"
timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" delete --force "$id" >/dev/null 2>&1
snapshot_mounts >"$out/after"
stat -c '%F %N' /dev/ptmx >"$out/ptmx-after"
[ -n "${HM_WATCH:-}" ] && (cd "$HM_WATCH" && stat -c '%F %N' -- * >"$out/watch-after")
EOF
declare -f snapshot_mounts >"$T/functions"

new_bundle base || done_testing
base=$bundle
rootfs=$base/rootfs
echo in-the-rootfs >"$rootfs/hm-marker"
n=0

# config NAME PYCODE: $T/NAME/config.json is the base config (root.path the
# base rootfs, by absolute path) edited by PYCODE; sets $dir.
config ()
{
  dir=$T/$1
  mkdir -p "$dir"
  cp "$base/config.json" "$dir/config.json"
  edit_config "$dir" "c['root']['path'] = '$rootfs'; $2"
}

# Python snippets for config.
NO_MNT_NS='c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "mount"]'
JOIN_OWN_MNT_NS='[n.update(path="/proc/self/ns/mnt") for n in c["linux"]["namespaces"] if n["type"] == "mount"]'
NO_MOUNTS='c["mounts"] = []; c["linux"].pop("maskedPaths", None); c["linux"].pop("readonlyPaths", None); c["root"]["readonly"] = False'
SHOW_ROOT='c["process"]["args"] = ["/bin/sh", "-c", "cat /hm-marker; ls /"]'

# A host whose rootfs has shared submounts (an image store under a shared
# mount, a rootfs on a shared /dev...): what the container mounts on its
# copies of them would reach the host's through the peer group.
SHARED_SUBMOUNTS="mount -t tmpfs hm-dev '$rootfs/dev' && mkdir -p '$rootfs/dev/pts' '$rootfs/dev/shm' '$rootfs/dev/mqueue' && mount -t tmpfs hm-sys '$rootfs/sys' && mkdir -p '$rootfs/sys/fs/cgroup'"

# run_case DESC SETUP EXPECT [ERE]: runs the config in $dir; EXPECT is ok
# (exit 0, and stdout matches ERE when given) or fail (non-zero, stderr
# matches ERE).  Then: the namespace's mounts and /dev/ptmx unchanged, no
# state left, and the real host's mounts unchanged.
run_case ()
{
  local desc=$1 setup=$2 expect=$3 ere=${4:-} out host_before host_after rc outcome
  n=$((n + 1))
  out=$T/out-$n
  mkdir -p "$out"
  host_before=$(snapshot_mounts)
  if [ "$mode" = root ]; then
    unshare --mount --propagation private -- bash "$T/inns.sh" "$out" "$setup" "$dir" "hm-$n"
  else
    bash "$T/inns.sh" "$out" "$setup" "$dir" "hm-$n"
  fi
  host_after=$(snapshot_mounts)
  if [ -e "$out/setup-error" ]; then
    _tap_result 0 "$desc: set up the namespace"
    diag "$(cat "$out/setup-error")"
    return 1
  fi
  rc=$(cat "$out/rc")
  # For the diagnostics of is/like.
  status=$rc out_text=$(cat "$out/stdout") err=$(cat "$out/stderr")
  _tap_last_urun="urun run ($desc)"
  if [ "$expect" = ok ]; then
    is "$rc" 0 "$desc: runs"
    [ -n "$ere" ] && like "$out_text" "$ere" "$desc: output"
  else
    outcome=$([ "$rc" != 0 ] && echo failed || echo "exited 0")
    is "$outcome" failed "$desc: fails"
    [ -n "$ere" ] && like "$err" "$ere" "$desc: error message"
  fi
  is "$(diff "$out/before" "$out/after")" "" "$desc: the caller's mounts are unchanged"
  if [ -n "${HM_WATCH:-}" ]; then
    is "$(diff "$out/watch-before" "$out/watch-after")" "" "$desc: $HM_WATCH is unchanged"
  fi
  is "$(cat "$out/ptmx-after")" "$(cat "$out/ptmx-before")" "$desc: /dev/ptmx is unchanged"
  is "$(cat "$out/state-left")" "" "$desc: no state left"
  is "$(diff <(echo "$host_before") <(echo "$host_after"))" "" "$desc: the host's mounts are unchanged"
}

# ---- rootfs "/" and a bind of "/" -----------------------------------------

config slash "c['root']['path'] = '/'"
run_case 'rootfs "/"' : fail 'root\.path: `/` is the host.s root directory'

config slash-shared "c['root']['path'] = '/'; c['linux']['rootfsPropagation'] = 'rshared'"
run_case 'rootfs "/", rootfsPropagation rshared' : fail 'root\.path: `/` is the host.s root directory'

if [ "$mode" = root ]; then
  mkdir -p "$T/slash-bind-root"
  config slash-bind "c['root']['path'] = '$T/slash-bind-root'"
  run_case 'rootfs a bind of "/"' "mount --bind / '$T/slash-bind-root'" fail \
    "root\\.path: \`$T/slash-bind-root\` is the host.s root directory"
else
  skip 'rootfs a bind of "/": an unprivileged user cannot make the bind in the host'"'"'s namespace'
fi

# ---- no mount namespace: inherited, chroot semantics, no mounts -----------

config no-mnt "$NO_MNT_NS"
run_case 'no mount namespace, mounts in the config' : fail \
  'config\.json: mounts: needs a mount namespace of the container.s own'

config no-mnt-masked "$NO_MNT_NS; $NO_MOUNTS; c['linux']['maskedPaths'] = ['/etc']"
run_case 'no mount namespace, maskedPaths' : fail 'config\.json: linux\.maskedPaths: needs a mount namespace'

config no-mnt-ro "$NO_MNT_NS; $NO_MOUNTS; c['root']['readonly'] = True"
run_case 'no mount namespace, root.readonly' : fail 'config\.json: root\.readonly: needs a mount namespace'

config no-mnt-plain "$NO_MNT_NS; $NO_MOUNTS; $SHOW_ROOT"
run_case 'no mount namespace, chroot into the rootfs' : ok '^in-the-rootfs'

config no-mnt-slash "$NO_MNT_NS; $NO_MOUNTS; c['root']['path'] = '/'; c['process']['args'] = ['/bin/sh', '-c', 'test -d $T/no-mnt-slash && echo sees-the-host']"
run_case 'no mount namespace, rootfs "/"' : ok '^sees-the-host$'

# create, start and exec: init opens exec.fifo and writes oom_score_adj
# through /proc/self, which the chroot has not; exec takes init's root.
config no-mnt-create "$NO_MNT_NS; $NO_MOUNTS; c['process']['oomScoreAdj'] = 100; c['process']['args'] = ['/bin/sh', '-c', 'cat /hm-marker; sleep 1']"
HM_CMD='urun create "$id" && urun start "$id" && sleep 0.3 && urun exec "$id" /bin/cat /hm-marker && urun delete --force "$id"' \
  run_case 'no mount namespace, create, start and exec' : ok '^in-the-rootfs'$'\n''in-the-rootfs$'

# The NOTIFY_SOCKET proxy reaches the container through a mount.
config no-mnt-notify "$NO_MNT_NS; $NO_MOUNTS"
HM_CMD='NOTIFY_SOCKET=$T/no-such.sock urun run "$id"' \
  run_case 'no mount namespace, NOTIFY_SOCKET' : fail \
  'NOTIFY_SOCKET is set, but config\.json: linux\.namespaces has no mount namespace'

# ---- a mount namespace joined by path: the caller's own -------------------

config join-own "$JOIN_OWN_MNT_NS"
run_case "the caller's mount namespace joined by path, mounts in the config" : fail \
  'config\.json: mounts: needs a mount namespace of the container.s own'

config join-own-plain "$JOIN_OWN_MNT_NS; $NO_MOUNTS; $SHOW_ROOT"
if [ "$mode" = root ]; then
  run_case "the caller's mount namespace joined by path, chroot into the rootfs" : ok '^in-the-rootfs'
else
  # setns() into a mount namespace needs CAP_SYS_ADMIN over its owner, the
  # host's user namespace.
  run_case "the caller's mount namespace joined by path (not permitted rootless)" : fail \
    'Operation not permitted'
fi

# ---- the host's /dev bound onto /dev ---------------------------------------

# A stand-in for the host's /dev (the real one is shared with the host by
# its filesystem, whatever the mount namespace): no device and no ptmx
# link may be made in it.
mkdir -p "$T/hostdev/pts" "$T/hostdev/shm" "$T/hostdev/mqueue"
echo not-a-link >"$T/hostdev/ptmx"
# The masks bind /dev/null over what they hide.
if [ "$mode" = root ]; then
  mknod -m 0666 "$T/hostdev/null" c 1 3
else
  : >"$T/hostdev/null"
fi
config dev-bind "i = [m['destination'] for m in c['mounts']].index('/dev'); c['mounts'][i] = {'destination': '/dev', 'type': 'bind', 'source': '$T/hostdev', 'options': ['rbind']}; c['process']['args'] = ['true']"
HM_WATCH=$T/hostdev run_case "a bind of the host's /dev onto /dev" : ok

# ---- rootfsPropagation shared, a rootfs with shared submounts ------------

for prop in shared rshared; do
  config "prop-$prop" "c['linux']['rootfsPropagation'] = '$prop'; c['process']['args'] = ['/bin/sh', '-c', 'grep -c . /proc/self/mountinfo']"
  if [ "$mode" = root ]; then
    run_case "rootfsPropagation $prop, shared submounts in the rootfs" "$SHARED_SUBMOUNTS" ok '^[0-9]+$'
  else
    run_case "rootfsPropagation $prop" : ok '^[0-9]+$'
  fi
done

config prop-nopivot "c['linux']['rootfsPropagation'] = 'rshared'; c['process']['args'] = ['true']"
if [ "$mode" = root ]; then
  HM_CMD='urun run --no-pivot "$id"' \
    run_case "rootfsPropagation rshared, --no-pivot, shared submounts in the rootfs" "$SHARED_SUBMOUNTS" ok
else
  HM_CMD='urun run --no-pivot "$id"' run_case "rootfsPropagation rshared, --no-pivot" : ok
fi

if [ "$mode" = root ]; then
  # A bind of a shared host directory, with something mounted inside it:
  # the bind becomes a slave, so the tmpfs stays in the container.
  mkdir -p "$T/vol"
  config prop-bind "c['linux']['rootfsPropagation'] = 'rshared'; c['mounts'].append({'destination': '/vol', 'type': 'bind', 'source': '$T/vol', 'options': ['rbind']}); c['mounts'].append({'destination': '/vol/in', 'type': 'tmpfs', 'source': 'tmpfs'}); c['process']['args'] = ['true']"
  run_case 'rootfsPropagation rshared, a tmpfs inside a bind of a shared directory' \
    "mount --bind '$T/vol' '$T/vol'" ok
  # The same bind asked to stay shared: urun's tmpfs inside it is refused.
  config prop-bind-shared "c['linux']['rootfsPropagation'] = 'rshared'; c['mounts'].append({'destination': '/vol', 'type': 'bind', 'source': '$T/vol', 'options': ['rbind', 'rshared']}); c['mounts'].append({'destination': '/vol/in', 'type': 'tmpfs', 'source': 'tmpfs'}); c['process']['args'] = ['true']"
  run_case 'rootfsPropagation rshared, a tmpfs inside a bind that stays shared' \
    "mount --bind '$T/vol' '$T/vol'" fail 'mounts\[8\]: `/vol/in` is inside mounts\[7\]'
  # What rootfsPropagation shared is for, kept: a mount the container's
  # process makes in a bind that stays shared reaches the host's side.
  mkdir -p "$T/vol2/in"
  config prop-bidir "c['linux']['rootfsPropagation'] = 'rshared'; c['mounts'].append({'destination': '/vol2', 'type': 'bind', 'source': '$T/vol2', 'options': ['rbind', 'rshared']}); c['process']['capabilities'] = {k: ['CAP_SYS_ADMIN'] for k in ('bounding', 'effective', 'permitted')}; c['process']['args'] = ['mount', '-t', 'tmpfs', 'hm-bidir', '/vol2/in']"
  out=$T/out-bidir
  mkdir -p "$out"
  unshare --mount --propagation private -- bash "$T/inns.sh" "$out" "mount --bind '$T/vol2' '$T/vol2'" "$dir" hm-bidir
  is "$(cat "$out/rc")" 0 "rootfsPropagation rshared, a bind that stays shared: the process mounts in it"
  like "$(diff "$out/before" "$out/after")" "> $T/vol2/in .* - tmpfs hm-bidir " \
    "rootfsPropagation rshared, a bind that stays shared: the process's mount reaches the host's side"
else
  skip 'a bind of a shared directory: an unprivileged user cannot make a shared mount in the host'"'"'s namespace'
  skip 'a bind that stays shared: an unprivileged user cannot make a shared mount in the host'"'"'s namespace'
  skip 'a bind that stays shared: an unprivileged user cannot make a shared mount in the host'"'"'s namespace'
fi

# ---- a failure at each mount step ------------------------------------------

n_mounts=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["mounts"]))' "$base/config.json")
long=$(printf 'x%.0s' {1..300})
for prop in default rshared; do
  setup=:
  set_prop=
  if [ "$prop" = rshared ]; then
    set_prop="c['linux']['rootfsPropagation'] = 'rshared';"
    [ "$mode" = root ] && setup=$SHARED_SUBMOUNTS
  fi
  for ((k = 0; k <= n_mounts; k++)); do
    config "bad-$prop-$k" "$set_prop c['mounts'].insert($k, {'destination': '/bad', 'type': 'urun-no-such-fs', 'source': 'x'})"
    run_case "propagation $prop: a bad mount type at mounts[$k]" "$setup" fail 'mount `/bad`'
  done
  config "bad-opt-$prop" "$set_prop c['mounts'].append({'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=urun-bogus']})"
  run_case "propagation $prop: a bad mount option, last" "$setup" fail 'mount `/tmp`'
  config "bad-dev-$prop" "$set_prop c['linux']['devices'] = [{'path': '/proc/urun-bad', 'type': 'c', 'major': 1, 'minor': 3}]"
  run_case "propagation $prop: a device that cannot be created" "$setup" fail '/proc/urun-bad'
  config "bad-mask-$prop" "$set_prop c['linux']['maskedPaths'].append('/$long')"
  run_case "propagation $prop: a masked path that fails" "$setup" fail 'File name too long'
  config "bad-ro-$prop" "$set_prop c['linux']['readonlyPaths'].append('/$long')"
  run_case "propagation $prop: a read-only path that fails" "$setup" fail 'File name too long'
done

done_testing
