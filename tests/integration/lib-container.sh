# shellcheck shell=bash
# lib-container.sh: helpers for the tests that run containers.  Source it
# after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/lib-container.sh"
#
# Bundles:
#   new_bundle NAME ARGS...     makes $URUN_TEST_TMPDIR/NAME (make_bundle),
#                               sets process.args to ARGS (default: the
#                               helper's report), terminal and
#                               root.readonly to false;
#                               prints nothing, sets $bundle.  Returns 1
#                               (after a failed assertion) when it fails.
#   set_args DIR ARGS...        process.args = ARGS
# Reports:
#   json_check DESC JSON PY     passes when the Python statements PY, run with
#                               the parsed JSON as `r`, raise nothing; on
#                               failure the assertion message is printed
#   json_get JSON EXPR          prints the Python expression EXPR of `r`
#                               (strings bare, everything else as JSON)
#   host_ns TYPE                the inode string of /proc/self/ns/TYPE
# Processes and leftovers:
#   wait_for_file FILE [SECS]   waits until FILE exists (default 10 s)
#   wait_status ID STATUS [SECS]  waits until `urun state ID` says STATUS
#   no_leftovers DESC BUNDLE ID   asserts: no state entry for ID, no process
#                               of the container (its init before execve is
#                               found by its command line, which names the
#                               state root and ID; its payload by a root or
#                               cwd that is BUNDLE/rootfs, compared by device
#                               and inode) and no mount under BUNDLE.
#   state_entries               the names in the state root, space-separated
# Clean-up: an EXIT trap deletes (--force) every container left in the
# state root, so that a failed assertion leaves nothing running.

_lc_cleanup ()
{
  local d
  if [ -d "$URUN_TEST_STATE_ROOT" ]; then
    for d in "$URUN_TEST_STATE_ROOT"/*/; do
      [ -d "$d" ] || continue
      timeout 20 "$URUN" --root "$URUN_TEST_STATE_ROOT" delete --force "$(basename "$d")" \
        >/dev/null 2>&1
    done
  fi
  # Background jobs a test started and did not wait for.
  local j
  for j in $(jobs -p); do
    kill -KILL "$j" 2>/dev/null
  done
}
_lc_prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
# shellcheck disable=SC2064 # expand the previous trap now
trap "_lc_cleanup; ${_lc_prev_trap:-:}" EXIT

state_entries ()
{
  local d names=()
  for d in "$URUN_TEST_STATE_ROOT"/*; do
    [ -e "$d" ] && names+=("$(basename "$d")")
  done
  printf '%s' "${names[*]}"
}

set_args ()
{
  local dir=$1
  shift
  edit_config "$dir" "c['process']['args'] = $(python3 -c 'import sys; print(repr(sys.argv[1:]))' "$@")"
}

new_bundle ()
{
  local name=$1
  shift
  bundle=$URUN_TEST_TMPDIR/$name
  make_bundle "$bundle" || return 1
  if [ $# -eq 0 ]; then
    set -- urun-test-helper report
  fi
  set_args "$bundle" "$@" || return 1
  # A writable root: payloads leave ready files in its /tmp for the test.
  edit_config "$bundle" 'c["process"]["terminal"] = False; c["root"]["readonly"] = False'
}

json_check ()
{
  local desc=$1 json=$2 code=$3 msg
  if msg=$(python3 - "$json" "$code" 2>&1 <<'PY'
import json, sys, traceback
try:
    r = json.loads(sys.argv[1])
except ValueError as e:
    print("not JSON: %s: %r" % (e, sys.argv[1][:500]))
    sys.exit(1)
try:
    exec(sys.argv[2], {"r": r, "json": json})
except AssertionError as e:
    tb = traceback.extract_tb(sys.exc_info()[2])[-1]
    print("assertion failed at line %s: %s" % (tb.lineno, tb.line or ""))
    print("  %s" % e)
    sys.exit(1)
except Exception as e:
    print("%s: %s" % (type(e).__name__, e))
    sys.exit(1)
PY
  ); then
    _tap_result 1 "$desc"
    return 0
  fi
  _tap_result 0 "$desc"
  diag "  at ${BASH_SOURCE[1]##*/} line ${BASH_LINENO[0]}"
  diag "$msg"
  _tap_show_urun
  return 1
}

