#!/bin/bash
# Without output options the agent writes to native-image-agent_config-pid{pid}-{datetime}/ in the
# current directory (GraalVM's default), holding the fixture's exact config.
#   default_dir.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
exp=$(expected_dir periodic)
w=$(fresh_dir default-dir)
(cd "$w" && exec "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB" \
    -cp "$E2E_CP" fixtures.periodic.Main >"$w/run.out" 2>"$w/run.err") &
pid=$!
wait $pid
rc=$?
[ $rc = 0 ] || { fail "exit code $rc without options"; sed 's/^/    /' "$w/run.err"; }
dirs=$(cd "$w" && ls -d native-image-agent_config-* 2>/dev/null)
if [[ ! $dirs =~ ^native-image-agent_config-pid$pid-[0-9]{8}T[0-9]{6}Z$ ]]; then
    fail "expected one directory native-image-agent_config-pid$pid-<datetime>, found: ${dirs:-nothing}"
else
    compare_config "$exp" "$w/$dirs" && validate_dir "$w/$dirs"
fi
finish
