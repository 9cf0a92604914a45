#!/bin/bash
# Write errors. At startup, an output directory that cannot be created (its parent is a regular
# file) is refused like a bad option: exit code != 0, one "nitrace:" line, the program never runs.
# At run time, the output directory replaced by a regular file while the program runs (and makes
# new accesses all the time, so every periodic write has something to write): the program's stdout
# and exit code are unchanged and the failure is reported on stderr once, not once per period.
#   write_errors.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture writeerr
w=$(fresh_dir write-errors)
touch "$w/file"
for o in config-output-dir config-merge-dir; do
    run_java "$w/start-$o" "$o=$w/file/sub" fixtures.writeerr.Main "$w/stop-start"
    [ "$(cat "$w/start-$o.rc")" != 0 ] || fail "$o under a regular file: the JVM started"
    n=$(nitrace_lines "$w/start-$o.err")
    [ "$n" = 1 ] || { fail "$o under a regular file: $n 'nitrace:' lines (expected 1):"; sed 's/^/    /' "$w/start-$o.err"; }
    grep -q READY "$w/start-$o.out" && fail "$o under a regular file: the program ran"
done

for o in config-output-dir config-merge-dir; do
    d="$w/out-$o"
    mkdir -p "$d"
    rm -f "$w/stop"
    "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=$o=$d,config-write-period-secs=1" \
        -cp "$E2E_CP" fixtures.writeerr.Main "$w/stop" >"$w/run-$o.out" 2>"$w/run-$o.err" &
    pid=$!
    for _ in $(seq 1 50); do   # the first periodic write, up to 10 s
        [ -s "$d/reflect-config.json" ] && break
        sleep 0.2
    done
    [ -s "$d/reflect-config.json" ] || fail "$o: no periodic write within 10 s"
    # Replace the directory by a regular file. A periodic write may recreate the directory
    # between the two steps (the agent creates a missing output directory): retry then.
    for _ in 1 2 3 4 5; do
        rm -rf "$d"
        touch "$d"
        [ -f "$d" ] && break
    done
    sleep 4   # about four failing periodic writes
    touch "$w/stop"
    wait $pid
    echo $? >"$w/run-$o.rc"
    check_rc "$w/run-$o" 0
    printf 'READY\ndone\n' | cmp -s - "$w/run-$o.out" || { fail "$o: stdout changed:"; sed 's/^/    /' "$w/run-$o.out"; }
    n=$(nitrace_lines "$w/run-$o.err")
    if [ "$n" != 1 ]; then
        fail "$o: $n 'nitrace:' lines on stderr after the directory became a file (expected 1):"
        sed 's/^/    /' "$w/run-$o.err" | head -n 20
    fi
    [ -f "$d" ] && [ ! -s "$d" ] || fail "$o: the regular file $d was changed or replaced"
done
# A full file system (a 64 KiB tmpfs, nearly filled beforehand; needs root to mount, else skipped):
# the writes start failing with ENOSPC while the program runs; reported once, program unaffected.
t="$w/tmpfs"
mkdir -p "$t"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$t" 2>/dev/null; then
    dd if=/dev/zero of="$t/filler" bs=1k count=52 2>/dev/null
    mkdir -p "$t/out"
    rm -f "$w/stop"
    "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=config-output-dir=$t/out,config-write-period-secs=1" \
        -cp "$E2E_CP" fixtures.writeerr.Main "$w/stop" >"$w/run-full.out" 2>"$w/run-full.err" &
    pid=$!
    for _ in $(seq 1 75); do   # until a write fails, up to 15 s
        [ "$(nitrace_lines "$w/run-full.err")" -ge 1 ] 2>/dev/null && break
        sleep 0.2
    done
    sleep 3   # about three more failing periodic writes
    touch "$w/stop"
    wait $pid
    echo $? >"$w/run-full.rc"
    check_rc "$w/run-full" 0
    printf 'READY\ndone\n' | cmp -s - "$w/run-full.out" || { fail "full tmpfs: stdout changed:"; sed 's/^/    /' "$w/run-full.out"; }
    n=$(nitrace_lines "$w/run-full.err")
    if [ "$n" != 1 ]; then
        fail "full tmpfs: $n 'nitrace:' lines on stderr (expected 1):"
        sed 's/^/    /' "$w/run-full.err" | head -n 20
    fi
    umount "$t"
else
    echo "note: cannot mount a tmpfs here; the full-file-system case is not run"
fi
finish
