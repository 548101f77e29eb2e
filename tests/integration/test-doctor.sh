#!/bin/bash
# test-doctor.sh: `urun doctor` on this machine and in controlled
# environments: the --json schema, the exit status (0 when `run` can work),
# and the fix lines of what is missing.  Controlled environments: no
# XDG_RUNTIME_DIR, one that does not exist or has the wrong mode, a
# newuidmap without setuid or with file capabilities (a copy put first on
# PATH), fake sockets of the user's systemd and bus, a user namespace whose
# user.max_user_namespaces is 0, and (root run, driving urun as
# urun-tester) a /etc/subuid without the user's line, bound over the real
# one in a private mount namespace as test-single-id.sh does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

w=$URUN_TEST_TMPDIR/doc
mkdir -p "$w/bin"
chmod 0755 "$URUN_TEST_TMPDIR" "$w"
me=$(id -un)

# check_of JSON NAME FIELD: one field of one check.
check_of () { json_get "$1" "[c for c in r['checks'] if c['name'] == '$2'][0]['$3']"; }

# ---- this machine -----------------------------------------------------------
run_urun doctor --json
is "$status" 0 "doctor --json exits 0 where run works"
json=$out
json_check "the schema: checks of name, status, detail, fix; ready" "$json" "
assert set(r) == {'checks', 'ready'}, sorted(r)
assert r['ready'] is True, r
names = [c['name'] for c in r['checks']]
assert len(names) == len(set(names)), names
for c in r['checks']:
    assert set(c) == {'name', 'status', 'detail', 'fix'}, c
    assert c['status'] in ('ok', 'warn', 'fail'), c
    assert isinstance(c['detail'], str) and c['detail'], c
    assert (c['fix'] is None) == (c['status'] == 'ok'), c
for n in ('user-namespaces', 'cgroup-layout', 'openat2', 'pidfd_open', 'mount_setattr',
          'idmapped-mounts', 'seccomp-notify', 'time-namespace'):
    assert n in names, (n, names)
user = ('subuid', 'subgid', 'subid-nss', 'newuidmap', 'newgidmap', 'xdg-runtime-dir',
        'systemd-user', 'user-bus', 'linger', 'cgroup-delegation')
if '$URUN_TEST_MODE' == 'rootless':
    for n in user:
        assert n in names, (n, names)
else:
    assert not set(user) & set(names), names"
is "$(check_of "$json" openat2 status)" ok "openat2 is there (kernel 5.6+)"
is "$(check_of "$json" time-namespace status)" ok "time namespaces are there"
mode=$(stat -f -c %T /sys/fs/cgroup)
if [ "$mode" = cgroup2fs ]; then
  is "$(check_of "$json" cgroup-layout detail)" "cgroup v2 (unified)" "the layout: unified"
else
  like "$(check_of "$json" cgroup-layout detail)" "cgroup v1" "the layout: v1 or hybrid (/sys/fs/cgroup is $mode)"
fi

run_urun doctor
is "$status" 0 "doctor (text) exits 0"
like "$out" "(^|$(printf '\n'))ok +openat2 +available" "the text shows one line per check"
like "$out" "ready: " "and ends with the verdict"
run_urun doctor extra
is "$status" 1 "doctor takes no argument"

