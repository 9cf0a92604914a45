#!/bin/sh
# Rewrites real JDK classes (java.lang.Class, reflect.Method/Constructor/Array/Proxy,
# invoke.MethodHandles$Lookup, taken from the JDK's own lib/modules with jimage) offline with
# agent/classfile.c, puts them and java.lang.NitraceHook into java.base with --patch-module, and
# runs Demo with -Xverify:all -XX:+BytecodeVerificationLocal: every reflective call must reach
# the hook with the right arguments, and the program must behave as usual (expected.txt).
#   run_jdk_test.sh REWRITE_TOOL SOURCE_DIR WORK_DIR [EXTRA_JDK_HOME]
# Exit 77 (skip) when no JDK with javac and jimage exists.
set -u
TOOL=$1
SRC=$2
WORK=$3

jdks=""
for h in ${JAVA_HOME:-} /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64 ${4:-}; do
    [ -x "$h/bin/javac" ] && [ -x "$h/bin/jimage" ] && [ -f "$h/lib/modules" ] || continue
    r=$(readlink -f "$h")
    case " $jdks " in *" $r "*) continue ;; esac
    jdks="$jdks $r"
done
if [ -z "$jdks" ]; then
    echo "SKIP: no JDK with javac and jimage found"
    exit 77
fi

fail=0
rm -rf "$WORK"
for jdk in $jdks; do
    feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 |
              sed -n 's/^ *java\.specification\.version = //p')
    w="$WORK/jdk$feature"
    mkdir -p "$w/ext" "$w/patch" "$w/app"
    if ! "$jdk/bin/jimage" extract --dir "$w/ext" \
            --include 'regex:/java.base/java/lang/(Class|reflect/Method|reflect/Constructor|reflect/Array|reflect/Proxy|invoke/MethodHandles\$Lookup)\.class' \
            "$jdk/lib/modules"; then
        echo "FAIL: jimage extract ($feature)"; fail=1; continue
    fi
    for spec in Class reflect/Method reflect/Constructor reflect/Array reflect/Proxy 'invoke/MethodHandles$Lookup'; do
        in="$w/ext/java.base/java/lang/$spec.class"
        out="$w/patch/java/lang/$spec.class"
        mkdir -p "$(dirname "$out")"
        specfile="$SRC/$(basename "$spec" | sed 's/.*[$]//').specs"   # MethodHandles$Lookup -> Lookup
        if ! "$TOOL" "$in" "$out" java/lang/NitraceHook "$specfile" \
                --allow-missing >> "$w/rewrite.log" 2>&1; then
            echo "FAIL: rewrite $spec ($feature)"; cat "$w/rewrite.log"; fail=1
        fi
    done
    if ! "$jdk/bin/javap" -v -c -p "$w/patch/java/lang/Class.class" > "$w/javap-Class.txt" 2>&1; then
        echo "FAIL: javap cannot read rewritten Class.class ($feature)"; fail=1
    fi
    if ! "$jdk/bin/javac" --patch-module java.base="$SRC/java.base" -d "$w/patch" \
            "$SRC/java.base/java/lang/NitraceHook.java" > "$w/javac.log" 2>&1 ||
       ! "$jdk/bin/javac" --patch-module java.base="$w/patch" -XDstringConcat=inline \
            -d "$w/app" "$SRC/Demo.java" >> "$w/javac.log" 2>&1; then
        echo "FAIL: javac ($feature)"; cat "$w/javac.log"; fail=1; continue
    fi
    "$jdk/bin/java" -Xshare:off --patch-module java.base="$w/patch" -Xverify:all -XX:+UnlockDiagnosticVMOptions \
        -XX:+BytecodeVerificationLocal -cp "$w/app" Demo > "$w/out.txt" 2> "$w/err.txt"
    rc=$?
    if [ $rc -ne 0 ] || ! cmp -s "$w/out.txt" "$SRC/expected.txt"; then
        echo "FAIL: Demo on rewritten JDK $feature classes (exit $rc)"
        head -30 "$w/err.txt"; diff "$SRC/expected.txt" "$w/out.txt" | head -30; fail=1
    else
        echo "ok: JDK $feature: $(grep -c '^applied' "$w/rewrite.log") JDK methods rewritten, $(grep -c '^hooked' "$w/out.txt") hook checks passed"
    fi
done
exit $fail
