#!/usr/bin/env bash
# Every access's context is right whatever the stack's depth (fixtures/stackdepth): the agent reads
# a stack in chunks and stops at a <clinit> frame an earlier walk went past (what lies below a
# class's one initialisation cannot change while it runs). Each of the fixture's accesses, at 0 to
# 300 frames of recursion, must have its caller and its outermost <clinit> (none at run time) in
# .nitrace/provenance.json.
#   stackdepth.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"

compile_fixture stackdepth

dir=$(fresh_dir stackdepth)
run_java "$dir/run" "config-output-dir=$dir/cfg" fixtures.stackdepth.Main
rc=$(cat "$dir/run.rc")
if [ "$rc" != 0 ] || ! grep -q '^stackdepth 1054$' "$dir/run.out"; then
    fail "the program exited $rc:" "$(sed 's/^/    /' "$dir/run.out" "$dir/run.err")"
    exit 1
fi

"$E2E_PY" - "$dir/cfg/.nitrace/provenance.json" <<'PY' || fail "wrong contexts (above)"
import json, re, sys
doc = json.load(open(sys.argv[1]))
want = {"OuterMissing": ("fixtures.stackdepth.Main$Outer", 300),
        "OuterAgainMissing": ("fixtures.stackdepth.Main$Outer", 300),
        "InnerMissing": ("fixtures.stackdepth.Main$Outer", 150),
        "RunMissing": (None, 300)}
seen = {k: set() for k in want}
bad = []
for rec in doc["events"]:
    ev = rec["event"]
    args = ev.get("args") or []
    m = re.fullmatch(r"fixtures\.stackdepth\.([A-Za-z]+)(\d+)", args[0]) if args and isinstance(args[0], str) else None
    if ev.get("function") != "forName" or not m or m.group(1) not in want:
        continue
    prefix, d = m.group(1), int(m.group(2))
    clinit, _ = want[prefix]
    ctxs = rec.get("contexts", [])
    ok = (ev.get("caller_class") == "fixtures.stackdepth.Main" and len(ctxs) == 1
          and ctxs[0].get("caller") == "fixtures.stackdepth.Main" and ctxs[0].get("clinit") == clinit
          and ctxs[0].get("mainPhase") is True and "clojureLoading" not in ctxs[0])
    if not ok:
        bad.append("%s%d: caller %s, contexts %s" % (prefix, d, ev.get("caller_class"), ctxs))
    seen[prefix].add(d)
for prefix, (_, n) in want.items():
    missing = sorted(set(range(n + 1)) - seen[prefix])
    if missing:
        bad.append("%s: no event for depths %s" % (prefix, missing[:20]))
for b in bad[:30]:
    print("    " + b)
sys.exit(1 if bad else 0)
PY

[ "$E2E_FAILED" = 0 ] && echo "PASS: stackdepth ($E2E_FEATURE)"
exit "$E2E_FAILED"
