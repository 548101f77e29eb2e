# lib-e2e.sh: assertions and podman helpers for the e2e scenarios (bash).
#
# Output is TAP: "ok N - desc", "not ok N - desc" with "# " diagnostics,
# "ok N # SKIP reason", and at the end the plan "1..N" and the summary line
# "# N passed, N failed, N skipped".
#
#   pm ARGS...                 podman --runtime "$URUN" ARGS..., bounded in time
#   run_pm ARGS...             runs pm, sets $status, $out (stdout+stderr)
#   ok DESC CMD...             passes when CMD exits 0
#   is GOT EXPECTED DESC       string equality
#   like GOT ERE DESC          GOT matches the extended regex
#   skip REASON                one skipped test
#   finish                     prints plan and summary, exits 0 or 1
set -u

_n=0 _pass=0 _fail=0 _skip=0
status=0 out=''
E2E_TIMEOUT=${E2E_TIMEOUT:-120}

diag ()
{
  local line
  while IFS= read -r line; do
    printf '# %s\n' "$line"
  done <<<"$*"
}

_result ()
{
  local desc=${2//#/(hash)}
  desc=${desc//$'\n'/ }
  _n=$((_n + 1))
  if [ "$1" = 1 ]; then
    _pass=$((_pass + 1))
    printf 'ok %d - %s %s\n' "$_n" "$E2E_MODE:" "$desc"
    return 0
  fi
  _fail=$((_fail + 1))
  printf 'not ok %d - %s %s\n' "$_n" "$E2E_MODE:" "$desc"
  return 1
}

ok ()
{
  local desc=$1 o rc
  shift
  o=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ]; then
    _result 1 "$desc"
    return 0
  fi
  _result 0 "$desc"
  diag "command: $*" "exit status: $rc" "$o"
  return 1
}

is ()
{
  if [ "$1" = "$2" ]; then
    _result 1 "$3"
    return 0
  fi
  _result 0 "$3"
  diag "expected: '$2'" "     got: '$1'"
  return 1
}

like ()
{
  if [[ $1 =~ $2 ]]; then
    _result 1 "$3"
    return 0
  fi
  _result 0 "$3"
  diag "expected to match: /$2/" "got: '$1'"
  return 1
}

skip ()
{
  _n=$((_n + 1))
  _skip=$((_skip + 1))
  printf 'ok %d # SKIP %s %s\n' "$_n" "$E2E_MODE:" "$1"
}

finish ()
{
  printf '1..%d\n' "$_n"
  printf '# %d passed, %d failed, %d skipped\n' "$_pass" "$_fail" "$_skip"
  [ "$_fail" -eq 0 ]
  exit $?
}

pm ()
{
  timeout -k 10 "$E2E_TIMEOUT" podman --runtime "$URUN" "$@"
}

run_pm ()
{
  out=$(pm "$@" 2>&1)
  status=$?
}

# pm_q ARGS...: pm, output only on failure (as a diagnostic).
pm_q ()
{
  local o rc
  o=$(pm "$@" 2>&1)
  rc=$?
  [ "$rc" -eq 0 ] || diag "podman $*: exit $rc" "$o"
  return "$rc"
}

# state NAME: the container's status as podman sees it.
state ()
{
  pm inspect -f '{{.State.Status}}' "$1" 2>/dev/null
}

# wait_for SECS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for ()
{
  local deadline=$((SECONDS + $1))
  shift
  while ! "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
  return 0
}

# detached NAME ARGS...: start a long-running container NAME (ARGS are extra
# run options).  Records a failure and returns 1 when it does not start.
detached ()
{
  local name=$1
  shift
  run_pm run -d --name "$name" "$@" "$IMG" sleep 100000
  if [ "$status" -ne 0 ]; then
    _result 0 "start $name for the next checks"
    diag "$out"
    return 1
  fi
  return 0
}

gone ()
{
  pm rm -f -t 0 "$@" >/dev/null 2>&1
}
