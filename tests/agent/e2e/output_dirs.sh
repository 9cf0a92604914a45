#!/bin/bash
# config-output-dir replaces what is in the directory; config-merge-dir unions with it; {pid} and
# {datetime} expand in paths.
#   output_dirs.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
exp=$(expected_dir periodic)
w=$(fresh_dir output-dirs)
pre='[
  {
    "name": "com.example.Preexisting",
    "allDeclaredFields": true
  }
]
'
# config-output-dir: the existing entry is gone, the result is exactly the fixture's config
mkdir -p "$w/out"
printf '%s' "$pre" >"$w/out/reflect-config.json"
run_java "$w/out-run" "config-output-dir=$w/out" fixtures.periodic.Main
check_rc "$w/out-run" 0 && compare_config "$exp" "$w/out" && validate_dir "$w/out"

# config-merge-dir: the union of the existing file and the fixture's config
mkdir -p "$w/merge" "$w/pre"
printf '%s' "$pre" >"$w/merge/reflect-config.json"
printf '%s' "$pre" >"$w/pre/reflect-config.json"
if ! "$E2E_NITRACE" merge -o "$w/union" --format legacy "$exp" "$w/pre" >"$w/union.log" 2>&1; then
    fail "nitrace merge of the expected union failed:"; cat "$w/union.log"
fi
run_java "$w/merge-run" "config-merge-dir=$w/merge" fixtures.periodic.Main
check_rc "$w/merge-run" 0 && compare_config "$w/union" "$w/merge" && validate_dir "$w/merge"

# a JVM writing a directory with config-output-dir and one merging into it: the output JVM
# would replace what the other merges, so the one that starts second does not start
mixed() {
    local first=$1 second=$2 name=mixed-$1
    rm -rf "$w/$name"
    mkdir -p "$w/$name"
    "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=config-$first-dir=$w/$name" \
        -cp "$E2E_CP" fixtures.periodic.Main 30 >"$w/$name-1.out" 2>"$w/$name-1.err" &
    local pid=$!
    local i
    for i in $(seq 1 150); do
        grep -q READY "$w/$name-1.out" 2>/dev/null && break
        sleep 0.2
    done
    run_java "$w/$name-2" "config-$second-dir=$w/$name" fixtures.periodic.Main
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    [ "$(cat "$w/$name-2.rc")" != 0 ] || fail "$name: a config-$second-dir JVM started beside a config-$first-dir one"
    grep -q "^nitrace: .*config-$first-dir" "$w/$name-2.err" ||
        { fail "$name: no refusal naming config-$first-dir:"; sed 's/^/    /' "$w/$name-2.err" | head -n 5; }
}
mixed output merge
mixed merge output

# {pid} and {datetime}
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
    "-agentpath:$E2E_LIB=config-output-dir=$w/p-{pid}-{datetime}" -cp "$E2E_CP" fixtures.periodic.Main \
    >"$w/pid.out" 2>"$w/pid.err" &
pid=$!
wait $pid
rc=$?
[ $rc = 0 ] || fail "exit code $rc with {pid}/{datetime} in the path"
dirs=$(cd "$w" && ls -d p-* 2>/dev/null)
if [[ ! $dirs =~ ^p-$pid-[0-9]{8}T[0-9]{6}Z$ ]]; then
    fail "expected one directory p-$pid-<yyyyMMdd'T'HHmmss'Z'>, found: ${dirs:-nothing}"
else
    compare_config "$exp" "$w/$dirs"
fi
finish
