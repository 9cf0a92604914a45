# Shared helpers of the agent's end-to-end tests (sourced, not run).
#
# Every script takes the same leading arguments:
#   SCRIPT LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB [script arguments...]
# LIBNITRACE is the agent (libnitrace.so), NITRACE the CLI, JDK_HOME the JDK to run, WORK_DIR a
# scratch directory of the build tree (compiled fixtures are cached there per javac version),
# JNI_LIB the fixtures' JNI library (libfixturejni.so; may be "-" when no fixture needs it).
# Exit codes: 0 pass, 1 fail, 77 skipped (no such JDK), 2 setup problem.
set -u
export LC_ALL=C

if [ $# -lt 5 ]; then
    echo "usage: $0 LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB [args...]" >&2
    exit 2
fi
E2E_LIB=$1
E2E_NITRACE=$2
E2E_JDK=$3
E2E_WORK=$4
E2E_JNI=$5
shift 5
E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_FIXTURES=$(cd "$E2E_HERE/../../../fixtures" && pwd)
E2E_TESTS=$(cd "$E2E_HERE/../.." && pwd)
E2E_PY=/usr/bin/python3
E2E_JAVA_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+BytecodeVerificationLocal -Xverify:all)
E2E_FAILED=0

if [ ! -x "$E2E_JDK/bin/java" ] || [ ! -x "$E2E_JDK/bin/javac" ]; then
    echo "SKIP: no JDK at $E2E_JDK"
    exit 77
fi
if [ ! -f "$E2E_LIB" ]; then
    echo "SETUP: agent library $E2E_LIB does not exist" >&2
    exit 2
fi
if [ ! -x "$E2E_NITRACE" ]; then
    echo "SETUP: $E2E_NITRACE is not an executable" >&2
    exit 2
fi
export FIXTURE_JNI_LIB=$E2E_JNI
mkdir -p "$E2E_WORK" || exit 2
E2E_FEATURE=$("$E2E_JDK/bin/java" -XshowSettings:properties -version 2>&1 |
              sed -n 's/^ *java\.specification\.version = //p')

fail() {
    echo "FAIL: $*"
    E2E_FAILED=1
}

# A fresh empty directory under the work dir; prints its path.
fresh_dir() {
    local d="$E2E_WORK/$1"
    rm -rf "$d"
    mkdir -p "$d"
    echo "$d"
}

