#!/bin/bash
# End-to-end test of one fixture on one JDK:
#   run_fixture.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB AREA
# Compiles fixtures/AREA (javac --release 17, cached), runs fixtures.AREA.Main once without and
# once with -agentpath:LIB=config-merge-dir=OUT,config-write-period-secs=1 (OUT fresh and empty),
# and checks: same stdout and exit code (0) in both runs; every file the agent wrote is
# byte-identical to fixtures/AREA/expected/ (expected-25/ on JDK 25+ when present) and nothing is
# missing or extra; every written file validates against GraalVM's schemas.
. "$(dirname "$0")/common.sh"
area=${1:?area}
[ -d "$E2E_FIXTURES/$area" ] || { echo "SETUP: no fixture $area" >&2; exit 2; }
compile_fixture "$area"
w=$(fresh_dir "run-$area-jdk$E2E_FEATURE")
out="$w/config"
mkdir -p "$out"
run_java "$w/plain" "" "fixtures.$area.Main"
run_java "$w/agent" "config-merge-dir=$out,config-write-period-secs=1" "fixtures.$area.Main"
check_rc "$w/plain" 0
check_rc "$w/agent" 0
if ! cmp -s "$w/plain.out" "$w/agent.out"; then
    fail "stdout with the agent differs from stdout without it:"
    diff -u "$w/plain.out" "$w/agent.out" | sed 's/^/    /'
fi
exp=$(expected_dir "$area")
compare_config "$exp" "$out"
validate_dir "$out"
if [ $E2E_FAILED != 0 ] && [ -s "$w/agent.err" ]; then
    echo "agent run stderr:"
    sed 's/^/    /' "$w/agent.err" | head -n 40
fi
finish
