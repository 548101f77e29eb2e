# lib.sh: a small TAP library for urun's integration tests (bash).
#
# Source it from a test script:   . "$(dirname "$0")/lib.sh"
# Test scripts run under `set -u`, never `set -e`: a failed command is an
# assertion's business, not a reason to stop.
#
# Assertions (each prints one "ok N - desc" / "not ok N - desc" line, with
# "# " diagnostics on failure, and returns 0 on pass, 1 on failure):
#   ok "desc" CMD ARGS...        passes when CMD exits 0
#   fails "desc" CMD ARGS...     passes when CMD exits non-zero
#   is "got" "expected" "desc"   string equality
#   like "got" "ERE" "desc"      got matches the extended regex (bash =~)
#   unlike "got" "ERE" "desc"    got does not match
#   skip "reason"                prints "ok N # SKIP reason"
# Plan and output:
#   plan N                       prints "1..N" up front (optional)
#   done_testing                 prints "1..N" if no plan was given, then
#                                exits 0 when everything passed, else 1
#   skip_all "reason"            prints "1..0 # SKIP reason" and exits 0
#   diag "msg"                   prints each line of msg as "# msg"
# urun:
#   run_urun ARGS...             runs "$URUN" --root "$URUN_TEST_STATE_ROOT"
#                                ARGS..., sets $status, $out (stdout) and $err
#                                (stderr; trailing newlines stripped as by
#                                $(...)).  Never aborts.  stdin is inherited.
#   make_bundle DIR              DIR/rootfs = copy of $URUN_TEST_ROOTFS, then
#                                `urun spec --bundle DIR` (+ --rootless in
#                                rootless mode).  On failure it records a
#                                failing test and returns 1.
#   edit_config DIR PYCODE       runs PYCODE with python3 on DIR/config.json
#                                loaded as the dict `c`, and writes it back,
#                                e.g. edit_config "$b" 'c["process"]["args"] = ["true"]'
#
# Environment (set by run-test.sh): URUN, URUN_TEST_MODE (root|rootless),
# URUN_TEST_TMPDIR, URUN_TEST_STATE_ROOT, URUN_TEST_ROOTFS, URUN_TEST_DIR,
# and URUN_TEST_MKSTATE when that fixture tool is built.

set -u

_tap_n=0
_tap_failed=0
_tap_planned=

: "${URUN_TEST_MODE:=root}"
: "${URUN_TEST_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
if [ -z "${URUN_TEST_TMPDIR:-}" ]; then
  URUN_TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/urun-test.XXXXXX")
  # Nobody else will clean a directory we made for ourselves.
  trap 'rm -rf --one-file-system "$URUN_TEST_TMPDIR"' EXIT
fi
: "${URUN_TEST_STATE_ROOT:=$URUN_TEST_TMPDIR/state}"
export URUN_TEST_MODE URUN_TEST_DIR URUN_TEST_TMPDIR URUN_TEST_STATE_ROOT

# The results of the last run_urun, for the test script to read.
# shellcheck disable=SC2034
status=0 out='' err=''

diag ()
{
  local line
  while IFS= read -r line; do
    printf '# %s\n' "$line"
  done <<<"$*"
}

plan ()
{
  _tap_planned=$1
  printf '1..%s\n' "$1"
}

