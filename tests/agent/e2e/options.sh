#!/bin/bash
# The effect of each remaining agent option on a real run of fixtures/reflection (and, for
# config-to-omit with resources, fixtures/resources), checked exactly against the fixture's
# expected config:
#   - config-to-omit=DIR (repeatable): the config written is the expected one minus DIR's entries,
#     byte for byte what `nitrace subtract` writes;
#   - track-reflection-metadata=false: queriedMethods become methods, queryAll* become all*;
#   - format=combined: only reachability-metadata.json, byte for byte what
#     `nitrace merge --format combined` makes of the expected legacy config, schema-valid;
#   - log=FILE: the agent's messages go to FILE, none to stderr;
#   - verbose: more messages, same program output and config;
#   - no-builtin-heuristic-filter, builtin-caller-filter=false, no-filter: the launcher's JNI
#     lookups and the launcher's getMethod("main") appear (the default run has neither);
#   - experimental-class-loader-support=false: the fixture's explicit loadClass is not recorded;
#   - experimental-class-define-support, experimental-omit-config-from-classpath, restrict, build:
#     accepted with exactly one notice line each, program and config unchanged.
#   options.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture reflection
exp=$(expected_dir reflection)
w=$(fresh_dir options)

# agent_run NAME OPTIONS: run fixtures.reflection.Main with config-output-dir=$w/NAME plus OPTIONS
# (may be empty); the exit code must be 0 and stdout the same as without the agent.
agent_run() {
    local name=$1 opts=$2
    mkdir -p "$w/$name"
    run_java "$w/$name-run" "config-output-dir=$w/$name${opts:+,$opts}" fixtures.reflection.Main
    check_rc "$w/$name-run" 0 || return 1
    if ! cmp -s "$w/plain.out" "$w/$name-run.out"; then
        fail "$name ($opts): stdout differs from stdout without the agent:"
        diff -u "$w/plain.out" "$w/$name-run.out" | sed 's/^/    /'
        return 1
    fi
}

# stderr_notices NAME COUNT: stderr of run NAME has exactly COUNT lines starting "nitrace:".
stderr_notices() {
    local n
    n=$(nitrace_lines "$w/$1-run.err")
    if [ "$n" != "$2" ]; then
        fail "$1: $n stderr lines start with 'nitrace:' (expected $2):"
        sed 's/^/    /' "$w/$1-run.err" | head -n 20
        return 1
    fi
}

# normalize SRC DEST: DEST = `nitrace merge --format legacy SRC` (the writer's exact bytes).
normalize() {
    if ! "$E2E_NITRACE" merge -o "$2" --format legacy "$1" >"$2.log" 2>&1; then
        fail "nitrace merge of $1 failed:"
        sed 's/^/    /' "$2.log"
        return 1
    fi
}

# same_files DIR_A DIR_B FILE...: each FILE is byte-identical in both directories.
same_files() {
    local a=$1 b=$2 f
    shift 2
    for f in "$@"; do
        if ! cmp -s "$a/$f" "$b/$f"; then
            fail "$b/$f differs from $a/$f:"
            diff -u "$a/$f" "$b/$f" | sed 's/^/    /' | head -n 40
        fi
    done
}
others=(predefined-classes-config.json proxy-config.json resource-config.json serialization-config.json)

run_java "$w/plain" "" fixtures.reflection.Main
check_rc "$w/plain" 0 || finish

# 0. the default run: exactly the expected config (so the launcher's entries are absent) and no
#    message at all
if agent_run default ""; then
    compare_config "$exp" "$w/default"
    stderr_notices default 0
fi

