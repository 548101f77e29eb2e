#!/bin/bash
# test-exec.sh: `urun exec`: one more process in a running container.  The
# process is in every namespace of the container's init (the time namespace
# included) and in its cgroup; each option of the command line and
# --process FILE, checked through the test helper's report; exit statuses
# passed through; signals relayed; a tty exec driven interactively, in the
# foreground and through --console-socket; a detached exec and its pid
# file; no fd of urun or its caller leaking; refusals (stopped, created,
# paused containers; missing or non-executable programs); 20 concurrent
# execs into one container.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

root=$URUN_TEST_STATE_ROOT
harness=$URUN_TEST_DIR/pty-harness.py
tmp=$URUN_TEST_TMPDIR

new_bundle e urun-test-helper pause /tmp/ready || done_testing
b=$bundle
# The container's own environment, for the inheritance checks.
edit_config "$b" 'c["process"]["env"] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "FROM_CONFIG=yes"]'
cp "$b/config.json" "$tmp/config.no-timens"
have_timens=no
if [ -e /proc/self/ns/time ]; then
  edit_config "$b" '
c["linux"]["namespaces"].append({"type": "time"})
c["linux"]["timeOffsets"] = {"boottime": {"secs": 864000, "nanosecs": 0}}'
  have_timens=yes
fi

run_urun run --detach --bundle "$b" xc1
if [ "$status" -ne 0 ] && [ "$have_timens" = yes ]; then
  # Some environments (systemd-nspawn) refuse time namespace offsets: the
  # rest of the test still applies without one.
  timens_error=$err
  have_timens=no
  cp "$tmp/config.no-timens" "$b/config.json"
  run_urun run --detach --bundle "$b" xc1
fi
is "$status" 0 "run the container to exec into" || { diag "$err"; done_testing; }
wait_for_file "$b/rootfs/tmp/ready" || diag "the container's payload did not get ready"
init_pid=$(json_get "$("$URUN" --root "$root" state xc1)" 'r["pid"]')

fds_of () { json_get "$1" '" ".join(str(f["fd"]) for f in r["fds"])'; }
field () { json_get "$1" "r$2"; }

# ---- the process is in the container ------------------------------------------
run_urun exec xc1 urun-test-helper report
is "$status" 0 "exec the helper's report"
rep=$out
for ns in user mnt pid net ipc uts cgroup time; do
  [ -e "/proc/self/ns/$ns" ] || continue
  is "$(field "$rep" "[\"namespaces\"][\"$ns\"]")" "$(readlink "/proc/$init_pid/ns/$ns")" \
    "the exec'd process is in init's $ns namespace"
done
if [ "$have_timens" = yes ]; then
  like "$(field "$rep" '["namespaces"]["time"]')" '^time:' "the container has a time namespace of its own"
  unlike "$(field "$rep" '["namespaces"]["time"]')" "^$(host_ns time | sed 's/[][]/\\&/g')\$" \
    "... which is not the host's, and the exec joined it"
else
  skip "no time namespace in the container: ${timens_error:-none on this kernel}"
fi
ok "its pid is one of the container's pid namespace (not 1, not urun's)" \
  test "$(field "$rep" '["pid"]')" -gt 1 -a "$(field "$rep" '["pid"]')" -lt 1000
is "$(field "$rep" '["ppid"]')" 0 "its parent (urun) is outside the pid namespace"
is "$(field "$rep" '["cwd"]')" "/" "cwd is the container's process.cwd"
is "$(field "$rep" '["uid"]'):$(field "$rep" '["gid"]')" "0:0" "user is the container's process.user"
json_check "env is the container's process.env" "$rep" '
assert "FROM_CONFIG=yes" in r["env"], r["env"]
assert "TERM=xterm" in r["env"], r["env"]'
is "$(field "$rep" '["capabilities"]["CapBnd"]')" \
  "$(awk '/^CapBnd/ {print $2}' "/proc/$init_pid/status")" "capabilities are the container's (bounding set as init's)"
is "$(field "$rep" '["no_new_privs"]')" "$(awk '/^NoNewPrivs/ {print $2}' "/proc/$init_pid/status")" \
  "no_new_privs as the container's"
is "$(field "$rep" '["seccomp"]')" "$(awk '/^Seccomp:/ {print $2}' "/proc/$init_pid/status")" \
  "seccomp mode as the container's"
