#!/bin/bash
# Three JVMs merging into one directory at the same time (two short fixtures and the periodic one,
# which writes every second while the others finish) leave the union of their single-run configs.
#   concurrent_merge.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB [ROUNDS [AREA...]]
# ROUNDS (default 1) repeats it, each time into a fresh directory; AREAs replace the three
# fixtures (tests/reliability/ runs 8 different ones, 20 rounds).
. "$(dirname "$0")/common.sh"
rounds=${1:-1}
[ $# -gt 0 ] && shift
areas=${*:-reflection invoke periodic}
w=$(fresh_dir concurrent-merge)
exps=()
cps=()
for area in $areas; do
    compile_fixture "$area"
    exps+=("$(expected_dir "$area")")
    cps+=("$E2E_CP")
done
if ! "$E2E_NITRACE" merge -o "$w/union" --format legacy "${exps[@]}" >"$w/union.log" 2>&1; then
    fail "nitrace merge of the expected configs failed:"; cat "$w/union.log"
fi
for round in $(seq 1 "$rounds"); do
rm -rf "$w/out"
mkdir -p "$w/out"
pids=()
i=0
for area in $areas; do
    E2E_CP=${cps[$i]}
    i=$((i + 1))
    args=()
    [ "$area" = periodic ] && args=(2)
    timeout 120 "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
        "-agentpath:$E2E_LIB=config-merge-dir=$w/out,config-write-period-secs=1" \
        -cp "$E2E_CP" "fixtures.$area.Main" "${args[@]}" >"$w/$area.out" 2>"$w/$area.err" &
    pids+=($!)
done
i=0
for area in $areas; do
    wait "${pids[$i]}"
    rc=$?
    [ $rc = 0 ] || { fail "$area exited with $rc"; sed 's/^/    /' "$w/$area.err"; }
    i=$((i + 1))
done
compare_config "$w/union" "$w/out" && validate_dir "$w/out" || echo "round $round failed"
done
echo "concurrent merge: $rounds rounds of $(echo $areas | wc -w) JVMs on JDK $E2E_FEATURE"
finish