_tap_result ()
{
  # _tap_result PASSED DESC.  A "#" would start a TAP directive and a newline
  # a new TAP line, so neither may reach the description.
  local desc=${2//#/(hash)}
  desc=${desc//$'\n'/ }
  _tap_n=$((_tap_n + 1))
  if [ "$1" = 1 ]; then
    printf 'ok %d - %s\n' "$_tap_n" "$desc"
    return 0
  fi
  _tap_failed=$((_tap_failed + 1))
  printf 'not ok %d - %s\n' "$_tap_n" "$desc"
  return 1
}

# Diagnostics for a failed assertion: the caller's location and, when the
# last thing run was urun, its stderr.
_tap_where ()
{
  diag "  at ${BASH_SOURCE[2]##*/} line ${BASH_LINENO[1]}"
}

_tap_run_captured ()
{
  # Runs "$@" with stdout+stderr in a file, so that a command's chatter never
  # lands in the TAP stream.  Sets _tap_rc and _tap_output.
  local f
  f=$(mktemp "$URUN_TEST_TMPDIR/.cmd.XXXXXX")
  "$@" >"$f" 2>&1
  _tap_rc=$?
  _tap_output=$(tail -n 30 "$f")
  rm -f "$f"
}

ok ()
{
  local desc=$1
  shift
  _tap_run_captured "$@"
  if [ "$_tap_rc" -eq 0 ]; then
    _tap_result 1 "$desc"
    return 0
  fi
  _tap_result 0 "$desc"
  _tap_where
  diag "  command: $*"
  diag "  exited with $_tap_rc; output:"
  [ -n "$_tap_output" ] && diag "$_tap_output"
  return 1
}

fails ()
{
  local desc=$1
  shift
  _tap_run_captured "$@"
  if [ "$_tap_rc" -ne 0 ]; then
    _tap_result 1 "$desc"
    return 0
  fi
  _tap_result 0 "$desc"
  _tap_where
  diag "  command: $*"
  diag "  exited with 0 but should have failed; output:"
  [ -n "$_tap_output" ] && diag "$_tap_output"
  return 1
}

_tap_show_urun ()
{
  if [ -n "${_tap_last_urun:-}" ]; then
    diag "  last urun: $_tap_last_urun (status $status)"
    [ -n "$err" ] && diag "  stderr: $err"
  fi
}

is ()
{
  if [ "$1" = "$2" ]; then
    _tap_result 1 "$3"
    return 0
  fi
  _tap_result 0 "$3"
  _tap_where
  diag "       got: '$1'"
  diag "  expected: '$2'"
  _tap_show_urun
  return 1
}

like ()
{
  if [[ $1 =~ $2 ]]; then
    _tap_result 1 "$3"
    return 0
  fi
  _tap_result 0 "$3"
  _tap_where
  diag "           got: '$1'"
  diag "  doesn't match: /$2/"
  _tap_show_urun
  return 1
}

unlike ()
{
  if ! [[ $1 =~ $2 ]]; then
    _tap_result 1 "$3"
    return 0
  fi
  _tap_result 0 "$3"
  _tap_where
  diag "          got: '$1'"
  diag "  but matches: /$2/"
  _tap_show_urun
  return 1
}

skip ()
{
  _tap_n=$((_tap_n + 1))
  printf 'ok %d # SKIP %s\n' "$_tap_n" "$1"
}

skip_all ()
{
  printf '1..0 # SKIP %s\n' "$1"
  exit 0
}

done_testing ()
{
  if [ -z "$_tap_planned" ]; then
    printf '1..%d\n' "$_tap_n"
  elif [ "$_tap_planned" -ne "$_tap_n" ]; then
    diag "planned $_tap_planned tests but ran $_tap_n"
    exit 1
  fi
  if [ "$_tap_failed" -gt 0 ]; then
    diag "failed $_tap_failed of $_tap_n tests"
    exit 1
  fi
  exit 0
}

run_urun ()
{
  local o e
  o=$(mktemp "$URUN_TEST_TMPDIR/.out.XXXXXX")
  e=$(mktemp "$URUN_TEST_TMPDIR/.err.XXXXXX")
  _tap_last_urun="urun $*"
  "$URUN" --root "$URUN_TEST_STATE_ROOT" "$@" >"$o" 2>"$e"
  status=$?
  # shellcheck disable=SC2034
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
  return 0
}

make_bundle ()
{
  local dir=$1
  local args=(spec --bundle "$dir")
  [ "$URUN_TEST_MODE" = rootless ] && args+=(--rootless)

  if ! mkdir -p "$dir" || ! cp -a "$URUN_TEST_ROOTFS" "$dir/rootfs"; then
    _tap_result 0 "make_bundle $dir"
    _tap_where
    diag "  could not copy $URUN_TEST_ROOTFS to $dir/rootfs"
    return 1
  fi
  run_urun "${args[@]}"
  if [ "$status" -ne 0 ] || [ ! -s "$dir/config.json" ]; then
    _tap_result 0 "make_bundle $dir: \`urun ${args[*]}\` failed"
    _tap_where
    diag "  urun spec exited with $status and is needed to build bundles"
    [ -n "$err" ] && diag "  stderr: $err"
    return 1
  fi
  return 0
}

edit_config ()
{
  local dir=$1 code=$2
  if ! python3 - "$dir/config.json" "$code" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code, {"c": c, "json": json})
with open(path + ".tmp", "w") as f:
    json.dump(c, f, indent=2)
import os
os.replace(path + ".tmp", path)
PY
  then
    _tap_result 0 "edit_config $dir"
    _tap_where
    diag "  code: $code"
    return 1
  fi
  return 0
}
