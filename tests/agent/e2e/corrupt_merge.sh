#!/bin/bash
# A reflect-config.json that does not parse in the merge directory stays byte-identical and is
# reported on stderr with a line starting "nitrace:"; the program itself runs unchanged.
#   corrupt_merge.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
w=$(fresh_dir corrupt-merge)
mkdir -p "$w/out"
printf '[\n  {\n    "name": "com.example.Cut",\n' >"$w/out/reflect-config.json"
cp "$w/out/reflect-config.json" "$w/orig.json"
run_java "$w/plain" "" fixtures.periodic.Main
run_java "$w/agent" "config-merge-dir=$w/out,config-write-period-secs=1" fixtures.periodic.Main
check_rc "$w/agent" 0
cmp -s "$w/plain.out" "$w/agent.out" || fail "stdout differs from a run without the agent"
cmp -s "$w/orig.json" "$w/out/reflect-config.json" || {
    fail "the corrupt reflect-config.json was changed:"
    diff -u "$w/orig.json" "$w/out/reflect-config.json" | sed 's/^/    /'
}
if [ "$(nitrace_lines "$w/agent.err")" -lt 1 ]; then
    fail "no stderr line starts with 'nitrace:':"
    sed 's/^/    /' "$w/agent.err"
elif ! grep '^nitrace:' "$w/agent.err" | grep -q 'reflect-config.json'; then
    fail "no 'nitrace:' line names reflect-config.json:"
    sed 's/^/    /' "$w/agent.err"
fi
# whatever else the agent wrote is valid
others=()
for f in "$w/out"/*.json; do
    [ "$(basename "$f")" = reflect-config.json ] || others+=("$f")
done
if [ ${#others[@]} -gt 0 ]; then
    find_schemas
    "$E2E_PY" "$E2E_TESTS/schema/validate.py" --schemas "$E2E_SCHEMAS" "${others[@]}" >"$w/v.log" 2>&1 ||
        { fail "invalid files written beside the corrupt one:"; sed 's/^/    /' "$w/v.log"; }
fi
finish
