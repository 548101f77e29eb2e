#!/bin/bash
# run-fuzz.sh: runs every libFuzzer target of tests/fuzz for a bounded time
# and keeps what it finds.  Run from anywhere; needs clang (tests/setup-
# debian.sh installs it).
#
#   1. configures FUZZ_BUILD_DIR (default build-fuzz) with CC=clang,
#      -Dfuzzing=true and ASan + UBSan, and builds only the fuzz targets;
#   2. runs each target (FUZZ_TARGETS, default all five) for FUZZ_SECONDS
#      (default 30) over its seeds: corpus/<target>/ (and, for config, the
#      unit tests' spec corpus) plus a working corpus kept in the build dir,
#      so that later runs start where earlier ones stopped;
#   3. copies each crash, leak, timeout or out-of-memory input to
#      regressions/<target>/, where the fuzz-replay-<target> unit test of
#      every build replays it (fix the bug, keep the file);
#   4. prints one figure line per target and closes with
#      "N passed, N failed, N skipped" (one test per target).
#
# Exits non-zero when a target found anything or did not run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-config process state property sync}

say () { printf '==> %s\n' "$*"; }

# Why these: UBSan must abort for libFuzzer to see a finding, and leaks
# count; tests/lsan.supp names the libraries' one-time allocations.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:print_summary=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
export LC_ALL=C.UTF-8

passed=0
failed=0

if ! command -v clang >/dev/null; then
  say "clang is missing (tests/setup-debian.sh installs it)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

say "building the fuzz targets in $build (clang, -Dfuzzing=true, address,undefined)"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dintegration_tests=false -Dman=disabled >"$build.setup.log" 2>&1 \
    || { cat "$build.setup.log"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
  rm -f "$build.setup.log"
fi
ninja_targets=()
for t in $targets; do
  ninja_targets+=("tests/fuzz/fuzz-$t")
done
# Only the fuzz targets: the rest of the tree is gcc's to build.
if ! ninja -C "$build" "${ninja_targets[@]}"; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

for t in $targets; do
  work=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t
  log=$build/fuzz-$t.log
  mkdir -p "$work" "$artifacts" "$here/regressions/$t"
  rm -f "$artifacts"/*
  seeds=("$here/corpus/$t")
  [ "$t" = config ] && seeds+=("$top/tests/unit/spec-valid" "$top/tests/unit/spec-corpus")
  # -timeout: an input that takes 10 s is a hang worth keeping.
  "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  found=0
  for f in "$artifacts"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$here/regressions/$t/"
    say "fuzz-$t: kept $(basename "$f") in tests/fuzz/regressions/$t/"
    found=$((found + 1))
  done
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  units=$(find "$work" -type f | wc -l)
  say "fuzz-$t: ${execs:-?} execs in $seconds s, coverage ${cov:-?} edges (${ft:-?} features), corpus $units inputs, peak RSS ${rss:-?} MB, $found crashes"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    say "fuzz-$t failed (exit $rc); the end of $log:"
    tail -40 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
