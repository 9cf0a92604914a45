#!/bin/bash
# 64 threads making reflective, resource and JNI accesses (java/reliability/Stress.java) for
# SECONDS under the agent writing every second: no crash, no deadlock (the run must end within
# SECONDS + 120 s), unchanged output, and exactly the config of one thread making each access once.
#   threads.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB [SECONDS] [THREADS]
. "$(dirname "$0")/../agent/e2e/common.sh"
secs=${1:-30}
threads=${2:-64}
here=$(cd "$(dirname "$0")" && pwd)
w=$(fresh_dir threads)
E2E_CP="$w/classes"
mkdir -p "$E2E_CP"
srcs=("$here/java/reliability/Stress.java")
[ "$E2E_JNI" != - ] && srcs+=("$E2E_FIXTURES"/jni/*.java)
"$E2E_JDK/bin/javac" --release 17 -nowarn -d "$E2E_CP" "${srcs[@]}" >"$w/javac.log" 2>&1 ||
    { fail "javac:"; cat "$w/javac.log"; finish; }
cp -R "$here/java/res/." "$E2E_CP/"
run_java "$w/one" "config-output-dir=$w/one-config" reliability.Stress 1 0 "$E2E_JNI"
check_rc "$w/one" 0
start=$(date +%s)
timeout $((secs + 120)) "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
    "-agentpath:$E2E_LIB=config-output-dir=$w/many-config,config-write-period-secs=1" \
    -cp "$E2E_CP" reliability.Stress "$threads" "$secs" "$E2E_JNI" >"$w/many.out" 2>"$w/many.err"
rc=$?
if [ $rc = 124 ]; then
    fail "$threads threads: still running $((secs + 120)) s after start (deadlock?)"
elif [ $rc != 0 ]; then
    fail "$threads threads: exit code $rc:"; sed 's/^/    /' "$w/many.err" | head -n 30
fi
printf 'rounds>=%s ok\ndone\n' "$threads" | cmp -s - "$w/many.out" ||
    { fail "unexpected output:"; sed 's/^/    /' "$w/many.out"; }
[ "$(nitrace_lines "$w/many.err")" = 0 ] || { fail "the agent reported:"; grep '^nitrace:' "$w/many.err" | head; }
compare_config "$w/one-config" "$w/many-config" && validate_dir "$w/many-config"
echo "threads: $(grep -o '[0-9]* threads, [0-9]* rounds of [0-9]* accesses' "$w/many.err") in $(( $(date +%s) - start )) s on JDK $E2E_FEATURE"
finish
