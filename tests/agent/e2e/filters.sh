#!/bin/bash
# caller-filter-file and access-filter-file in GraalVM's filter format, on the unsafe fixture (all
# of its accesses are made by fixtures.unsafe.Main; they reach fixtures.unsafe.Target and
# sun.misc.Unsafe).
#   filters.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture unsafe
exp=$(expected_dir unsafe)
w=$(fresh_dir filters)
# An all-empty config, as the writer prints it.
mkdir -p "$w/empty-src"
printf '[]\n' >"$w/empty-src/reflect-config.json"
"$E2E_NITRACE" merge -o "$w/empty" --format legacy "$w/empty-src" >/dev/null 2>&1 ||
    fail "nitrace merge cannot write an empty config"

# 1. excluding the caller drops everything
cat >"$w/exclude.json" <<'JSON'
{ "rules": [ {"excludeClasses": "fixtures.unsafe.**"} ] }
JSON
mkdir -p "$w/out1"
run_java "$w/run1" "config-output-dir=$w/out1,caller-filter-file=$w/exclude.json" fixtures.unsafe.Main
check_rc "$w/run1" 0 && compare_config "$w/empty" "$w/out1"

# 2. last match wins, files chain in order: exclude fixtures.** (first file), include the caller
#    again (second file) -> the full config
cat >"$w/exclude-all.json" <<'JSON'
{ "rules": [ {"excludeClasses": "fixtures.**"} ] }
JSON
cat >"$w/reinclude.json" <<'JSON'
{
  "rules": [
    {"includeClasses": "fixtures.unsafe.Main"}
  ]
}
JSON
mkdir -p "$w/out2"
run_java "$w/run2" "config-output-dir=$w/out2,caller-filter-file=$w/exclude-all.json,caller-filter-file=$w/reinclude.json" fixtures.unsafe.Main
check_rc "$w/run2" 0 && compare_config "$exp" "$w/out2"

# 3. access filter by rule (sun.misc.Unsafe) and, in a second run, by regex (fixtures.unsafe.Target)
cat >"$w/access-rule.json" <<'JSON'
{ "rules": [ {"includeClasses": "**"}, {"excludeClasses": "sun.misc.Unsafe"} ] }
JSON
cat >"$w/access-regex.json" <<'JSON'
{ "rules": [ {"includeClasses": "**"} ], "regexRules": [ {"excludeClasses": "fixtures[.]unsafe[.]Targ.*"} ] }
JSON
for kind in rule:sun.misc.Unsafe regex:fixtures.unsafe.Target; do
    f=${kind%%:*}
    dropped=${kind#*:}
    mkdir -p "$w/out-$f"
    run_java "$w/run-$f" "config-output-dir=$w/out-$f,access-filter-file=$w/access-$f.json" fixtures.unsafe.Main
    check_rc "$w/run-$f" 0 || continue
    if ! "$E2E_PY" - "$exp/reflect-config.json" "$w/out-$f/reflect-config.json" "$dropped" <<'PY'
import json, sys
want = [e for e in json.load(open(sys.argv[1])) if e["name"] != sys.argv[3]]
have = json.load(open(sys.argv[2]))
if want != have:
    print("    expected:", json.dumps(want))
    print("    have:    ", json.dumps(have))
    sys.exit(1)
PY
    then
        fail "access-filter-file ($f): reflect-config.json is not the expected config without $dropped"
    fi
    validate_dir "$w/out-$f"
done

# 4. a filter file that does not parse makes the JVM refuse to start
printf '{ "rules": [ {"excludeClasses": "a.*.b"} ] }\n' >"$w/bad.json"
run_java "$w/run4" "config-output-dir=$w/out4,caller-filter-file=$w/bad.json" fixtures.unsafe.Main
[ "$(cat "$w/run4.rc")" != 0 ] || fail "a bad filter file was accepted"
[ "$(nitrace_lines "$w/run4.err")" = 1 ] || { fail "bad filter file: not exactly one 'nitrace:' line:"; sed 's/^/    /' "$w/run4.err"; }
grep -qx done "$w/run4.out" && fail "bad filter file: the program ran"
finish