# ---- a user namespace that may not make more: run cannot work -----------------------
out=$(unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" doctor --json' sh "$URUN")
status=$?
is "$status" 1 "doctor exits 1 when user namespaces are exhausted"
is "$(check_of "$out" user-namespaces status)" fail "... user-namespaces fails"
like "$(check_of "$out" user-namespaces fix)" "sysctl -w user.max_user_namespaces=" "... the fix raises user.max_user_namespaces"
is "$(json_get "$out" "r['ready']")" false "... and ready is false"

# ---- the unprivileged user's environment -------------------------------------------
# doctor_env ENV-ARGS...: doctor --json as this script's user with the
# environment changed by env(1) arguments; sets $status and $json.
doctor_env ()
{
  json=$(env "$@" "$URUN" doctor --json 2>"$w/err")
  status=$?
}
if [ "$URUN_TEST_MODE" = rootless ]; then
  xdg=$XDG_RUNTIME_DIR
  doctor_env -u XDG_RUNTIME_DIR
  is "$status" 0 "no XDG_RUNTIME_DIR: still ready (the state root falls back)"
  is "$(check_of "$json" xdg-runtime-dir status)" warn "... xdg-runtime-dir warns"
  like "$(check_of "$json" xdg-runtime-dir detail)" "not set: urun keeps its state in " "... naming where the state goes"
  like "$(check_of "$json" xdg-runtime-dir fix)" "loginctl enable-linger $me|export XDG_RUNTIME_DIR=/run/user/" "... the fix says what to set"

  doctor_env XDG_RUNTIME_DIR="$w/missing"
  is "$status" 1 "XDG_RUNTIME_DIR that does not exist: not ready"
  is "$(check_of "$json" xdg-runtime-dir status)" fail "... xdg-runtime-dir fails"
  is "$(check_of "$json" xdg-runtime-dir fix)" "mkdir -m 0700 $w/missing  # or unset XDG_RUNTIME_DIR" "... the fix makes it"

  mkdir -m 0755 "$w/open"
  doctor_env XDG_RUNTIME_DIR="$w/open"
  is "$(check_of "$json" xdg-runtime-dir status)" warn "XDG_RUNTIME_DIR of mode 0755 warns"
  is "$(check_of "$json" xdg-runtime-dir fix)" "chmod 0700 $w/open" "... the fix is chmod 0700"

  is "$(check_of "$json" systemd-user status)" warn "no systemd --user here: warn"
  like "$(check_of "$json" systemd-user fix)" "loginctl enable-linger $me" "... the fix enables lingering"
  if [ -e "/var/lib/systemd/linger/$me" ]; then
    is "$(check_of "$json" linger status)" ok "lingering is on"
  else
    is "$(check_of "$json" linger fix)" "sudo loginctl enable-linger $me" "lingering off: the fix enables it"
  fi

  # Fake sockets where the user's systemd and bus listen.
  mkdir -m 0700 "$w/xdg" "$w/xdg/systemd"
  python3 -c '
import socket, sys, time
socks = []
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen(8); socks.append(s)
open(sys.argv[1] + ".ready", "w").close()
time.sleep(30)' "$w/xdg/systemd/private" "$w/xdg/bus" &
sockets=$!
  wait_for_file "$w/xdg/systemd/private.ready" 5
  doctor_env XDG_RUNTIME_DIR="$w/xdg"
  is "$(check_of "$json" systemd-user status)" ok "a listening \$XDG_RUNTIME_DIR/systemd/private: systemd-user ok"
  is "$(check_of "$json" user-bus status)" ok "a listening \$XDG_RUNTIME_DIR/bus: user-bus ok"
  doctor_env XDG_RUNTIME_DIR="$w/xdg" DBUS_SESSION_BUS_ADDRESS="unix:path=$w/nosuch,guid=1"
  is "$(check_of "$json" user-bus status)" warn "DBUS_SESSION_BUS_ADDRESS wins, and nobody listens there"
  like "$(check_of "$json" user-bus detail)" "no session bus at $w/nosuch:" "... naming the path"
  kill "$sockets" 2>/dev/null
  wait "$sockets" 2>/dev/null
  XDG_RUNTIME_DIR=$xdg

  # A newuidmap that is neither setuid nor capable, first on PATH.
  cp /usr/bin/newuidmap "$w/bin/newuidmap"
  doctor_env PATH="$w/bin:$PATH"
  is "$status" 1 "a newuidmap without setuid or capability: not ready"
  is "$(check_of "$json" newuidmap status)" fail "... newuidmap fails"
  is "$(check_of "$json" newuidmap fix)" \
    "sudo setcap cap_setuid+ep $w/bin/newuidmap  # or: sudo chown root $w/bin/newuidmap && sudo chmod u+s $w/bin/newuidmap" \
    "... the fix sets the capability or the setuid bit"
  is "$(check_of "$json" newgidmap status)" ok "... newgidmap (from /usr/bin) is fine"
else
  # As root: the user's environment through setpriv, and root's own
  # privileges for the cases that need them (file capabilities, a hidden
  # /etc/subuid).
  user=${URUN_TEST_USER:-urun-tester}
  getent passwd "$user" >/dev/null || skip_all "$user missing: run tests/setup-debian.sh"
  cp "$URUN" "$w/urun"
  cp /usr/bin/newuidmap "$w/bin/newuidmap"
  chmod 0755 "$w/bin"
  if command -v setcap >/dev/null && setcap cap_setuid+ep "$w/bin/newuidmap" 2>/dev/null; then
    json=$(setpriv --reuid="$user" --regid="$user" --init-groups -- \
             env PATH="$w/bin:$PATH" XDG_RUNTIME_DIR= "$w/urun" doctor --json)
    is "$?" 0 "a newuidmap with file capability cap_setuid: ready"
    is "$(check_of "$json" newuidmap detail)" "$w/bin/newuidmap has the file capability cap_setuid" \
      "... read from security.capability, as getcap does"
  else
    skip "setcap is missing or the file system has no xattrs"
    skip "setcap is missing or the file system has no xattrs"
  fi

  # No line in /etc/subuid and /etc/subgid: containers still run (single
  # id), so a warning with the command that adds a free range.
  printf 'someone:100000:65536\nother:165536:65536\n' >"$w/subuid"
  printf 'someone:100000:65536\nother:165536:65536\nthird:231072:65536\n' >"$w/subgid"
  chmod 0644 "$w/subuid" "$w/subgid"
  before=$(sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort)
  json=$(unshare --mount --propagation private -- sh -c '
    mount --bind "$1/subuid" /etc/subuid && mount --bind "$1/subgid" /etc/subgid || exit 99
    exec setpriv --reuid="$0" --regid="$0" --init-groups -- env -u XDG_RUNTIME_DIR "$1/urun" doctor --json' \
    "$user" "$w")
  status=$?
  is "$status" 0 "no subordinate ids: still ready (single-id fallback)"
  is "$(check_of "$json" subuid status)" warn "... subuid warns"
  is "$(check_of "$json" subuid detail)" "$user has no line in /etc/subuid: containers get only your own id" \
    "... naming the file"
  is "$(check_of "$json" subuid fix)" \
    "sudo usermod --add-subuids 296608-362143 $user  # or add the line \`$user:296608:65536\` to /etc/subuid" \
    "... the fix adds the first range free in both files"
  is "$(check_of "$json" subgid fix)" \
    "sudo usermod --add-subgids 296608-362143 $user  # or add the line \`$user:296608:65536\` to /etc/subgid" \
    "... and the same range for subgid"
  is "$(check_of "$json" xdg-runtime-dir status)" warn "... no XDG_RUNTIME_DIR warns"
  is "$(sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort)" "$before" "the host's mounts are unchanged"

  # subid: from another NSS source: newuidmap follows it, urun reads the
  # files; getsubids (a fake, first on PATH) shows what that source has.
  mkdir -p "$w/nssbin"
  printf 'passwd: files\ngroup: files\nsubid: sss\n' >"$w/nsswitch.conf"
  printf '#!/bin/sh\necho "0: $1 500000 65536"\n' >"$w/nssbin/getsubids"
  chmod 0755 "$w/nssbin" "$w/nssbin/getsubids"
  chmod 0644 "$w/nsswitch.conf"
  json=$(unshare --mount --propagation private -- sh -c '
    mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf || exit 99
    exec setpriv --reuid="$0" --regid="$0" --init-groups -- env PATH="$1/nssbin:$PATH" "$1/urun" doctor --json' \
    "$user" "$w")
  is "$(check_of "$json" subid-nss status)" warn "subid: sss in nsswitch.conf warns"
  like "$(check_of "$json" subid-nss detail)" "come from \`sss\` \(nsswitch.conf\), which gives: 0: $user 500000 65536; urun writes default maps from /etc/subuid and /etc/subgid only" \
    "... showing what getsubids finds there"
  is "$(sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort)" "$before" "the host's mounts are unchanged"

  text=$(setpriv --reuid="$user" --regid="$user" --init-groups -- env XDG_RUNTIME_DIR="$w/nosuch" "$w/urun" doctor)
  is "$?" 1 "as $user with a missing XDG_RUNTIME_DIR: exit 1"
  like "$text" "fail +xdg-runtime-dir" "... the text says fail"
  like "$text" "fix: mkdir -m 0700 $w/nosuch" "... then the fix line"
  like "$text" "not ready: 1 check\(s\) failed" "... and the verdict"
fi

done_testing
