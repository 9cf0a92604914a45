#!/bin/bash
# Check mode (check-config=...) on fixtures/check: the complete config passes; each acceptance case
# (a removed resource pattern, a method registered with wrong parameter types, a queried-only method
# that is invoked, a missing proxy interface list, a missing JNI field) reports exactly that entry,
# with caller and frames; removing any single top-level entry reports exactly that entry; the
# report survives SIGKILL (periodic writes); check-fail=exit/log; option errors; `nitrace check`.
#   check.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB CHECK_JNI_LIB
. "$(dirname "$0")/common.sh"
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "SETUP: give the fixture's JNI library (libcheckjni.so) as the 6th argument" >&2
    exit 2
fi
export FIXTURE_CHECK_JNI_LIB=$1
compile_fixture check
CONF=$E2E_FIXTURES/check/config
w=$(fresh_dir check)
start=$(date +%s)

# variant NAME SPEC: a copy of config/ with one change (see the Python below) in $w/NAME.conf
variant() {
    "$E2E_PY" - "$CONF" "$w/$1.conf" "$2" <<'PY' || fail "cannot make variant $2"
import json, os, shutil, sys
src, dst, spec = sys.argv[1:4]
shutil.rmtree(dst, ignore_errors=True)
shutil.copytree(src, dst)
def load(f): return json.load(open(os.path.join(dst, f)))
def save(f, d): json.dump(d, open(os.path.join(dst, f), "w"), indent=2)
kind, _, arg = spec.partition(":")
if kind == "drop-resource":          # remove the include pattern number arg
    d = load("resource-config.json"); del d["resources"]["includes"][int(arg)]; save("resource-config.json", d)
elif kind == "wrong-params":          # compute(int) registered as compute(long)
    d = load("reflect-config.json")
    for t in d:
        for m in t.get("methods", []):
            if m["name"] == "compute": m["parameterTypes"] = ["long"]
    save("reflect-config.json", d)
elif kind == "queried-only":          # describe(String) registered as queried only
    d = load("reflect-config.json")
    for t in d:
        ms = [m for m in t.get("methods", []) if m["name"] == "describe"]
        if ms:
            t["methods"] = [m for m in t["methods"] if m["name"] != "describe"]
            t["queriedMethods"] = t.get("queriedMethods", []) + ms
    save("reflect-config.json", d)
elif kind == "drop-proxy":
    save("proxy-config.json", [])
elif kind == "drop-jni-field":        # Target.label removed from jni-config.json
    d = load("jni-config.json")
    for t in d: t["fields"] = [f for f in t.get("fields", []) if f["name"] != arg]
    save("jni-config.json", d)
elif kind == "drop-entry":            # FILE:INDEX, a whole top-level entry
    f, i = arg.rsplit(":", 1)
    d = load(f); del d[int(i)]; save(f, d)
else:
    sys.exit("unknown variant " + spec)
PY
}

# check_run NAME CONFDIR [extra options]: run the fixture in check mode, report in $w/NAME.json
check_run() {
    local name=$1 conf=$2
    shift 2
    local extra=${1:-}
    rm -f "$w/$name.json"
    (cd "$w" && run_java "$w/$name" "check-config=$conf,check-report=$w/$name.json$extra" fixtures.check.Main)
}