# 1. config-to-omit: two directories (one with a whole type, a field and a queried method of the
#    reflection fixture; one with two resources of the resources fixture and its one type)
mkdir -p "$w/omit-r" "$w/omit-a" "$w/omit-b"
cat >"$w/omit-r/reflect-config.json" <<'JSON'
[
  {"name": "fixtures.reflection.Loaded"},
  {"name": "fixtures.reflection.Target", "fields": [{"name": "pub"}],
   "queriedMethods": [{"name": "hello", "parameterTypes": ["java.lang.String"]}]}
]
JSON
cat >"$w/omit-a/resource-config.json" <<'JSON'
{ "resources": { "includes": [ {"pattern": "\\Qmissing/nothing.txt\\E"} ] } }
JSON
cat >"$w/omit-b/resource-config.json" <<'JSON'
{ "globs": [ {"glob": "top.txt"}, {"module": "java.base", "glob": "java/lang/Object.class"} ] }
JSON
# check_omit NAME EXPECTED_DIR WANT_DIFF OMIT...: the expected result is `nitrace subtract` of the
# omit dirs from EXPECTED_DIR; it must drop exactly WANT_DIFF (its `nitrace diff`) and be what the
# agent wrote into $w/NAME.
check_omit() {
    local name=$1 base=$2 want=$3
    shift 3
    if ! "$E2E_NITRACE" subtract -o "$w/$name-want" "$base" "$@" >"$w/$name-want.log" 2>&1; then
        fail "$name: nitrace subtract failed:"; sed 's/^/    /' "$w/$name-want.log"
        return 1
    fi
    "$E2E_NITRACE" diff "$base" "$w/$name-want" >"$w/$name-want.diff" 2>&1
    if [ "$(cat "$w/$name-want.diff")" != "$want" ]; then
        fail "$name: the expected config minus the omitted one is not the expected config minus exactly those entries:"
        diff -u <(printf '%s\n' "$want") "$w/$name-want.diff" | sed 's/^/    /'
    fi
    compare_config "$w/$name-want" "$w/$name" && validate_dir "$w/$name"
}
if agent_run omit "config-to-omit=$w/omit-r"; then
    check_omit omit "$exp" "- reflection fixtures.reflection.Loaded
- reflection fixtures.reflection.Target field pub
- reflection fixtures.reflection.Target queried-method hello(java.lang.String)" "$w/omit-r"
fi
compile_fixture resources
mkdir -p "$w/omit-res"
run_java "$w/omit-res-run" "config-output-dir=$w/omit-res,config-to-omit=$w/omit-a,config-to-omit=$w/omit-b" fixtures.resources.Main
if check_rc "$w/omit-res-run" 0; then
    check_omit omit-res "$(expected_dir resources)" "- resources glob java/lang/Object.class module java.base
- resources glob missing/nothing.txt
- resources glob top.txt" "$w/omit-a" "$w/omit-b"
fi
compile_fixture reflection