json_check "rlimits are the container's (RLIMIT_NOFILE of config.json)" "$rep" "
lim = r['rlimits']['RLIMIT_NOFILE'] if isinstance(r['rlimits'], dict) else [x for x in r['rlimits'] if x['name'] == 'RLIMIT_NOFILE'][0]
assert str(lim['soft']) == '$(awk '/Max open files/ {print $4}' "/proc/$init_pid/limits")', lim"
is "$(field "$rep" '["hostname"]')" "$(json_get "$(cat "$b/config.json")" 'r["hostname"]')" "the container's hostname (uts namespace)"

# ---- no fd of urun or of its caller leaks ---------------------------------------
out=$(cd / && exec 3<"$b/config.json" 4<"$b/config.json" 9<"$b/config.json" 100<"$b/config.json" \
        && "$URUN" --root "$root" exec xc1 urun-test-helper report 2>"$tmp/leak.err")
is "$?" 0 "exec with stray fds 3, 4, 9 and 100 open"
is "$(fds_of "$out")" "0 1 2" "the exec'd process has only fds 0, 1 and 2"
json_check "... none of them urun's (state dir, sync socket, namespaces)" "$out" '
for f in r["fds"]:
    assert "state" not in f["target"] and "socket" not in f["target"] and "ns" not in f["target"], f'

# ---- --preserve-fds --------------------------------------------------------------
out=$(cd / && exec 3<"$b/config.json" 4<"$b/config.json" 5<"$b/config.json" \
        && "$URUN" --root "$root" exec --preserve-fds 2 xc1 urun-test-helper report 2>"$tmp/pfd.err")
is "$?" 0 "exec --preserve-fds 2"
is "$(fds_of "$out")" "0 1 2 3 4" "fds 3 and 4 are passed, 5 is not"
json_check "... and they are the caller's files" "$out" '
t = {f["fd"]: f["target"] for f in r["fds"]}
assert t[3].endswith("config.json") and t[4].endswith("config.json"), t'

# ---- exit status -----------------------------------------------------------------
run_urun exec xc1 sh -c 'exit 42'
is "$status" 42 "the process's exit status is urun's"
run_urun exec xc1 sh -c 'kill -KILL $$'
is "$status" 137 "killed by SIGKILL: 128+9"
run_urun exec xc1 true
is "$status" 0 "exit 0"

# ---- options ---------------------------------------------------------------------
run_urun exec --cwd /tmp xc1 urun-test-helper report
is "$(field "$out" '["cwd"]')" "/tmp" "--cwd"
run_urun exec --cwd /does/not/exist/yet xc1 urun-test-helper report
is "$(field "$out" '["cwd"]')" "/does/not/exist/yet" "--cwd of a missing directory creates it, as for init"

run_urun exec -e FOO=bar --env BAZ=qux -e TERM=dumb xc1 urun-test-helper report
json_check "-e/--env adds variables and replaces the container's" "$out" '
assert "FOO=bar" in r["env"] and "BAZ=qux" in r["env"], r["env"]
assert "TERM=dumb" in r["env"] and "TERM=xterm" not in r["env"], r["env"]
assert "FROM_CONFIG=yes" in r["env"], r["env"]'
run_urun exec -e PATH=/nowhere xc1 urun-test-helper report
is "$status" 127 "the PATH of -e is the one the program is looked up in"

run_urun exec -u 1000 xc1 urun-test-helper report
is "$(field "$out" '["uid"]'):$(field "$out" '["gid"]')" "1000:0" "-u UID keeps the container's gid"
run_urun exec --user 1000:1001 xc1 urun-test-helper report
is "$(field "$out" '["uid"]'):$(field "$out" '["gid"]')" "1000:1001" "--user UID:GID"
run_urun exec -u nobody xc1 true
is "$status" 1 "-u with a name is an error"
like "$err" "expected a numeric id" "... saying ids are numeric"

if grep -q deny "/proc/$init_pid/setgroups" 2>/dev/null; then
  skip "the container's user namespace denies setgroups: no -g"
else
  run_urun exec -g 5 --additional-gids 6 xc1 urun-test-helper report
  json_check "-g/--additional-gids" "$out" 'assert 5 in r["groups"] and 6 in r["groups"], r["groups"]'
fi

run_urun exec --cap CAP_NET_ADMIN xc1 urun-test-helper report
json_check "--cap adds to the bounding, effective and permitted sets" "$out" '
for s in ("CapBnd", "CapEff", "CapPrm"):
    assert int(r["capabilities"][s], 16) & (1 << 12), (s, r["capabilities"])'