# compile_fixture AREA: compile fixtures/AREA/*.java with this JDK's javac --release 17 (or the release
# in fixtures/AREA/release, e.g. 21 for virtual threads) into a cache
# under the work dir (recompiled when a source or resource is newer than the last compile) and copy
# fixtures/AREA/res/ to the class path root. Sets E2E_CP.
compile_fixture() {
    local area=$1 src="$E2E_FIXTURES/$1"
    local out="$E2E_WORK/classes/$area-javac$E2E_FEATURE"
    E2E_CP=$out/classes
    if [ -f "$out/stamp" ] && [ -z "$(find "$src" -path "$src/expected*" -prune -o -newer "$out/stamp" -print | head -n 1)" ]; then
        return 0
    fi
    local release=17
    if [ -f "$src/release" ]; then
        release=$(cat "$src/release")
    fi
    rm -rf "$out"
    mkdir -p "$out/classes"
    if ! "$E2E_JDK/bin/javac" --release "$release" -nowarn -XDsuppressNotes -d "$out/classes" "$src"/*.java >"$out/javac.log" 2>&1; then
        echo "FAIL: javac of fixture $area:"
        cat "$out/javac.log"
        exit 1
    fi
    if [ -d "$src/res" ]; then
        cp -R "$src/res/." "$out/classes/" || exit 2
    fi
    touch "$out/stamp"
}

# expected_dir AREA: fixtures/AREA/expected-25 on JDK 25 and later when it exists, else expected.
expected_dir() {
    local d="$E2E_FIXTURES/$1"
    if [ "${E2E_FEATURE%%.*}" -ge 25 ] 2>/dev/null && [ -d "$d/expected-25" ]; then
        echo "$d/expected-25"
    else
        echo "$d/expected"
    fi
}

# run_java OUT_PREFIX AGENT_OPTIONS MAIN [args...]: run a fixture (AGENT_OPTIONS "" = no agent,
# "-" = the agent with no options); stdout/stderr/exit code go to OUT_PREFIX.{out,err,rc}.
run_java() {
    local prefix=$1 opts=$2
    shift 2
    local agent=()
    if [ "$opts" = "-" ]; then
        agent=("-agentpath:$E2E_LIB")
    elif [ -n "$opts" ]; then
        agent=("-agentpath:$E2E_LIB=$opts")
    fi
    timeout 120 "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "${agent[@]}" -cp "$E2E_CP" "$@" \
        >"$prefix.out" 2>"$prefix.err"
    echo $? >"$prefix.rc"
}

# compare_config EXPECTED_DIR OUT_DIR: every non-hidden file of both directories must exist in both
# and be byte-identical (unified diff on failure); OUT_DIR/.nitrace/provenance.json must be valid JSON.
compare_config() {
    local exp=$1 out=$2 f rel ok=0
    local files
    files=$( (cd "$exp" && find . -type f ! -path '*/.*'; cd "$out" && find . -type f ! -path '*/.*') | sort -u)
    for rel in $files; do
        rel=${rel#./}
        if [ ! -f "$exp/$rel" ]; then
            fail "the agent wrote $rel, which $exp does not have:"
            sed 's/^/    /' "$out/$rel" | head -n 40
            ok=1
        elif [ ! -f "$out/$rel" ]; then
            fail "the agent did not write $rel (expected in $exp)"
            ok=1
        elif ! cmp -s "$exp/$rel" "$out/$rel"; then
            fail "$rel differs from $exp/$rel:"
            diff -u "$exp/$rel" "$out/$rel" | sed 's/^/    /'
            ok=1
        fi
    done
    if [ ! -f "$out/.nitrace/provenance.json" ]; then
        fail "$out/.nitrace/provenance.json is missing"
        ok=1
    elif ! "$E2E_PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/.nitrace/provenance.json" 2>/dev/null; then
        fail "$out/.nitrace/provenance.json is not valid JSON"
        ok=1
    elif ! "$E2E_PY" - "$out/.nitrace/provenance.json" <<'PY'
import json, sys
# The fixtures' own accesses all happen once main has been called: each of
# their contexts must say mainPhase; the launcher's lookups before main must not.
doc = json.load(open(sys.argv[1]))
own = [c for ev in doc["events"] for c in ev["contexts"]
       if c.get("caller", "").startswith("fixtures.")]
launcher = [c for ev in doc["events"] for c in ev["contexts"]
            if ev["event"].get("function") == "GetStaticMethodID"
            and ev["event"].get("args", [None])[0] == "main" and "caller" not in c]
bad = [c for c in own if not c.get("mainPhase")] + [c for c in launcher if c.get("mainPhase")]
if not own:  # serialization events have no caller: then any main-phase context will do
    own = [c for ev in doc["events"] for c in ev["contexts"] if c.get("mainPhase")]
if not own or bad:
    print("    provenance: %d contexts of the fixture's own accesses, wrong mainPhase in: %s"
          % (len(own), json.dumps(bad[:3])))
    sys.exit(1)
# Hidden classes (lambdas) are named as Class.getName() names them: "p.Foo$$Lambda/0x..."
import re
hidden = re.compile(r"\.0x[0-9a-f]+$")
names = [ev["event"].get(k) for ev in doc["events"] for k in ("class", "declaring_class", "caller_class")]
names += [c.get("caller") for ev in doc["events"] for c in ev["contexts"]]
wrong = sorted({n for n in names if isinstance(n, str) and hidden.search(n)})
if wrong:
    print("    provenance: hidden classes named with '.' instead of '/': %s" % wrong[:3])
    sys.exit(1)
PY
    then
        fail "$out/.nitrace/provenance.json: main phase or class names not recorded as expected"
        ok=1
    fi
    return $ok
}

# find_schemas: sets E2E_SCHEMAS (../shared/schemas next to the repository, as check_schemas.sh).
find_schemas() {
    local top cand
    E2E_SCHEMAS=
    top=$(git -C "$E2E_HERE" rev-parse --show-toplevel 2>/dev/null || true)
    for cand in ${top:+"$top/../shared/schemas"} "$E2E_HERE/../../../../shared/schemas"; do
        if [ -f "$cand/reachability-metadata-schema-v1.2.0.json" ] && [ -d "$cand/fixed" ]; then
            E2E_SCHEMAS=$(cd "$cand" && pwd)
            return 0
        fi
    done
    echo "SETUP: GraalVM's schemas not found (expected ../shared/schemas next to the repository)" >&2
    exit 2
}

# validate_dir DIR: every *-config.json / reachability-metadata.json in DIR validates against the schemas.
validate_dir() {
    local dir=$1 f files=()
    [ -n "${E2E_SCHEMAS:-}" ] || find_schemas
    for f in "$dir"/*.json; do
        [ -f "$f" ] && files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || { fail "no config files in $dir to validate"; return 1; }
    if ! "$E2E_PY" "$E2E_TESTS/schema/validate.py" --schemas "$E2E_SCHEMAS" "${files[@]}" >"$dir.validate.log" 2>&1; then
        fail "schema validation of $dir:"
        sed 's/^/    /' "$dir.validate.log"
        return 1
    fi
}

# check_rc PREFIX WANT: exit code of a run_java run.
check_rc() {
    local rc
    rc=$(cat "$1.rc")
    if [ "$rc" != "$2" ]; then
        fail "exit code $rc (expected $2) of $1; stderr:"
        sed 's/^/    /' "$1.err" | head -n 30
        return 1
    fi
}

# nitrace_lines FILE: number of lines starting "nitrace:".
nitrace_lines() {
    grep -c '^nitrace:' "$1"
}

finish() {
    if [ $E2E_FAILED = 0 ]; then
        echo "PASS"
        exit 0
    fi
    exit 1
}
