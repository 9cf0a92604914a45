#!/bin/sh
# End-to-end smoke test of libnitrace.so on every JDK found (17 and 25 here):
#  - Smoke and Wide (tests/agent/agent/*.java) run with the agent under -Xverify:all -Xcheck:jni (rewritten
#    JDK classes are verified) and without: same stdout, same exit code, nothing on stderr;
#  - the config written equals expected/<Program>/ exactly (an access filter drops
#    java.util.concurrent.atomic.**: the JDK's own field updaters differ between JDK versions);
#  - the agent without -Xverify:all (CDS on) gives the same config;
#  - System.exit(3) keeps its exit code;
#  - a JVM killed with SIGKILL keeps the config of the periodic writer;
#  - a bad option or a bad filter file: the JVM refuses to start, with one "nitrace:" line.
#   run_agent_test.sh LIBNITRACE_SO SOURCE_DIR WORK_DIR [EXTRA_JDK_HOME]
# Exit 77 (skip) when no JDK with javac exists.
set -u
LIB=$1
SRC=$2
WORK=$3
EXTRA=${4:-}

jdks=""
for h in ${JAVA_HOME:-} /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64 $EXTRA; do
    [ -x "$h/bin/javac" ] || continue
    real=$(readlink -f "$h")
    case " $jdks " in *" $real "*) continue ;; esac
    jdks="$jdks $real"
done
if [ -z "$jdks" ]; then
    echo "SKIP: no JDK with javac found"
    exit 77
fi

fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}

# same_config EXPECTED_DIR GOT_DIR: every file of EXPECTED_DIR equals the one in GOT_DIR
same_config() {
    [ -f "$1/reflect-config.json" ] || { bad "$label: no expected files in $1"; return; }
    for f in "$1"/*.json; do
        n=$(basename "$f")
        if ! cmp -s "$f" "$2/$n"; then
            bad "$label: $n differs from $f"
            diff -u "$f" "$2/$n" | head -40
        fi
    done
}

for jdk in $jdks; do
    feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 |
              sed -n 's/^ *java\.specification\.version = //p')
    w="$WORK/jdk$feature"
    rm -rf "$w"
    mkdir -p "$w/classes"
    if ! "$jdk/bin/javac" -d "$w/classes" "$SRC/Smoke.java" "$SRC/Wide.java" > "$w/javac.log" 2>&1; then
        bad "JDK $feature: javac failed"
        cat "$w/javac.log"
        continue
    fi
    echo data > "$w/classes/smoke-data.txt"
    J="$jdk/bin/java"
    A="-agentpath:$LIB"
    FILTER="access-filter-file=$SRC/java-filter.json"

    for prog in Smoke Wide; do
        label="JDK $feature $prog"
        "$J" -cp "$w/classes" $prog > "$w/$prog.base.out" 2> "$w/$prog.base.err"
        rc0=$?
        "$J" -Xverify:all -Xcheck:jni "$A=config-output-dir=$w/$prog.cfg,$FILTER" -cp "$w/classes" $prog \
            > "$w/$prog.agent.out" 2> "$w/$prog.agent.err"
        rc1=$?
        [ $rc0 -eq 0 ] || bad "$label: exit $rc0 without the agent"
        [ $rc1 -eq $rc0 ] || bad "$label: exit $rc1 with the agent, $rc0 without"
        cmp -s "$w/$prog.base.out" "$w/$prog.agent.out" || bad "$label: stdout differs with the agent"
        [ -s "$w/$prog.agent.err" ] && { bad "$label: stderr with the agent:"; head -5 "$w/$prog.agent.err"; }
        same_config "$SRC/expected/$prog" "$w/$prog.cfg"
        # default verification and CDS: same result
        "$J" "$A=config-output-dir=$w/$prog.cds,$FILTER" -cp "$w/classes" $prog > /dev/null 2>&1 ||
            bad "$label: failed without -Xverify:all"
        label="$label (CDS)"
        same_config "$SRC/expected/$prog" "$w/$prog.cds"
    done

    label="JDK $feature exit code"
    "$J" "$A=config-output-dir=$w/exit.cfg,$FILTER" -cp "$w/classes" Smoke exit > /dev/null 2>&1
    rc=$?
    [ $rc -eq 3 ] || bad "$label: System.exit(3) gave $rc with the agent"
    same_config "$SRC/expected/Smoke" "$w/exit.cfg"

    label="JDK $feature SIGKILL"
    "$J" "$A=config-output-dir=$w/kill.cfg,$FILTER,config-write-period-secs=1,config-write-initial-delay-secs=0" \
        -cp "$w/classes" Smoke sleep > "$w/kill.out" 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 60 ] && ! grep -q instance "$w/kill.out" 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
    sleep 2.5 # more than one period after the last access
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    same_config "$SRC/expected/Smoke" "$w/kill.cfg"

    for opt in no-such-option "caller-filter-file=$w/missing-filter.json" \
               config-write-period-secs=0; do
        label="JDK $feature bad option $opt"
        "$J" "$A=config-output-dir=$w/bad.cfg,$opt" -cp "$w/classes" Smoke > "$w/bad.out" 2> "$w/bad.err"
        rc=$?
        [ $rc -ne 0 ] || bad "$label: the JVM started"
        n=$(grep -c '^nitrace: ' "$w/bad.err")
        [ "$n" -eq 1 ] || { bad "$label: $n 'nitrace:' lines"; cat "$w/bad.err"; }
        grep -q twice "$w/bad.out" && bad "$label: the program ran"
    done
    [ $fail -eq 0 ] && echo "ok: JDK $feature"
done
exit $fail
