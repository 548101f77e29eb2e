#!/bin/bash
# run-all.sh: every test of urun, as CI runs them.  Run as root from the top
# of the tree after tests/setup-debian.sh (root is needed for the root suite
# and to run the rootless suite as urun-tester).
#
#   0. starts the systemd test environment (tests/systemd-env/) for the
#      systemd suite, and stops it at exit;
#   1. meson test in build/ (all suites: unit, integration-root, systemd,
#      integration-rootless, e2e (urun under real podman, tests/e2e; it
#      skips when podman is missing), e2e-clients (containerd's runc shim
#      and buildah, tests/e2e/run-clients.sh), load (tests/load), ...); the
#      figures of the load suites follow;
#   2. a sanitizer build in build-asan/ (ASan + UBSan, LeakSanitizer on) and
#      its unit and integration suites (DESIGN.md §7);
#   3. the fuzz targets (tests/fuzz/run-fuzz.sh: clang, libFuzzer, in
#      build-fuzz/), FUZZ_SECONDS (default 30) each;
#   4. Valgrind's memcheck over the unit suite of build/ and a smoke of the
#      CLI (tests/valgrind.supp);
#   5. one closing line "N passed, N failed, N skipped" over all runs.
#
# Exits non-zero when anything failed.  RUN_ALL_BUILD_DIR and
# RUN_ALL_ASAN_DIR override the two build directories.
set -uo pipefail

build=${RUN_ALL_BUILD_DIR:-build}
asan=${RUN_ALL_ASAN_DIR:-build-asan}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

say () { printf '==> %s\n' "$*"; }

# UBSan only reports by default; make every finding fail the test.  Leak
# checking stays on; tests/lsan.supp names the one-time allocations of
# libraries that are not ours.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:print_summary=1:detect_stack_use_after_return=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}

passed=0
failed=0
skipped=0

# tally DIR LABEL RC [LOGBASE]: add the results in
# DIR/meson-logs/LOGBASE.json (default testlog); a non-zero RC of meson
# test with no failed test in the log counts as one failure (meson itself
# failed).
tally ()
{
  local log=$1/meson-logs/${4:-testlog}.json counts p f s
  if [ ! -s "$log" ]; then
    say "$2: no test results (did the build fail?)"
    failed=$((failed + 1))
    return
  fi
  counts=$(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line).get("result", "")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        s += 1
    else:  # FAIL, UNEXPECTEDPASS, TIMEOUT, ERROR, INTERRUPT, ...
        f += 1
print(p, f, s)
PY
) || { say "$2: cannot read $log"; failed=$((failed + 1)); return; }
  read -r p f s <<<"$counts"
  say "$2: $p passed, $f failed, $s skipped"
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
    say "$2: meson test exited with $3"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

