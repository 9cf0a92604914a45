#!/usr/bin/env bash
# Build nitrace and run every test (the README's test command; CI runs it too).
#   scripts/run-tests.sh
# Steps: install missing Debian packages, ASan+UBSan build of lib/ and tools/
# with the unit and CLI tests, a short libFuzzer run of every fuzz target, then
# the regular build with the full CTest suite (unit, golden CLI, schema, agent).
# Environment: NITRACE_FUZZ_SECONDS (default 15 per target, 0 skips fuzzing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
jobs=$(nproc 2>/dev/null || echo 2)

echo "== sanitizer build (ASan + UBSan): unit and CLI tests =="
san="$root/build-asan"
cmake -S "$root" -B "$san" -DCMAKE_BUILD_TYPE=Debug -DNITRACE_SANITIZE=ON >/dev/null
cmake --build "$san" -j"$jobs" -- --no-print-directory -s
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$san" --output-on-failure -j"$jobs" -R '^(unit\.|golden|schema|fuzz\.replay)'

fuzz_seconds=${NITRACE_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" != 0 ] && [ -x "$root/.ci/fuzz.sh" ]; then
  echo "== libFuzzer: ${fuzz_seconds}s per target =="
  # A fixed seed keeps this short run repeatable; long random runs: .ci/fuzz.sh 300 by hand.
  NITRACE_FUZZ_SEED=${NITRACE_FUZZ_SEED:-1} "$root/.ci/fuzz.sh" "$fuzz_seconds"
fi

echo "== build and full test suite =="
build="$root/build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" -- --no-print-directory -s
ctest --test-dir "$build" --output-on-failure -j"$jobs"
