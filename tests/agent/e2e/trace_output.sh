#!/bin/bash
# trace-output writes one JSON array of trace events; `nitrace merge` turns it into the same config
# the agent writes with config-output-dir (and the fixture's expected config).
#   trace_output.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
w=$(fresh_dir trace-output)
for area in reflection jni; do
    compile_fixture "$area"
    run_java "$w/$area-trace" "trace-output=$w/$area-trace.json" "fixtures.$area.Main"
    check_rc "$w/$area-trace" 0 || continue
    if ! "$E2E_PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and d, "not a non-empty JSON array"
assert all(isinstance(e, dict) and "tracer" in e for e in d), "an element is not a trace event"
# GraalVM'"'"'s format only: the builtin_filters meta event is for provenance files
assert not any(e.get("event") == "builtin_filters" for e in d), "a builtin_filters event"
' "$w/$area-trace.json" 2>"$w/$area-check.log"; then
        fail "$area: $w/$area-trace.json is not a JSON array of events: $(tail -n 1 "$w/$area-check.log")"
        continue
    fi
    if ! "$E2E_NITRACE" merge -o "$w/$area-merged" --format legacy "$w/$area-trace.json" >"$w/$area-merge.log" 2>&1; then
        fail "$area: nitrace merge of the trace failed:"; sed 's/^/    /' "$w/$area-merge.log"
        continue
    fi
    mkdir -p "$w/$area-config"
    run_java "$w/$area-config" "config-output-dir=$w/$area-config" "fixtures.$area.Main"
    check_rc "$w/$area-config" 0
    for f in "$w/$area-config"/*.json; do
        b=$(basename "$f")
        if ! cmp -s "$f" "$w/$area-merged/$b"; then
            fail "$area: $b from config-output-dir differs from nitrace merge of the trace:"
            diff -u "$f" "$w/$area-merged/$b" | sed 's/^/    /'
        fi
    done
    compare_config "$(expected_dir "$area")" "$w/$area-config"
done
finish
