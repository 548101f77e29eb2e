#!/bin/bash
# test-cve.sh: regressions for the runtime CVEs of peers that concern file
# descriptors and the working directory.  (CVE-2019-5736, the runtime
# binary through /proc/self/exe, is in test-security.sh; CVE-2021-30465,
# mount destinations through symlinks, and masked paths that are symlinks
# or missing, are in test-mounts.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-container.sh"

# ---- CVE-2024-21626: a host directory fd leaked into the container -------
# runc leaked an fd of the host's /sys/fs/cgroup into init, and a cwd of
# /proc/self/fd/N then put the payload in the host's filesystem.  Here fd 7
# is a host directory open in urun's caller; no path through it may become
# the container's cwd, for run and for exec.
new_bundle leak || done_testing
b=$bundle
edit_config "$b" 'c["process"]["cwd"] = "/proc/self/fd/7"'
exec 7<"$URUN_TEST_TMPDIR"
run_urun run --bundle "$b" cve1
fails "run with cwd /proc/self/fd/7 and a host fd 7 fails" test "$status" -eq 0
like "$err" "/proc/self/fd/7" "... naming the cwd"
unlike "$out" '"cwd"' "... and the process never ran"
no_leftovers "... and leaves nothing behind" "$b" cve1

# Hooks init forks inherit no stray fd of the host either.
edit_config "$b" 'c["process"]["cwd"] = "/"
c["hooks"] = {"createContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "ls /proc/self/fd > '"$URUN_TEST_TMPDIR"'/hook-fds"]}]}'
run_urun run --bundle "$b" cve2
is "$status" 0 "run with a createContainer hook"
ok "the hook listed its fds" test -s "$URUN_TEST_TMPDIR/hook-fds"
unlike "$(tr '\n' ' ' <"$URUN_TEST_TMPDIR/hook-fds")" '(^| )7( |$)' \
  "the hook did not inherit the stray fd 7"

# exec --cwd through a leaked fd.
edit_config "$b" 'del c["hooks"]
c["process"]["args"] = ["/bin/urun-test-helper", "pause"]'
run_urun run --detach --bundle "$b" cve3
is "$status" 0 "a container to exec into"
run_urun exec --cwd /proc/self/fd/7 cve3 /bin/urun-test-helper report
fails "exec --cwd /proc/self/fd/7 with a host fd 7 fails" test "$status" -eq 0
unlike "$out" '"cwd"' "... and the process never ran"
run_urun exec cve3 /bin/urun-test-helper report
is "$status" 0 "a plain exec still works"
json_check "... and sees neither fd 7 nor a host cwd" "$out" '
assert r["cwd"] == "/", r["cwd"]
assert all(f["fd"] < 3 for f in r["fds"] if not f["target"].startswith("/proc")), r["fds"]'
run_urun delete --force cve3
exec 7<&-

done_testing
