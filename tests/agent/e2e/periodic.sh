#!/bin/bash
# Periodic writes while the JVM keeps running: with config-write-period-secs=1 the fixture's exact
# config appears while it still sleeps (long before it exits).
#   periodic.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
exp=$(expected_dir periodic)
w=$(fresh_dir periodic)
mkdir -p "$w/out"
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
    "-agentpath:$E2E_LIB=config-merge-dir=$w/out,config-write-period-secs=1" \
    -cp "$E2E_CP" fixtures.periodic.Main 30 >"$w/run.out" 2>"$w/run.err" &
pid=$!
same=0
for _ in $(seq 1 50); do   # up to 10 s
    sleep 0.2
    if cmp -s "$exp/reflect-config.json" "$w/out/reflect-config.json" &&
       cmp -s "$exp/resource-config.json" "$w/out/resource-config.json"; then
        same=1
        break
    fi
done
if ! kill -0 $pid 2>/dev/null; then
    fail "the JVM is no longer running (it sleeps 30 s)"
fi
if [ $same = 1 ]; then
    grep -qx READY "$w/run.out" || fail "the config was complete before the fixture printed READY"
    compare_config "$exp" "$w/out" && validate_dir "$w/out"
else
    fail "the periodic write did not produce the expected config within 10 s; have:"
    for f in "$w/out"/*.json; do echo "  $f:"; sed 's/^/    /' "$f"; done
fi
kill -TERM $pid 2>/dev/null
wait $pid 2>/dev/null
finish
