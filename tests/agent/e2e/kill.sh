#!/bin/bash
# SIGKILL after a periodic write leaves complete, valid files holding everything recorded before
# that write: the fixture prints READY after its accesses; the harness waits period + 2.5 s (3.5 s), kills
# the JVM with SIGKILL and checks the files (exact config, schema-valid). Done twice: once with
# config-merge-dir and once with config-output-dir.
#   kill.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
exp=$(expected_dir periodic)
w=$(fresh_dir kill)
for mode in config-merge-dir config-output-dir; do
    out="$w/$mode"
    mkdir -p "$out"
    "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
        "-agentpath:$E2E_LIB=$mode=$out,config-write-period-secs=1" \
        -cp "$E2E_CP" fixtures.periodic.Main 60 >"$w/$mode.out" 2>"$w/$mode.err" &
    pid=$!
    ready=0
    for _ in $(seq 1 100); do   # up to 20 s for READY
        if grep -qx READY "$w/$mode.out"; then
            ready=1
            break
        fi
        sleep 0.2
    done
    if [ $ready = 0 ]; then
        fail "$mode: the fixture never printed READY"
        kill -KILL $pid 2>/dev/null
        wait $pid 2>/dev/null
        continue
    fi
    sleep 3.5
    kill -KILL $pid
    wait $pid 2>/dev/null
    if grep -qx done "$w/$mode.out"; then
        fail "$mode: the JVM exited normally before SIGKILL"
    fi
    compare_config "$exp" "$out" && validate_dir "$out"
done
finish
