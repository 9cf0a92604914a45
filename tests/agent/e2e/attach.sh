#!/bin/bash
# Agent_OnAttach: a running program (fixtures/attach) gets libnitrace.so loaded through
# com.sun.tools.attach.VirtualMachine.loadAgentPath(LIB, "config-output-dir=D,config-write-period-secs=1")
# from another JVM. The accesses it makes after the attach appear in D while it runs (periodic
# write) and after it exits (final write); the one made before the attach does not; its stdout and
# exit code are those of a run without the agent; stderr has the agent's attach notice.
#   attach.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture attach
exp=$(expected_dir attach)
w=$(fresh_dir attach-jdk$E2E_FEATURE)
mkdir -p "$w/out"
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" -cp "$E2E_CP" fixtures.attach.Main "$w/stop" \
    >"$w/run.out" 2>"$w/run.err" &
pid=$!
for _ in $(seq 1 100); do   # up to 10 s
    grep -qx READY "$w/run.out" 2>/dev/null && break
    sleep 0.1
done
if ! grep -qx READY "$w/run.out"; then
    fail "the program did not print READY within 10 s"
    kill $pid 2>/dev/null
    finish
fi
if ! timeout 60 "$E2E_JDK/bin/java" -cp "$E2E_CP" fixtures.attach.Attacher "$pid" "$E2E_LIB" \
        "config-output-dir=$w/out,config-write-period-secs=1" >"$w/attach.out" 2>"$w/attach.err"; then
    fail "the attach failed:"
    sed 's/^/    /' "$w/attach.err" | head -n 20
fi
same=0
for _ in $(seq 1 150); do   # up to 30 s (retransforming the JDK on attach is slow on a loaded machine)
    if cmp -s "$exp/reflect-config.json" "$w/out/reflect-config.json" &&
       cmp -s "$exp/resource-config.json" "$w/out/resource-config.json"; then
        same=1
        break
    fi
    sleep 0.2
done
kill -0 $pid 2>/dev/null || fail "the program is no longer running"
[ $same = 1 ] || fail "the periodic write after the attach did not produce the expected config within 30 s"
touch "$w/stop"
wait $pid
echo $? >"$w/run.rc"
check_rc "$w/run" 0
printf 'before before\nREADY\ndone true\n' >"$w/want.out"
if ! cmp -s "$w/want.out" "$w/run.out"; then
    fail "stdout of the program changed:"
    diff -u "$w/want.out" "$w/run.out" | sed 's/^/    /'
fi
compare_config "$exp" "$w/out" && validate_dir "$w/out"
grep -q '^nitrace: attached to a running JVM' "$w/run.err" ||
    fail "stderr lacks the attach notice"
if [ $E2E_FAILED != 0 ]; then
    echo "program stderr:"
    sed 's/^/    /' "$w/run.err" | head -n 40
fi
finish
