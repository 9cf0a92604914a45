#!/usr/bin/env bash
# The reliability suites (tests/reliability/): SIGKILL, concurrent merging, 64 threads, write
# faults and bad directories, real programs, the CLI under valgrind, fuzzing.
#
#   scripts/reliability.sh [--short|--long] [--jdk HOME]... [--no-fuzz]
#
# --short (default): the versions CTest runs in CI (tests reliability.*): 6 kills, 8 JVMs x 1
#   round, 64 threads x 5 s, one fault per errno, valgrind; on JDK 17 and Temurin 25.
# --long: 200 kills, 8 JVMs x 20 rounds, 64 threads x 30 s, every errno x every operation, the
#   real programs (clojure, leiningen, groovy, jruby, jython, maven, ant; installed with apt-get
#   as root), valgrind, and every libFuzzer target for 10 minutes (.ci/fuzz.sh 600).
# --jdk HOME: run the agent suites on this JDK only (repeatable; default: JDK 17 and Temurin 25).
# Builds RelWithDebInfo in build/ (as scripts/run-tests.sh). Output: build/reliability-<level>.log;
# the last lines are the counts per suite.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
level=short
fuzz=1
jdks=()
while [ $# -gt 0 ]; do
    case $1 in
        --short) level=short ;;
        --long) level=long ;;
        --no-fuzz) fuzz=0 ;;
        --jdk) jdks+=("${2:?--jdk needs a JDK home}"); shift ;;
        -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--short|--long] [--jdk HOME]... [--no-fuzz]" >&2; exit 2 ;;
    esac
    shift
done
"$root/scripts/deps.sh" || exit 1
build=${NITRACE_BUILD:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
cmake --build "$build" -j2 -- --no-print-directory -s || exit 1

if [ $level = short ]; then
    exec ctest --test-dir "$build" --output-on-failure -j2 -R '^reliability\.'
fi

if [ ${#jdks[@]} = 0 ]; then
    jdks=(/usr/lib/jvm/java-17-openjdk-amd64)
    [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac ] && jdks+=(/usr/lib/jvm/temurin-25-jdk-amd64)
fi
lib=$build/agent/libnitrace.so
cli=$build/nitrace
shim=$build/tests/reliability/libntfaultshim.so
jni=$(find "$build/tests/agent" -maxdepth 1 -name libfixturejni.so | head -n 1)
jni=${jni:--}
t=$root/tests/reliability
e2e=$root/tests/agent/e2e
areas="reflection invoke resources bundles proxies serialization periodic"
if [ "$jni" != - ]; then areas="$areas jni"; else areas="$areas arrays"; fi
log=$build/reliability-long-$$.log
: >"$log"
status=0
summary=()
# step NAME COMMAND...: run, keep its output in the log, remember its last summary line.
step() {
    local name=$1 start rc line
    shift
    start=$(date +%s)
    echo "== $name" | tee -a "$log"
    "$@" >"$log.step" 2>&1
    rc=$?
    cat "$log.step" >>"$log"
    grep -E '^(FAIL|kill suite|concurrent merge|threads:|faults:|real programs|valgrind:|fuzz_)' "$log.step"
    line=$(grep -E '^(kill suite|concurrent merge|threads:|faults:|real programs|valgrind:)' "$log.step" | tail -n 1)
    [ $rc = 0 ] || status=1
    summary+=("$(printf '%-28s %s %5ss  %s' "$name" "$([ $rc = 0 ] && echo PASS || echo FAIL)" \
                $(( $(date +%s) - start )) "$line")")
}
for jdk in "${jdks[@]}"; do
    tag=jdk$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 |
              sed -n 's/^ *java\.specification\.version = //p')
    w=$build/tests/reliability-long/$tag
    step "kill x200 $tag" "$t/kill.sh" "$lib" "$cli" "$jdk" "$w/kill" "$jni" 200
    step "concurrent 8x20 $tag" "$e2e/concurrent_merge.sh" "$lib" "$cli" "$jdk" "$w/concurrent" "$jni" 20 $areas
    step "threads 64x30s $tag" "$t/threads.sh" "$lib" "$cli" "$jdk" "$w/threads" "$jni" 30 64
    step "faults (all) $tag" "$t/faults.sh" "$lib" "$cli" "$jdk" "$w/faults" "$jni" "$shim" long
    step "real programs $tag" "$t/real_programs.sh" "$lib" "$cli" "$jdk" "$w/real"
done
step "valgrind CLI" "$t/valgrind_cli.sh" "$cli" "$build/tests/reliability-long/valgrind"
if [ $fuzz = 1 ]; then
    step "fuzz 10 min per target" nice -n 10 "$root/.ci/fuzz.sh" 600
fi
rm -f "$log.step"
echo
echo "== reliability --long summary ($(date -u +%Y-%m-%d), log: $log)"
printf '%s\n' "${summary[@]}"
exit $status