json_check "... and keeps the container's" "$rep" 'pass'
base=$(field "$rep" '["capabilities"]["CapBnd"]')
ok "... on top of the container's bounding set" \
  test $(( 0x$(field "$out" '["capabilities"]["CapBnd"]') & 0x$base )) -eq $(( 0x$base ))
run_urun exec --cap CAP_NOPE --cap CAP_SYS_TIME xc1 urun-test-helper report
is "$status" 0 "an unknown --cap is no error"
like "$err" "warning.*unknown capabilities, ignored: CAP_NOPE" "... a warning names it"
json_check "... and the known one is added" "$out" '
assert int(r["capabilities"]["CapBnd"], 16) & (1 << 25), r["capabilities"]'

run_urun exec --no-new-privs xc1 urun-test-helper report
is "$(field "$out" '["no_new_privs"]')" 1 "--no-new-privs"

if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
  run_urun exec --apparmor unconfined xc1 true
  is "$status" 0 "--apparmor unconfined"
else
  run_urun exec --apparmor some-profile xc1 true
  ok "--apparmor without AppArmor on the host fails" test "$status" -ne 0
  like "$err" "AppArmor is not enabled" "... saying AppArmor is not enabled"
fi
if [ -e /sys/fs/selinux/enforce ]; then
  skip "SELinux enabled: --process-label needs a policy label, not tested here"
else
  run_urun exec --process-label system_u:system_r:container_t:s0 xc1 true
  ok "--process-label without SELinux fails" test "$status" -ne 0
  like "$err" "SELinux is not enabled" "... saying SELinux is not enabled"
fi

# ---- --process FILE, as podman writes it ------------------------------------------
cat >"$tmp/process.json" <<'EOF'
{ "terminal": false, "user": { "uid": 1000, "gid": 1000, "umask": 63 },
  "args": [ "urun-test-helper", "report" ], "env": [ "PATH=/bin:/usr/bin", "ONLY=process-json" ],
  "cwd": "/etc", "noNewPrivileges": true,
  "rlimits": [ { "type": "RLIMIT_NOFILE", "soft": 321, "hard": 654 } ] }
EOF
run_urun exec --process "$tmp/process.json" xc1
is "$status" 0 "exec --process FILE"
# env: the file's, plus HOME from the container's /etc/passwd (as runc).
json_check "the process is the file's: args, env, cwd, user, umask, noNewPrivileges, rlimits" "$out" '
assert r["argv"] == ["urun-test-helper", "report"], r["argv"]
assert r["env"] == ["PATH=/bin:/usr/bin", "ONLY=process-json", "HOME=/home/tester"], r["env"]
assert r["cwd"] == "/etc", r["cwd"]
assert (r["uid"], r["gid"]) == (1000, 1000), (r["uid"], r["gid"])
assert r["umask"] in ("0077", "077", 63), r["umask"]
assert r["no_new_privs"] == 1
lim = r["rlimits"]["RLIMIT_NOFILE"] if isinstance(r["rlimits"], dict) else [x for x in r["rlimits"] if x["name"] == "RLIMIT_NOFILE"][0]
assert (str(lim["soft"]), str(lim["hard"])) == ("321", "654"), lim'
json_check "what it leaves out (capabilities) is the container's" "$out" "
assert r['capabilities']['CapBnd'] == '$base', r['capabilities']"
run_urun exec --process "$tmp/process.json" -e EXTRA=1 --cwd /tmp xc1
json_check "options given with --process apply on top of the file" "$out" '
assert r["env"] == ["PATH=/bin:/usr/bin", "ONLY=process-json", "EXTRA=1", "HOME=/home/tester"], r["env"]
assert r["cwd"] == "/tmp", r["cwd"]'
run_urun exec --process "$tmp/process.json" xc1 ls
is "$status" 1 "--process with a command too is an error"
echo '{ "args": [ "true" ], "cwd": "/" }' >"$tmp/bad.json"
run_urun exec --process "$tmp/bad.json" xc1
is "$status" 255 "an invalid process.json is an error (255, a failure of exec, as runc)"
like "$err" "bad.json: user" "... naming the file and the field"

# ---- a missing or non-executable program -------------------------------------------
run_urun exec xc1 no-such-program
is "$status" 127 "a missing program: 127"
is "$err" 'urun: executable file `no-such-program` not found in $PATH: No such file or directory' \
  "... with podman's wording"
run_urun exec xc1 /etc/passwd
is "$status" 126 "a file that is not executable: 126"
like "$err" "exec \`/etc/passwd\`: Permission denied" "... saying permission denied"
run_urun exec xc1 /tmp
is "$status" 126 "a directory: 126"

