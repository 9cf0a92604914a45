#!/usr/bin/env bash
# The agent's Java fast path (agent/java/nitrace/NitraceFast.java): it is on, the program's output
# is unchanged, and what it caches loses nothing (fixtures/fastpath/Main.java): accesses the JDK
# makes first from callers the filters drop are recorded again when the program makes them, fresh
# Method copies are one access, a class loader whose classes were accessed thousands of times
# is still garbage-collected, and queries with parameter-type arrays of every shape record each
# overload.
#   fastpath.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"

compile_fixture fastpath

dir=$(fresh_dir fastpath)
run_java "$dir/plain" "" fixtures.fastpath.Main
if [ "$(cat "$dir/plain.rc")" != 0 ] || ! grep -q '^unload: collected$' "$dir/plain.out"; then
    fail "without the agent the fixture itself fails (exit $(cat "$dir/plain.rc")):"
    sed 's/^/    /' "$dir/plain.out" "$dir/plain.err"
    exit 1
fi

run_java "$dir/run" "config-output-dir=$dir/cfg,verbose" fixtures.fastpath.Main
rc=$(cat "$dir/run.rc")
[ "$rc" = 0 ] || fail "with the agent the program exited $rc:" "$(sed 's/^/    /' "$dir/run.out")"
cmp -s "$dir/plain.out" "$dir/run.out" ||
    fail "the program's output changed under the agent: $(diff "$dir/plain.out" "$dir/run.out")"
grep -q '^nitrace: Java fast path on$' "$dir/run.err" ||
    fail "the agent did not report its Java fast path on:" "$(grep '^nitrace:' "$dir/run.err" | grep -v intercepting)"

"$E2E_PY" - "$dir/cfg" <<'PY' || fail "the recorded config lacks accesses the program made (above)"
import json, sys
d = sys.argv[1]
refl = {e.get("type", e.get("name")): e for e in json.load(open(d + "/reflect-config.json"))}
missing = []
def want(cls, what=None, kind=None, params=None):
    e = refl.get(cls)
    if e is None:
        missing.append(cls)
        return
    if what is None:
        return
    found = [m for m in e.get(kind, []) if m.get("name") == what and
             (params is None or m.get("parameterTypes") == params)]
    if not found:
        missing.append("%s %s %s%s" % (cls, kind, what, "" if params is None else params))
want("fixtures.fastpath.Main$Counted", "counter", "fields")
want("fixtures.fastpath.Main$Element[]")
want("fixtures.fastpath.Main$Target", "size", "methods", [])
want("fixtures.fastpath.Plugin", "work", "methods", ["int"])
want("fixtures.fastpath.Plugin", "base", "fields")
want("fixtures.fastpath.Plugin", "<init>", "methods", [])
want("fixtures.fastpath.Plugin[]")
def want_member(cls, what, params):
    e = refl.get(cls, {})
    if not [m for k in ("methods", "queriedMethods") for m in e.get(k, [])
            if m.get("name") == what and m.get("parameterTypes") == params]:
        missing.append("%s %s%s" % (cls, what, params))
S = "fixtures.fastpath.Main$Shapes"
for ps in ([], ["int"], ["int", "long", "java.lang.String"], ["int", "long", "java.lang.Object"],
           ["int", "long", "java.lang.String", "java.lang.Object"],
           ["int", "long", "java.lang.String", "java.lang.Integer"]):
    want_member(S, "m", ps)
for ps in (["int", "long", "java.lang.String"], ["int", "long", "java.lang.Object"]):
    want_member(S, "d", ps)
for ps in ([], ["int"], ["int", "long", "java.lang.String", "java.lang.Object"],
           ["int", "long", "java.lang.String", "java.lang.Integer"]):
    want_member(S, "<init>", ps)
want("fixtures.fastpath.Main$Cell[][]")
want("fixtures.fastpath.Main$Cell[][][]")
res = json.load(open(d + "/resource-config.json"))
globs = [g.get("glob") for g in res.get("globs", [])]
pats = [p.get("pattern") for p in res.get("resources", {}).get("includes", [])]
if not ("fixtures/fastpath/plugin.txt" in globs or "\\Qfixtures/fastpath/plugin.txt\\E" in pats):
    missing.append("resource fixtures/fastpath/plugin.txt")
for m in missing:
    print("    missing: " + m)
sys.exit(1 if missing else 0)
PY

[ "$E2E_FAILED" = 0 ] && echo "PASS: fastpath ($E2E_FEATURE)"
exit "$E2E_FAILED"
