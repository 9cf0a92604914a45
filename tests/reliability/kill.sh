#!/bin/bash
# Kill suite (see kill_suite.py): RUNS runs of the writeerr fixture under the agent writing every
# second, each killed with SIGKILL at a random instant in 0-5 s; every file left parses, validates
# and covers every version a completed write had put on disk.
#   kill.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB [RUNS] [SEED]
# RUNS defaults to 200 (the long run); CTest runs 6 with a fixed seed.
. "$(dirname "$0")/../agent/e2e/common.sh"
runs=${1:-200}
seed=${2:-}
compile_fixture writeerr
find_schemas
"$E2E_PY" "$(dirname "$0")/kill_suite.py" --lib "$E2E_LIB" --nitrace "$E2E_NITRACE" --java "$E2E_JDK" \
    --cp "$E2E_CP" --work "$E2E_WORK/kill-suite" --schemas "$E2E_SCHEMAS" \
    --validate "$E2E_TESTS/schema/validate.py" --python "$E2E_PY" --runs "$runs" \
    ${seed:+--seed "$seed"} --jvm-opt=-XX:+UnlockDiagnosticVMOptions \
    --jvm-opt=-XX:+BytecodeVerificationLocal --jvm-opt=-Xverify:all || E2E_FAILED=1
echo "(JDK $E2E_FEATURE)"
finish