# ---- signals are relayed to the process ------------------------------------------
rm -f "$b/rootfs/tmp/sig-ready"
"$URUN" --root "$root" exec xc1 urun-test-helper pause /tmp/sig-ready >"$tmp/sig.out" 2>&1 &
urun_pid=$!
wait_for_file "$b/rootfs/tmp/sig-ready"
kill -USR1 "$urun_pid"
kill -HUP "$urun_pid"
sleep 0.3
kill -TERM "$urun_pid"
wait "$urun_pid"
is "$?" 143 "a foreground exec exits with 143 when the process dies of SIGTERM"
like "$(cat "$tmp/sig.out")" "SIGUSR1" "SIGUSR1 to urun reaches the process"
like "$(cat "$tmp/sig.out")" "SIGHUP" "SIGHUP too"

# ---- detached, with a pid file ------------------------------------------------------
rm -f "$b/rootfs/tmp/d-ready"
run_urun exec --detach --pid-file "$tmp/exec.pid" xc1 urun-test-helper pause /tmp/d-ready
is "$status" 0 "exec --detach returns"
ok "... once the process runs (its ready file appears)" wait_for_file "$b/rootfs/tmp/d-ready" 5
ok "the pid file exists" test -s "$tmp/exec.pid"
epid=$(cat "$tmp/exec.pid" 2>/dev/null)
ok "the pid file holds the pid of a live process" kill -0 "${epid:-0}"
is "$(readlink "/proc/$epid/root" 2>/dev/null)" "$(readlink "/proc/$init_pid/root")" "... whose root is the container's"
is "$(readlink "/proc/$epid/ns/pid")" "$(readlink "/proc/$init_pid/ns/pid")" "... in the container's pid namespace"
is "$(cat "/proc/$epid/cgroup")" "$(cat "/proc/$init_pid/cgroup")" "... and in the container's cgroups"
ls "$tmp"/.exec.pid* >/dev/null 2>&1
ok "no temporary file is left beside the pid file" test $? -ne 0
kill -TERM "$epid" 2>/dev/null

run_urun exec --detach --tty xc1 sh
ok "a detached tty exec without --console-socket fails" test "$status" -ne 0
like "$err" "--console-socket" "... saying to use --console-socket"

# ---- a tty exec in the foreground, driven interactively --------------------------------
console_before=$("$URUN" --root "$root" exec xc1 sh -c 'stat -c "%t:%T %i" /dev/console 2>&1; cat /proc/1/mountinfo | grep -c console')
if [ ! -e "$harness" ]; then
  skip "pty-harness.py is not staged here: no tty tests"
else
  pty=$(python3 "$harness" --rows 30 --cols 100 '[
    ["expect", "# "],
    ["send", "tty; stty size\r"], ["expect", "30 100"],
    ["send", "echo hi-$((6*7))\r"], ["expect", "hi-42"],
    ["resize", 33, 99], ["send", "stty size\r"], ["expect", "33 99"],
    ["send", "exit 5\r"]]' -- "$URUN" --root "$root" exec -t xc1 sh)
  is "$(json_get "$pty" 'r["error"]')" "null" "a foreground tty exec driven interactively"
  is "$(json_get "$pty" 'r["status"]')" 5 "... exits with the shell's status"
  like "$(json_get "$pty" 'r["output"]')" '/dev/pts/[0-9]+' "... on a pty of the container's devpts"
  like "$(json_get "$pty" 'r["output"]')" "hi-42" "... typed commands run"
  is "$(json_get "$pty" 'r["modes_after"]')" "$(json_get "$pty" 'r["modes_before"]')" "urun's terminal modes are restored"

  pty=$(python3 "$harness" '[]' -- "$URUN" --root "$root" exec xc1 sh -c 'tty; exit 0')
  unlike "$(json_get "$pty" 'r["output"]')" '/dev/pts/0' "without -t, no pty of the container: the process keeps urun's stdio"

  # ---- a tty exec through --console-socket ------------------------------------------------
  sock=$tmp/console.sock
  python3 "$harness" --console-socket "$sock" '[
    ["expect", "# "],
    ["send", "echo via-$((6*7))\r"], ["expect", "via-42"],
    ["send", "exit 0\r"]]' >"$tmp/recv.json" &
  recv_pid=$!
  wait_for_file "$sock.ready"
  run_urun exec --detach --tty --console-socket "$sock" --pid-file "$tmp/tty.pid" xc1 sh
  is "$status" 0 "exec -d -t --console-socket"
  wait "$recv_pid"
  recv=$(cat "$tmp/recv.json")
  json_check "the receiver got the master and drove the shell" "$recv" 'assert r["error"] is None, r'
  json_check "... typed commands ran" "$recv" 'assert "via-42" in r["output"], r["output"]'