# expect_entries NAME ENTRY...: the report lists exactly these entries (in the report's order)
expect_entries() {
    local name=$1
    shift
    if [ ! -f "$w/$name.json" ]; then
        fail "$name: no report written; stderr:"
        sed 's/^/    /' "$w/$name.err" | head -n 20
        return 1
    fi
    local got want
    got=$("$E2E_PY" -c 'import json,sys; [print(i["entry"]) for i in json.load(open(sys.argv[1]))["uncovered"]]' "$w/$name.json")
    want=$(printf '%s\n' "$@")
    [ $# = 0 ] && want=
    if [ "$got" != "$want" ]; then
        fail "$name: uncovered entries differ:"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
        return 1
    fi
}

# ---- the complete config: nothing uncovered, no config written, check-fail=exit keeps exit 0 ----
check_run full "$CONF" ",check-fail=exit"
check_rc "$w/full" 0
grep -q '^done$' "$w/full.out" || fail "full: the program did not finish"
expect_entries full
if ls -d "$w"/native-image-agent_config-* >/dev/null 2>&1; then
    fail "check mode wrote a config directory"
fi
grep -q 'check: every run-time access is covered' "$w/full.err" || fail "full: no summary line in the log"

# ---- the acceptance cases ----
variant resource drop-resource:1
check_run resource "$w/resource.conf"
check_rc "$w/resource" 0
expect_entries resource "resources check/other.txt"

variant params wrong-params
check_run params "$w/params.conf"
expect_entries params "reflection fixtures.check.Target method compute(int) (invoked)" \
                      "reflection fixtures.check.Target method compute(int) (queried)"

variant queried queried-only
check_run queried "$w/queried.conf"
expect_entries queried "reflection fixtures.check.Target method describe(java.lang.String) (invoked)"

variant proxy drop-proxy
check_run proxy "$w/proxy.conf"
expect_entries proxy "reflection proxy [fixtures.check.Greeter, fixtures.check.Named]"

variant jni drop-jni-field:label
check_run jni "$w/jni.conf"
expect_entries jni "jni fixtures.check.Target field label"

# caller and frames: the Java caller and its line; for JNI the native method itself
"$E2E_PY" - "$w" <<'PY' || fail "caller/frames of the reports are wrong"
import json, sys
w = sys.argv[1]
def item(name): return json.load(open(f"{w}/{name}.json"))["uncovered"][0]
ok = True
for name, top in (("queried", "fixtures.check.Main.main(Main.java:"),
                  ("proxy", "fixtures.check.Main.main(Main.java:"),
                  ("jni", "fixtures.check.Main.jniFields(Native Method)")):
    it = item(name)
    fr = it.get("frames", [])
    if it.get("caller") != "fixtures.check.Main" or not fr or not fr[0].startswith(top) or len(fr) > 8:
        print(f"    {name}: caller {it.get('caller')}, frames {fr}")
        ok = False
    if "event" not in it:
        print(f"    {name}: no event")
        ok = False
sys.exit(0 if ok else 1)
PY

# ---- every single top-level entry removed: exactly that entry is reported ----
n_iter=0
while read -r spec category type; do
    n_iter=$((n_iter + 1))
    variant "it$n_iter" "$spec"
    check_run "it$n_iter" "$w/it$n_iter.conf"
    "$E2E_PY" - "$w/it$n_iter.json" "$category" "$type" <<'PY' || fail "removing $spec ($category $type) is not reported exactly"
import json, sys
path, cat, typ = sys.argv[1:4]
items = json.load(open(path))["uncovered"]
got = sorted({(i["category"], i["type"]) for i in items})
if got != [(cat, typ)]:
    print(f"    expected only {cat} {typ}, got {got}")
    sys.exit(1)
PY
done <<'EOF'
drop-entry:reflect-config.json:0 reflection fixtures.check.Greeter
drop-entry:reflect-config.json:1 reflection fixtures.check.Named
drop-entry:reflect-config.json:2 reflection fixtures.check.Target
drop-entry:reflect-config.json:3 reflection java.lang.Object
drop-entry:jni-config.json:0 jni fixtures.check.Target
drop-entry:proxy-config.json:0 reflection proxy [fixtures.check.Greeter, fixtures.check.Named]
drop-resource:0 resources check/data.txt
drop-resource:1 resources check/other.txt
EOF
# the list above must cover every entry of config/
n_entries=$("$E2E_PY" -c '
import json, sys
d = sys.argv[1]
n = sum(len(json.load(open(f"{d}/{f}"))) for f in ("reflect-config.json", "jni-config.json", "proxy-config.json"))
n += len(json.load(open(f"{d}/resource-config.json"))["resources"]["includes"])
print(n)' "$CONF")
[ "$n_iter" = "$n_entries" ] || fail "the iteration covered $n_iter entries, config/ has $n_entries"

# ---- check-fail=exit: exit status 1 when something is uncovered; log: the program's status ----
check_run failexit "$w/proxy.conf" ",check-fail=exit"
check_rc "$w/failexit" 1
grep -q '^done$' "$w/failexit.out" || fail "failexit: the program did not run to its end"
check_run faillog "$w/proxy.conf" ",check-fail=log"
check_rc "$w/faillog" 0
grep -q 'check: not covered: reflection proxy \[fixtures.check.Greeter, fixtures.check.Named\]' "$w/faillog.err" ||
    fail "faillog: the uncovered entry is not logged"

# ---- SIGKILL: the periodic report is on disk (polled, no timing assertion) ----
rm -f "$w/kill.json"
(cd "$w" && exec timeout 120 "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
    "-agentpath:$E2E_LIB=check-config=$w/proxy.conf,check-report=$w/kill.json,config-write-period-secs=1" \
    -cp "$E2E_CP" fixtures.check.Main hold >"$w/kill.out" 2>"$w/kill.err") &
jpid=$!
for _ in $(seq 1 600); do
    if grep -q READY "$w/kill.out" 2>/dev/null && [ -f "$w/kill.json" ] &&
       grep -q '"uncoveredCount": 1' "$w/kill.json"; then
        break
    fi
    sleep 0.1
done
pkill -KILL -P "$jpid" 2>/dev/null
kill -KILL "$jpid" 2>/dev/null
wait "$jpid" 2>/dev/null
expect_entries kill "reflection proxy [fixtures.check.Greeter, fixtures.check.Named]"
"$E2E_PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$w/kill.json" 2>/dev/null ||
    fail "kill: the report is not complete JSON"

# ---- option errors: the JVM refuses to start with one line ----
i=0
for opts in "check-config=$CONF,config-output-dir=$w/out" "check-config=$w/no-such-dir" \
            "check-report=$w/r.json" "check-config=$CONF,check-fail=sometimes" "check-config="; do
    i=$((i + 1))
    (cd "$w" && run_java "$w/opterr$i" "$opts" fixtures.check.Main)
    rc=$(cat "$w/opterr$i.rc")
    [ "$rc" != 0 ] || fail "option error '$opts': the JVM started"
    [ "$(nitrace_lines "$w/opterr$i.err")" = 1 ] || { fail "option error '$opts': not one nitrace: line:"; sed 's/^/    /' "$w/opterr$i.err"; }
    ! grep -q '^done$' "$w/opterr$i.out" || fail "option error '$opts': the program ran"
done

# ---- the CLI: nitrace check CONFIGDIR... -- java ARGS ----
# without --report the report goes to a private directory under TMPDIR, removed at the end
mkdir -p "$w/tmp"
(cd "$w" && TMPDIR="$w/tmp" NITRACE_AGENT=$E2E_LIB "$E2E_NITRACE" check "$CONF" -- "$E2E_JDK/bin/java" -cp "$E2E_CP" \
    fixtures.check.Main >"$w/cli-ok.out" 2>"$w/cli-ok.err")
rc=$?
[ $rc = 0 ] || { fail "nitrace check on the complete config exited $rc"; sed 's/^/    /' "$w/cli-ok.err"; }
grep -q '^every run-time access is covered' "$w/cli-ok.out" || fail "nitrace check: no 'covered' line"
(cd "$w" && NITRACE_AGENT=$E2E_LIB "$E2E_NITRACE" check --report "$w/cli.json" "$w/jni.conf" "$w/proxy.conf" -- \
    "$E2E_JDK/bin/java" -cp "$E2E_CP" fixtures.check.Main >"$w/cli-bad.out" 2>"$w/cli-bad.err")
rc=$?
# jni.conf has the proxy, proxy.conf the JNI field: their union covers everything
[ $rc = 0 ] || { fail "nitrace check over two configs exited $rc"; sed 's/^/    /' "$w/cli-bad.out" "$w/cli-bad.err"; }
[ -f "$w/cli.json" ] || fail "nitrace check --report: no report kept"
(cd "$w" && TMPDIR="$w/tmp" NITRACE_AGENT=$E2E_LIB "$E2E_NITRACE" check "$w/jni.conf" -- \
    "$E2E_JDK/bin/java" -cp "$E2E_CP" fixtures.check.Main >"$w/cli-miss.out" 2>"$w/cli-miss.err")
rc=$?
[ -z "$(ls -A "$w/tmp")" ] || { fail "nitrace check left temporary files:"; ls -la "$w/tmp" | sed 's/^/    /'; }
[ $rc = 1 ] || fail "nitrace check with a missing JNI field exited $rc (expected 1)"
grep -q '^  missing: jni fixtures.check.Target field label$' "$w/cli-miss.out" &&
    grep -q '^    by jni GetFieldID, caller fixtures.check.Main$' "$w/cli-miss.out" &&
    grep -q '^      at fixtures.check.Main.jniFields(Native Method)$' "$w/cli-miss.out" ||
    { fail "nitrace check: unexpected report:"; sed 's/^/    /' "$w/cli-miss.out"; }
(cd "$w" && "$E2E_NITRACE" check "$CONF" >"$w/cli-usage.out" 2>&1)
[ $? = 2 ] || fail "nitrace check without '--' is not a usage error"

echo "check.sh: $(( $(date +%s) - start )) s"
finish
