#!/usr/bin/env bash
# The same accesses seen first in a build-time context (a <clinit>) and then at run time from the
# same call sites: the agent's fast-path deduplication must not hide the run-time sighting, so
# `nitrace prune --build-time-init=<the initialising class>` keeps what the program needs at run
# time. Without the run-time phase ("once"), the same prune drops those entries: this is what
# makes the check able to fail.
#   contexts.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"

compile_fixture contexts
wanted='Target forName/method size/field count + resource data.txt'

# has_entries DIR: 0 when DIR's legacy config holds all the run-time needs of Helper.touch.
has_entries() {
    "$E2E_PY" - "$1" <<'PY'
import json, sys
d = sys.argv[1]
refl = {e.get("type", e.get("name")): e for e in json.load(open(d + "/reflect-config.json"))}
t = refl.get("fixtures.contexts.Target")
ok = (t is not None
      and any(m.get("name") == "size" for m in t.get("methods", []))
      and any(f.get("name") == "count" for f in t.get("fields", [])))
res = json.load(open(d + "/resource-config.json"))
globs = [g.get("glob") for g in res.get("globs", [])]
pats = [p.get("pattern") for p in res.get("resources", {}).get("includes", [])]
ok = ok and ("fixtures/contexts/data.txt" in globs or "\\Qfixtures/contexts/data.txt\\E" in pats)
sys.exit(0 if ok else 1)
PY
}

for mode in again once; do
    dir=$(fresh_dir "contexts-$mode")
    args=()
    [ "$mode" = again ] && args=(again)
    run_java "$dir/run" "config-output-dir=$dir/cfg" fixtures.contexts.Main "${args[@]}"
    if [ "$(cat "$dir/run.rc")" != 0 ]; then
        fail "$mode: the program exited $(cat "$dir/run.rc")"
        sed 's/^/    /' "$dir/run.err"
        continue
    fi
    if ! has_entries "$dir/cfg"; then
        fail "$mode: the recorded config lacks $wanted"
        continue
    fi
    if ! "$E2E_NITRACE" prune --clojure --build-time-init=fixtures.contexts.Init -o "$dir/pruned" \
         "$dir/cfg" >"$dir/prune.out" 2>&1; then
        fail "$mode: nitrace prune failed:"
        sed 's/^/    /' "$dir/prune.out"
        continue
    fi
    if [ "$mode" = again ]; then
        has_entries "$dir/pruned" ||
            fail "again: prune dropped entries the program used at run time ($wanted); provenance:" \
                 "$(grep -c '"clinit"' "$dir/cfg/.nitrace/provenance.json") clinit contexts"
    else
        has_entries "$dir/pruned" &&
            fail "once: prune kept entries only the build-time <clinit> used ($wanted)"
    fi
done

[ "$E2E_FAILED" = 0 ] && echo "PASS: contexts ($E2E_FEATURE)"
exit "$E2E_FAILED"