json_get ()
{
  python3 -c '
import json, sys
r = json.loads(sys.argv[1])
v = eval(sys.argv[2], {"r": r})
print(v if isinstance(v, str) else json.dumps(v))
' "$1" "$2" 2>/dev/null
}

host_ns ()
{
  readlink "/proc/self/ns/$1"
}

wait_for_file ()
{
  local f=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 20; i++)); do
    [ -e "$f" ] && return 0
    sleep 0.05
  done
  return 1
}

wait_status ()
{
  local id=$1 want=$2 secs=${3:-10} i s
  for ((i = 0; i < secs * 20; i++)); do
    s=$("$URUN" --root "$URUN_TEST_STATE_ROOT" state "$id" 2>/dev/null \
          | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])' 2>/dev/null)
    [ "$s" = "$want" ] && return 0
    sleep 0.05
  done
  return 1
}

# Prints what is left of container ID of BUNDLE, one line each; empty when
# nothing.  Waits up to 3 s for processes that are on their way out.
leftovers ()
{
  python3 - "$1" "$URUN_TEST_STATE_ROOT" "$2" <<'PY'
import os, sys, time
bundle, state_root, cid = sys.argv[1:4]
rootfs = os.path.join(bundle, "rootfs")
try:
    st = os.stat(rootfs)
    key = (st.st_dev, st.st_ino)
except OSError:
    key = None
me = os.getpid()

def processes():
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == me:
            continue
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        line = b" ".join(argv).decode("utf-8", "replace").strip()
        if state_root.encode() in b" ".join(argv) and cid.encode() in argv \
           and b"delete" not in argv and b"state" not in argv:
            found.append("process %s (urun or init before execve): %s" % (p, line))
            continue
        if key is None:
            continue
        for link in ("root", "cwd"):
            try:
                s = os.stat("/proc/%s/%s" % (p, link))
            except OSError:
                continue
            if (s.st_dev, s.st_ino) == key:
                found.append("process %s with %s in the bundle's rootfs: %s" % (p, link, line))
                break
    return found

def mounts():
    found = []
    prefix = os.path.realpath(bundle).rstrip("/") + "/"
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mp = line.split()[4].encode().decode("unicode_escape")
            if (mp + "/").startswith(prefix):
                found.append("mount %s" % mp)
    return found

deadline = time.time() + 3
while True:
    left = processes()
    if not left or time.time() > deadline:
        break
    time.sleep(0.05)
left += mounts()
if os.path.lexists(os.path.join(state_root, cid)):
    left.append("state entry %s/%s: %s" % (state_root, cid,
                sorted(os.listdir(os.path.join(state_root, cid)))
                if os.path.isdir(os.path.join(state_root, cid)) else "?"))
for l in left:
    print(l)
PY
}

no_leftovers ()
{
  local desc=$1 left
  left=$(leftovers "$2" "$3")
  if [ -z "$left" ]; then
    _tap_result 1 "$desc"
    return 0
  fi
  _tap_result 0 "$desc"
  diag "  at ${BASH_SOURCE[1]##*/} line ${BASH_LINENO[0]}"
  diag "$left"
  return 1
}

# todo DESC REASON CMD...: an assertion on a known bug.  Prints
# "not ok N - DESC # TODO REASON" while CMD fails, and "ok N - DESC # TODO
# REASON" (an unexpected pass: time to drop the TODO) once it succeeds;
# neither counts as a failure.
todo ()
{
  local desc=${1//#/(hash)} reason=$2
  shift 2
  _tap_n=$((_tap_n + 1))
  if "$@" >/dev/null 2>&1; then
    printf 'ok %d - %s # TODO %s\n' "$_tap_n" "$desc" "$reason"
  else
    printf 'not ok %d - %s # TODO %s\n' "$_tap_n" "$desc" "$reason"
  fi
  return 0
}
