#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and run each one
# for SECONDS seconds, one after the other.
#
#   .ci/fuzz.sh [SECONDS]        (default 20; CI uses ~20, by hand use 300)
#
# Environment:
#   NITRACE_FUZZ_BUILD     build directory      (default <repo>/build-fuzz)
#   NITRACE_FUZZ_OPTIONAL  =1: exit 0 when clang or libFuzzer is missing
#   NITRACE_FUZZ_TARGETS   space-separated subset of targets (default: all)
#   NITRACE_FUZZ_JOBS      parallel build jobs (default 2)
#   NITRACE_FUZZ_CC        the clang to use (default clang)
#   NITRACE_FUZZ_SEED      libFuzzer -seed (CI fixes it so that a run explores the same inputs every
#                          time; unset: a random seed, as for the long runs by hand)
#   NITRACE_FUZZ_EXTRA_FLAGS  extra compile flags for the fuzz build (local triage,
#                          e.g. -fno-sanitize=pointer-overflow; CI leaves it empty)
#
# Each target fuzzes a scratch copy of its seed corpus (tests/fuzz/corpus/<t>/
# is never modified) with its dictionary tests/fuzz/<t>.dict when present.
# A crash, leak, sanitizer report or timeout is a finding: the reproducer is
# written to $NITRACE_FUZZ_BUILD/artifacts/<t>/ and the script exits 1.
# One summary line per target is printed at the end.
set -u

secs=${1:-20}
case $secs in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=${NITRACE_FUZZ_BUILD:-$root/build-fuzz}
jobs=${NITRACE_FUZZ_JOBS:-2}

skip() {
  echo "fuzz: $1" >&2
  if [ "${NITRACE_FUZZ_OPTIONAL:-0}" = 1 ]; then
    echo "fuzz: skipped (NITRACE_FUZZ_OPTIONAL=1)" >&2
    exit 0
  fi
  echo "fuzz: failing; set NITRACE_FUZZ_OPTIONAL=1 to make this optional" >&2
  exit 1
}

cc=${NITRACE_FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || skip "$cc not found (install clang and libclang-rt-14-dev)"

# Is the libFuzzer runtime there? (Debian: libclang-rt-<ver>-dev.)
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
  >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
  cat "$probe/log" >&2
  skip "$cc cannot link -fsanitize=fuzzer (libFuzzer runtime missing: install libclang-rt-14-dev)"
fi

mkdir -p "$build"
echo "fuzz: configuring $build with $cc" >&2
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNITRACE_FUZZ=ON -DNITRACE_FUZZ_EXTRA_FLAGS="${NITRACE_FUZZ_EXTRA_FLAGS:-}" \
  >"$build/fuzz-configure.log" 2>&1 || {
  cat "$build/fuzz-configure.log" >&2; echo "fuzz: cmake configure failed" >&2; exit 1; }

targets=${NITRACE_FUZZ_TARGETS:-}
if [ -z "$targets" ]; then
  for src in "$root"/tests/fuzz/fuzz_*.c; do
    [ -e "$src" ] || continue
    t=${src##*/fuzz_}
    targets="$targets ${t%.c}"
  done
fi
[ -n "$targets" ] || { echo "fuzz: no targets in tests/fuzz/" >&2; exit 1; }

bins=""
for t in $targets; do bins="$bins fuzz_$t"; done
echo "fuzz: building$bins" >&2
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $bins >"$build/fuzz-build.log" 2>&1 || {
  tail -50 "$build/fuzz-build.log" >&2; echo "fuzz: build failed" >&2; exit 1; }
if grep -q 'warning:' "$build/fuzz-build.log"; then
  echo "fuzz: clang warnings while building (see $build/fuzz-build.log):" >&2
  grep 'warning:' "$build/fuzz-build.log" | sort -u | head -20 >&2
fi

status=0
summary=""
for t in $targets; do
  bin="$build/tests/fuzz/fuzz_$t"
  seeds="$root/tests/fuzz/corpus/$t"
  work="$build/corpus/$t"
  art="$build/artifacts/$t"
  log="$build/fuzz_$t.log"
  # With a fixed seed, start from the seed corpus alone so that the run is repeatable.
  [ -n "${NITRACE_FUZZ_SEED:-}" ] && rm -rf "$work"
  mkdir -p "$work" "$art"
  dict=()
  [ -f "$root/tests/fuzz/$t.dict" ] && dict=("-dict=$root/tests/fuzz/$t.dict")
  seed_dirs=()
  [ -d "$seeds" ] && seed_dirs=("$seeds")
  echo "fuzz: running fuzz_$t for ${secs}s (log: $log)" >&2
  start=$(date +%s)
  seed_opt=()
  [ -n "${NITRACE_FUZZ_SEED:-}" ] && seed_opt=("-seed=$NITRACE_FUZZ_SEED")
  "$bin" "$work" "${seed_dirs[@]}" "${dict[@]}" "${seed_opt[@]}" \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$art/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(find "$work" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    line=$(printf 'fuzz_%-8s OK    %4ss  execs=%s cov=%s ft=%s corpus=%s' \
      "$t" "$elapsed" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp")
  else
    status=1
    repro=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)[^(]*|runtime error:.*|fuzz_[a-z]+: .*' "$log" | head -1)
    line=$(printf 'fuzz_%-8s FAIL  %4ss  exit=%s %s reproducer=%s' \
      "$t" "$elapsed" "$rc" "${what:-see log}" "${repro:-none}")
    tail -40 "$log" >&2
  fi
  summary="$summary$line"$'\n'
done

printf '%s' "$summary"
exit "$status"