# setup DIR ARGS...: configure DIR, or reconfigure it with ARGS.
setup ()
{
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

# ---- 0. the systemd test environment (tests/systemd-env/) ------------------
# A real systemd (system + user manager) in an nspawn container over the
# host's root, for the systemd suite (tests/systemd-env/run-in-env.sh
# sends each test what it needs as a tar stream).  Stopped on exit.  This machine can always
# run it, so a failure to start is a failure of the run, not a skip (the
# suite itself would only skip, with the reason).
sdenv_failed=0
say "starting the systemd test environment"
if SDENV_INSTALL=0 tests/systemd-env/start-systemd-env.sh >/tmp/urun-sdenv.$$.log 2>&1; then
  trap 'tests/systemd-env/stop-systemd-env.sh >/dev/null 2>&1' EXIT
else
  say "the systemd test environment did not start:"
  sed 's/^/    /' /tmp/urun-sdenv.$$.log
  sdenv_failed=1
fi
rm -f /tmp/urun-sdenv.$$.log

# ---- 1. the main build, every suite --------------------------------------
say "meson test -C $build (all suites)"
rm -f "$build/meson-logs/testlog.json"
rc=1
if setup "$build"; then
  meson test -C "$build" --print-errorlogs
  rc=$?
fi
tally "$build" "$build" "$rc"

# ---- 2. the sanitizer build, unit and integration suites -----------------
say "meson test -C $asan (address,undefined sanitizers: unit, integration)"
rm -f "$asan/meson-logs/testlog.json"
rc=1
if setup "$asan" -Db_sanitize=address,undefined -Db_lundef=false -Dintegration_tests=true; then
  meson test -C "$asan" --suite unit --suite integration-root --suite integration-rootless \
    --print-errorlogs
  rc=$?
fi
tally "$asan" "$asan" "$rc"

# The load suites' figures (leaks counted, times, fds, RSS).
grep -h '^# figure:' "$build/meson-logs/testlog.txt" 2>/dev/null | sed 's/^# figure: /    /'

# ---- 3. the fuzz targets -------------------------------------------------------
say "tests/fuzz/run-fuzz.sh (${FUZZ_SECONDS:-30} s a target)"
fuzz_out=$(mktemp)
tests/fuzz/run-fuzz.sh 2>&1 | tee "$fuzz_out" | grep -E '^(==>|[0-9]+ passed)' | grep -v '^==> building'
rc=${PIPESTATUS[0]}
if read -r p _ f _ s _ < <(tail -1 "$fuzz_out") && [[ $p =~ ^[0-9]+$ ]]; then
  say "fuzz: $p passed, $f failed, $s skipped"
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
else
  say "fuzz: run-fuzz.sh gave no results (exit $rc)"
  failed=$((failed + 1))
fi
rm -f "$fuzz_out"

# ---- 4. Valgrind ------------------------------------------------------------------
# Why not every unit test: Valgrind cannot host seccomp filters
# (test-seccomp, test-plan-security), and test-state's create race counts
# its forked racers' exit codes, which memcheck's --error-exitcode changes
# (run here without that one case).
say "valgrind (memcheck) over the unit suite of $build and the CLI"
vg=(valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --child-silent-after-fork=yes --quiet
    "--suppressions=$top/tests/valgrind.supp")
# meson names the log after the logbase and the wrapper.
rm -f "$build/meson-logs/valgrind-valgrind.json"
mapfile -t vg_tests < <(meson test -C "$build" --list --suite unit 2>/dev/null \
  | sed -n 's|^urun:unit / ||p' | grep -vxE 'test-seccomp|test-plan-security|test-state|translation|completions')
G_SLICE=always-malloc meson test -C "$build" --logbase valgrind --timeout-multiplier 5 \
  --wrap="${vg[*]}" "${vg_tests[@]}" --print-errorlogs >/dev/null
rc=$?
tally "$build" "$build (valgrind, unit)" "$rc" valgrind-valgrind
vg_p=0 vg_f=0
vg_state=$(mktemp -d)
vg_case ()
{
  local what=$1
  shift
  if "${vg[@]}" "$@" >/dev/null 2>"$vg_state/err"; then
    vg_p=$((vg_p + 1))
  else
    vg_f=$((vg_f + 1))
    say "valgrind: $what failed:"
    sed 's/^/    /' "$vg_state/err" | tail -30
  fi
}
vg_case "test-state" "$build/tests/unit/test-state" -s /state/create-race
vg_case "urun --version" "$build/src/cli/urun" --version
vg_case "urun features" "$build/src/cli/urun" features
vg_case "urun spec" "$build/src/cli/urun" spec --bundle "$vg_state"
vg_case "urun list" "$build/src/cli/urun" --root "$vg_state/root" list
# A refused config: the error path frees what it built.  Exit 99 is
# memcheck's; urun's own failure is 1.
mkdir -p "$vg_state/bad"
echo '{"ociVersion": "1.2.0", "process": {"cwd": "relative"}}' >"$vg_state/bad/config.json"
"${vg[@]}" --error-exitcode=99 "$build/src/cli/urun" --root "$vg_state/root" \
  create --bundle "$vg_state/bad" vg >/dev/null 2>"$vg_state/err"
if [ $? -eq 1 ]; then
  vg_p=$((vg_p + 1))
else
  vg_f=$((vg_f + 1))
  say "valgrind: create of a bad config:"
  sed 's/^/    /' "$vg_state/err" | tail -30
fi
rm -rf "$vg_state"
say "valgrind (CLI): $vg_p passed, $vg_f failed, 0 skipped"
passed=$((passed + vg_p))
failed=$((failed + vg_f))

failed=$((failed + sdenv_failed))

# ---- 5. summary ----------------------------------------------------------
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
