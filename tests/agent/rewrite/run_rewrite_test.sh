#!/bin/sh
# End-to-end test of agent/classfile.c on a real JVM.
#   run_rewrite_test.sh REWRITE_TOOL SOURCE_DIR WORK_DIR [EXTRA_JDK_HOME]
# For each JDK found (JAVA_HOME, Debian's JDK 17, Temurin 25): compile the fixture with javac -g
# (the JDK's own class-file version, and --release 8 for version 52), rewrite Target.class with
# the hooks listed in specs.txt, then run Main with -Xverify:all on every JDK found and compare
# stdout exactly with expected.txt; the original classes must print expected.txt without the
# "H " hook lines. Exit 77 (CTest skip) only when no javac exists at all.
set -u
TOOL=$1
SRC=$2
WORK=$3

candidates="${JAVA_HOME:-} /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64 ${4:-}"
jdks=""
for h in $candidates; do
    [ -x "$h/bin/java" ] || continue
    r=$(readlink -f "$h")
    case " $jdks " in *" $r "*) continue ;; esac
    jdks="$jdks $r"
done
compilers=""
for h in $jdks; do
    [ -x "$h/bin/javac" ] && compilers="$compilers $h"
done
if [ -z "$compilers" ]; then
    echo "SKIP: no javac found (set JAVA_HOME or install openjdk-17-jdk-headless)"
    exit 77
fi

fail=0
rm -rf "$WORK"
mkdir -p "$WORK"
grep -v '^H ' "$SRC/expected.txt" > "$WORK/expected-orig.txt"

for jc in $compilers; do
    feature=$("$jc/bin/java" -XshowSettings:properties -version 2>&1 |
              sed -n 's/^ *java\.specification\.version = //p')
    for variant in default release8; do
        d="$WORK/javac$feature-$variant"
        mkdir -p "$d/orig" "$d/new"
        opt=""
        [ "$variant" = release8 ] && opt="--release 8"
        # shellcheck disable=SC2086
        if ! "$jc/bin/javac" -nowarn -Xlint:-options -g $opt -d "$d/orig" \
                "$SRC/Target.java" "$SRC/Hook.java" "$SRC/Main.java" > "$d/javac.log" 2>&1; then
            echo "FAIL: javac $feature $variant"; cat "$d/javac.log"; fail=1; continue
        fi
        cp "$d/orig/Main.class" "$d/orig/Hook.class" "$d/new/"
        if ! "$TOOL" "$d/orig/Target.class" "$d/new/Target.class" Hook "$SRC/specs.txt" \
                > "$d/rewrite.log" 2>&1; then
            echo "FAIL: rewrite ($feature $variant)"; cat "$d/rewrite.log"; fail=1; continue
        fi
        if ! "$jc/bin/javap" -v -c -p "$d/new/Target.class" > "$d/javap.txt" 2>&1; then
            echo "FAIL: javap cannot read the rewritten class ($feature $variant)"; fail=1
        fi
        for jr in $jdks; do
            # a class file runs only on a JDK at least as new as its javac (unless --release 8)
            rf=$("$jr/bin/java" -XshowSettings:properties -version 2>&1 |
                 sed -n 's/^ *java\.specification\.version = //p')
            if [ "$variant" = default ] && [ "$rf" -lt "$feature" ]; then
                continue
            fi
            tag="javac $feature $variant, java $rf"
            "$jr/bin/java" -Xverify:all -cp "$d/orig" Main > "$d/orig-$rf.out" 2> "$d/orig-$rf.err"
            if ! cmp -s "$d/orig-$rf.out" "$WORK/expected-orig.txt"; then
                echo "FAIL: original program output differs ($tag)"
                diff "$WORK/expected-orig.txt" "$d/orig-$rf.out" | head -20; fail=1
            fi
            "$jr/bin/java" -Xverify:all -cp "$d/new" Main > "$d/new-$rf.out" 2> "$d/new-$rf.err"
            rc=$?
            if [ $rc -ne 0 ] || ! cmp -s "$d/new-$rf.out" "$SRC/expected.txt"; then
                echo "FAIL: rewritten program (exit $rc) ($tag)"
                head -20 "$d/new-$rf.err"
                diff "$SRC/expected.txt" "$d/new-$rf.out" | head -20; fail=1
            else
                echo "ok: $tag ($(grep -c '^H ' "$d/new-$rf.out") hook calls)"
            fi
        done
    done
done
exit $fail