fi

# ---- the container's own terminal is left alone ------------------------------------------
is "$("$URUN" --root "$root" exec xc1 sh -c 'stat -c "%t:%T %i" /dev/console 2>&1; cat /proc/1/mountinfo | grep -c console')" \
  "$console_before" "the tty execs did not touch the container's /dev/console"
ok "init still runs after the execs" kill -0 "$init_pid"
run_urun state xc1
is "$(json_get "$out" 'r["status"]')" running "the container is still running"

# ---- --cgroup SUBPATH --------------------------------------------------------------------
driver=$(json_get "$("$URUN" --root "$root" state xc1)" 'r["urun"]["cgroup"]["driver"]')
cgpath=$(json_get "$("$URUN" --root "$root" state xc1)" 'r["urun"]["cgroup"]["path"]')
if [ "$driver" = none ]; then
  run_urun exec --cgroup sub xc1 true
  ok "--cgroup without a cgroup fails" test "$status" -ne 0
  like "$err" "has no cgroup" "... saying the container has no cgroup"
elif [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  mkdir -p "/sys/fs/cgroup$cgpath/sub"
  run_urun exec --cgroup sub xc1 cat /proc/self/cgroup
  is "$status" 0 "exec --cgroup SUBPATH"
  like "$(grep '^0::' <<<"$out")" "/sub\$" "... runs the process in the sub-cgroup"
  run_urun exec --cgroup nosuch xc1 true
  ok "--cgroup of a missing sub-cgroup fails" test "$status" -ne 0
  run_urun exec --cgroup ../escape xc1 true
  ok "--cgroup with .. fails" test "$status" -ne 0
else
  # v1: CONTROLLER:PATH per hierarchy (test-runc-compat.sh); a PATH that
  # is in none of them fails, naming it.
  run_urun exec --cgroup sub xc1 true
  ok "--cgroup of a missing sub-cgroup on cgroup v1 fails" test "$status" -ne 0
  like "$err" "sub does not exist" "... saying which"
fi

# ---- 20 concurrent execs ---------------------------------------------------------------------
pids=()
for i in $(seq 1 20); do
  "$URUN" --root "$root" exec xc1 sh -c "echo ok-$i; exit $((i % 7))" >"$tmp/conc.$i" 2>&1 &
  pids+=($!)
done
bad=0
for i in $(seq 1 20); do
  wait "${pids[$((i - 1))]}"
  rc=$?
  if [ "$rc" -ne $((i % 7)) ] || [ "$(cat "$tmp/conc.$i")" != "ok-$i" ]; then
    bad=$((bad + 1))
    diag "exec $i: status $rc, output: $(cat "$tmp/conc.$i")"
  fi
done
is "$bad" 0 "20 concurrent execs all ran, each with its own output and status"
is "$(json_get "$("$URUN" --root "$root" state xc1)" 'r["status"]')" running "the container still runs"

# ---- paused -----------------------------------------------------------------------------------
run_urun pause xc1
if [ "$status" -eq 0 ]; then
  run_urun exec xc1 true
  ok "exec into a paused container fails" test "$status" -ne 0
  like "$err" "paused" "... saying it is paused"
  run_urun resume xc1
  run_urun exec xc1 true
  is "$status" 0 "after resume, exec works again"
else
  skip "pause is not possible here ($err)"
  skip "pause is not possible here"
  skip "pause is not possible here"
fi

# ---- created and stopped ---------------------------------------------------------------------------
new_bundle cr urun-test-helper exit 0 || done_testing
run_urun create --bundle "$bundle" xcr1
run_urun exec xcr1 true
ok "exec into a created container fails" test "$status" -ne 0
like "$err" "created, not running" "... saying it is created, not running"
run_urun start xcr1
wait_status xcr1 stopped
run_urun exec xcr1 true
ok "exec into a stopped container fails" test "$status" -ne 0
like "$err" "xcr1.*stopped, not running" "... saying it is stopped"
run_urun exec nosuch true
ok "exec into a container that does not exist fails" test "$status" -ne 0
like "$err" 'container `nosuch` does not exist' "... with the usual wording"
run_urun delete xcr1

# ---- leftovers -------------------------------------------------------------------------------------
run_urun delete --force xc1
is "$status" 0 "delete the container"
no_leftovers "nothing left of xc1 or its execs" "$b" xc1
done_testing