# 2. track-reflection-metadata=false: every queried member is an accessed one, queryAll* are all*
#    (the expected config so transformed, written by the CLI's writer); nothing else changes
if agent_run untracked "track-reflection-metadata=false"; then
    mkdir -p "$w/untracked-src"
    cp "$exp"/*.json "$w/untracked-src/"
    if "$E2E_PY" - "$exp/reflect-config.json" "$w/untracked-src/reflect-config.json" <<'PY'
import json, sys
types = json.load(open(sys.argv[1]))
changed = 0
for t in types:
    for k in [k for k in t if k.startswith("queryAll")]:
        del t[k]
        t["all" + k[len("queryAll"):]] = True
        changed += 1
    if "queriedMethods" in t:
        t["methods"] = t.get("methods", []) + t.pop("queriedMethods")
        changed += 1
if changed != 5:  # Bulk's 4 queryAll*, Target's queriedMethods
    print("    the expected reflect-config.json has %d queried parts, not 5" % changed)
    sys.exit(1)
json.dump(types, open(sys.argv[2], "w"), indent=2)
PY
    then
        normalize "$w/untracked-src" "$w/untracked-want" && compare_config "$w/untracked-want" "$w/untracked"
        validate_dir "$w/untracked"
        grep -q '"queriedMethods"\|"queryAll' "$w/untracked/reflect-config.json" &&
            fail "track-reflection-metadata=false: reflect-config.json still has queried members"
    else
        fail "track-reflection-metadata=false: cannot build the expected config"
    fi
fi

# 3. format=combined: reachability-metadata.json only, the CLI's combined form of the expected config
if agent_run combined "format=combined"; then
    if "$E2E_NITRACE" merge -o "$w/combined-want" --format combined "$exp" >"$w/combined-want.log" 2>&1; then
        [ -f "$w/combined-want/reachability-metadata.json" ] ||
            fail "nitrace merge --format combined wrote no reachability-metadata.json"
        compare_config "$w/combined-want" "$w/combined"
        validate_dir "$w/combined"
    else
        fail "nitrace merge --format combined failed:"; sed 's/^/    /' "$w/combined-want.log"
    fi
fi

# 4. verbose: messages on stderr (the default run has none), same program output and config
if agent_run verbose "verbose"; then
    [ "$(nitrace_lines "$w/verbose-run.err")" -gt 0 ] || fail "verbose: no 'nitrace:' message on stderr"
    compare_config "$exp" "$w/verbose"
fi

# 5. log=FILE (with verbose and restrict=DIR): no message on stderr; FILE holds exactly one
#    restrict notice and, apart from it, exactly the messages verbose printed on stderr
if agent_run log "log=$w/agent.log,verbose,restrict=$w"; then
    stderr_notices log 0
    if [ ! -f "$w/agent.log" ]; then
        fail "log=FILE: $w/agent.log was not created"
    else
        [ "$(grep -c "^nitrace: .*'restrict'" "$w/agent.log")" = 1 ] ||
            fail "log=FILE: $w/agent.log does not hold exactly one restrict notice"
        if ! cmp -s <(grep '^nitrace:' "$w/verbose-run.err") <(grep -v "'restrict'" "$w/agent.log"); then
            fail "log=FILE: FILE does not hold exactly the messages verbose prints on stderr:"
            diff -u <(grep '^nitrace:' "$w/verbose-run.err") <(grep -v "'restrict'" "$w/agent.log") |
                sed 's/^/    /' | head -n 20
        fi
    fi
    compare_config "$exp" "$w/log"
fi

# 6. built-in filters off
# check_launcher_jni DIR: jni-config.json holds exactly the launcher's lookups: Main.main(String[])
# and LauncherHelper with (at least) getApplicationClass() and checkAndLoadMain(boolean,int,String).
check_launcher_jni() {
    "$E2E_PY" - "$1/jni-config.json" <<'PY'
import json, sys
got = {t["name"]: t for t in json.load(open(sys.argv[1]))}
main = {"name": "fixtures.reflection.Main",
        "methods": [{"name": "main", "parameterTypes": ["java.lang.String[]"]}]}
errs = []
if sorted(got) != ["fixtures.reflection.Main", "sun.launcher.LauncherHelper"]:
    errs.append("types %s" % sorted(got))
if got.get("fixtures.reflection.Main") != main:
    errs.append("Main entry %s" % json.dumps(got.get("fixtures.reflection.Main")))
lh = {(m["name"], tuple(m["parameterTypes"]))
      for m in got.get("sun.launcher.LauncherHelper", {}).get("methods", [])}
for want in [("getApplicationClass", ()), ("checkAndLoadMain", ("boolean", "int", "java.lang.String"))]:
    if want not in lh:
        errs.append("LauncherHelper lacks %s%s" % want)
if errs:
    print("    " + "; ".join(errs))
    sys.exit(1)
PY
}
# check_launcher_reflect DIR: reflect-config.json has every expected entry unchanged except
# fixtures.reflection.Main, which also has the queried method main(String[]) (the launcher's
# getMethod), plus at least one JDK type (java.* or jdk.*).
check_launcher_reflect() {
    "$E2E_PY" - "$exp/reflect-config.json" "$1/reflect-config.json" <<'PY'
import json, sys
want = {t["name"]: t for t in json.load(open(sys.argv[1]))}
got = {t["name"]: t for t in json.load(open(sys.argv[2]))}
want["fixtures.reflection.Main"]["queriedMethods"] = [
    {"name": "main", "parameterTypes": ["java.lang.String[]"]}]
errs = ["%s: %s" % (n, json.dumps(got.get(n))) for n in want if got.get(n) != want[n]]
if not any(n.startswith(("java.", "jdk.")) for n in got):
    errs.append("no JDK type")
if errs:
    print("    " + "; ".join(errs))
    sys.exit(1)
PY
}
for opt in no-builtin-heuristic-filter; do
    name=heuristic-${opt//=/-}
    agent_run "$name" "$opt" || continue
    check_launcher_jni "$w/$name" || fail "$opt: jni-config.json is not the launcher's JNI lookups"
    same_files "$exp" "$w/$name" reflect-config.json "${others[@]}"
    validate_dir "$w/$name"
done
for opt in builtin-caller-filter=false; do
    name=caller-${opt//=/-}
    agent_run "$name" "$opt" || continue
    check_launcher_reflect "$w/$name" || fail "$opt: reflect-config.json lacks the launcher's getMethod(main) or JDK entries"
    same_files "$exp" "$w/$name" jni-config.json "${others[@]}"
    validate_dir "$w/$name"
done
if agent_run nofilter "no-filter"; then
    check_launcher_jni "$w/nofilter" || fail "no-filter: jni-config.json is not the launcher's JNI lookups"
    check_launcher_reflect "$w/nofilter" || fail "no-filter: reflect-config.json lacks the launcher's getMethod(main) or JDK entries"
    # prune replays the recording with its filter settings: every entry has its events
    if ! "$E2E_NITRACE" prune --clojure -o "$w/nofilter-pruned" "$w/nofilter" >"$w/nofilter-prune.log" 2>&1 ||
        grep -q "no recorded event" "$w/nofilter-prune.log"; then
        fail "no-filter: nitrace prune of the recording:"; sed 's/^/    /' "$w/nofilter-prune.log"
    fi
fi

# 7. experimental-class-loader-support=false: Main's explicit loadClass calls (Loaded and
#    LoadedByOverride are reached in no other way) are not recorded; nothing else changes
if agent_run noloader "experimental-class-loader-support=false"; then
    mkdir -p "$w/noloader-src"
    cp "$exp"/*.json "$w/noloader-src/"
    if "$E2E_PY" - "$exp/reflect-config.json" "$w/noloader-src/reflect-config.json" <<'PY'
import json, sys
types = json.load(open(sys.argv[1]))
loaded = ({"name": "fixtures.reflection.Loaded"}, {"name": "fixtures.reflection.LoadedByOverride"})
left = [t for t in types if t not in loaded]
if len(left) != len(types) - 2:
    sys.exit(1)
json.dump(left, open(sys.argv[2], "w"), indent=2)
PY
    then
        normalize "$w/noloader-src" "$w/noloader-want" && compare_config "$w/noloader-want" "$w/noloader"
    else
        fail "the expected reflect-config.json lacks the bare Loaded and LoadedByOverride entries"
    fi
fi

# 8. accepted but not implemented or historic: exactly one notice line each (two options per run:
#    two lines, one naming each), config unchanged
for pair in "experimental-class-define-support experimental-omit-config-from-classpath" "restrict build"; do
    set -- $pair
    name=notice-$1
    agent_run "$name" "$1,$2" || continue
    if stderr_notices "$name" 2; then
        for word in "$1" "$2"; do
            [ "$(grep -c "^nitrace: .*\b$word\b" "$w/$name-run.err")" = 1 ] ||
                fail "$word: not exactly one notice naming it: $(cat "$w/$name-run.err")"
        done
    fi
    compare_config "$exp" "$w/$name"
done

# 9. the explicit defaults and =false of the experimental ones: silent, config unchanged
if agent_run defaults "no-filter=false,experimental-class-loader-support=true,track-reflection-metadata=true,format=legacy,experimental-class-define-support=false,experimental-omit-config-from-classpath=false"; then
    stderr_notices defaults 0
    compare_config "$exp" "$w/defaults"
fi
finish
