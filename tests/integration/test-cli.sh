#!/bin/bash
# test-cli.sh: the command-line surface of urun: version, help, global
# options, errors for bad usage, and the log file.
. "$(dirname "$0")/lib.sh"

commands="create start run exec kill delete state list ps pause resume update
events spec features checkpoint restore"

# --version
run_urun --version
is "$status" 0 "--version exits 0"
like "$out" '(^|
)urun version [0-9]+\.[0-9]+\.[0-9]+' "--version prints the urun version"
like "$out" 'spec: 1\.2\.0' "--version prints the OCI spec version"
like "$out" '\+SYSTEMD' "--version lists +SYSTEMD"
like "$out" '\+SECCOMP' "--version lists +SECCOMP"

# --help lists every command.
run_urun --help
is "$status" 0 "--help exits 0"
for c in $commands; do
  like "$out" "(^|
)  $c " "--help lists $c"
done

# Every command has --help, except checkpoint: podman takes a zero exit of
# `checkpoint --help` as checkpoint support.
for c in $commands; do
  run_urun "$c" --help
  if [ "$c" = checkpoint ]; then
    fails "checkpoint --help exits non-zero" test "$status" -eq 0
  else
    is "$status" 0 "$c --help exits 0"
    like "$out" "Usage:" "$c --help prints a usage"
  fi
done

# Unknown global option: exit 1, one line naming it, then a hint.
run_urun --no-such-option state x
is "$status" 1 "unknown global option exits 1"
like "$err" '--no-such-option' "unknown global option is named"
like "$err" 'Try' "unknown global option gives a hint"
is "$(printf '%s\n' "$err" | grep -c -- '--no-such-option')" 1 "the option is named on one line"

# Unknown command.
run_urun no-such-command
is "$status" 1 "unknown command exits 1"
like "$err" 'no-such-command' "unknown command is named"
like "$err" 'Try' "unknown command gives a hint"

# No command at all.
run_urun
fails "no command is an error" test "$status" -eq 0
like "$err" '.' "no command says something on stderr"

# state without its container id.
run_urun state
is "$status" 1 "state without an id exits 1"
like "$err" '.' "state without an id says why"

# --log FILE (two tokens) with --log-format=json: one JSON line per record,
# and at the default level only the fatal error.
log=$URUN_TEST_TMPDIR/log.json
run_urun --log "$log" --log-format=json state nosuch
is "$status" 1 "state of a missing container exits 1"
ok "log file exists" test -s "$log"
is "$(wc -l <"$log")" 1 "log file has exactly one line"
ok "log line is JSON with msg, level=error and time" python3 -c '
import json, sys
with open(sys.argv[1]) as f:
    rec = json.loads(f.readline())
assert set(rec) >= {"msg", "level", "time"}, rec
assert rec["level"] == "error", rec
assert isinstance(rec["msg"], str) and rec["msg"], rec
' "$log"

# --log=FILE and --log-format json (the other spellings).
log2=$URUN_TEST_TMPDIR/log2.json
run_urun --log="$log2" --log-format json state nosuch
is "$status" 1 "--log=FILE --log-format json accepted"
ok "second log file is JSON" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)
' "$log2"

# Accepted global options.
run_urun --log-level debug spec --help
is "$status" 0 "--log-level debug accepted"
run_urun --log-level=debug spec --help
is "$status" 0 "--log-level=debug accepted"
run_urun --debug spec --help
is "$status" 0 "--debug accepted"
run_urun --systemd-cgroup spec --help
is "$status" 0 "--systemd-cgroup accepted before a command"
run_urun --cgroup-manager=disabled spec --help
is "$status" 0 "--cgroup-manager=disabled accepted"
run_urun --cgroup-manager cgroupfs spec --help
is "$status" 0 "--cgroup-manager cgroupfs accepted"
run_urun --rootless=true spec --help
is "$status" 0 "--rootless=true accepted"
run_urun --rootless auto spec --help
is "$status" 0 "--rootless auto accepted"
run_urun --systemd-cgroup --cgroup-manager=disabled --rootless=true --log-format=json spec --help
is "$status" 0 "several global options together accepted"

# Invalid values.
for opt in "--log-level x" "--cgroup-manager x" "--rootless x" "--log-format x"; do
  # shellcheck disable=SC2086 # split "option value" on purpose
  run_urun $opt state nosuch
  is "$status" 1 "$opt rejected with exit 1"
  like "$err" "${opt%% *}" "$opt: the error names the option"
done

done_testing
