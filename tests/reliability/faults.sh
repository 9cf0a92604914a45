#!/bin/bash
# Fault injection: the agent's writes fail while the program runs, the merge directory holds
# things nitrace cannot use, the output directory is read-only, removed or has a directory where
# a file goes. Promise checked in every case: the program's stdout and exit code are unchanged,
# the agent says so once (one "nitrace:" line, naming the error), existing files stay unchanged
# while the fault lasts, and once it is gone the agent writes again.
#   faults.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB SHIM [short|long]
# SHIM is fault_shim.so (LD_PRELOAD; see fault_shim.c). short: one run per errno (ENOSPC on
# write, EIO on fsync, EACCES on rename, EACCES on open); long: every errno x every operation.
. "$(dirname "$0")/../agent/e2e/common.sh"
shim=${1:?fault shim}
level=${2:-short}
[ -f "$shim" ] || { echo "SETUP: no fault shim at $shim" >&2; exit 2; }
compile_fixture periodic
cp_periodic=$E2E_CP
compile_fixture writeerr
cp_writeerr=$E2E_CP
w=$(fresh_dir faults)
n_cases=0

# snapshot DIR: one line per file under DIR (name and checksum), directories included; the
# temporary files of a write in progress and the lock files are left out (check_no_temp looks
# for leftovers).
snapshot() {
    (cd "$1" && find . -mindepth 1 ! -name lock ! -name writers ! -name '.*.tmp.*' -printf '%y %p\n' | sort |
     while read -r t p; do
        if [ "$t" = f ]; then echo "$p $(sha256sum <"$p" 2>&1 | cut -c1-16)"; else echo "$p $t"; fi
    done)
}

# check_no_temp NAME DIR: no temporary file of a failed write is left once the program ended.
check_no_temp() {
    local left
    left=$(find "$2" -name '.*.tmp.*' | head -n 5)
    [ -z "$left" ] || fail "$1: temporary files left behind: $left"
}

# wait_for SECONDS COMMAND...: poll every 0.2 s until COMMAND succeeds; 1 on timeout.
wait_for() {
    local n=$(( $1 * 5 ))
    shift
    for _ in $(seq 1 "$n"); do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}

lines_of() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
has_lines() { [ "$(lines_of "$1")" -ge "$2" ]; }
changed_from() { [ -f "$1" ] && ! cmp -s "$1" "$2"; }

strerror() {
    case $1 in
        ENOSPC) echo "No space left on device" ;;
        EIO) echo "Input/output error" ;;
        EACCES) echo "Permission denied" ;;
    esac
}

# check_program NAME: the writeerr fixture's exit code and output are unchanged.
check_program() {
    check_rc "$w/$1" 0
    printf 'READY\ndone\n' | cmp -s - "$w/$1.out" || { fail "$1: stdout changed:"; sed 's/^/    /' "$w/$1.out"; }
}

# check_one_line NAME PATTERN: exactly one "nitrace:" line on stderr, and it matches PATTERN.
check_one_line() {
    local n
    n=$(nitrace_lines "$w/$1.err")
    if [ "$n" != 1 ]; then
        fail "$1: $n 'nitrace:' lines on stderr (expected 1):"
        sed 's/^/    /' "$w/$1.err" | head -n 20
    elif ! grep '^nitrace:' "$w/$1.err" | grep -q -- "$2"; then
        fail "$1: the 'nitrace:' line does not say '$2':"
        sed 's/^/    /' "$w/$1.err" | head -n 5
    fi
}

# write_fault ERRNO OP MODE: writes under the output directory fail with ERRNO in OP while armed.
write_fault() {
    local err=$1 op=$2 mode=$3 name="fault-$1-$2"
    local d="$w/$name" arm="$w/$name.arm" log="$w/$name.faults"
    n_cases=$((n_cases + 1))
    mkdir -p "$d"
    rm -f "$arm" "$log" "$w/stop"
    NT_FAULT_PREFIX="$d" NT_FAULT_ERRNO=$err NT_FAULT_OPS=$op NT_FAULT_ARM="$arm" NT_FAULT_LOG="$log" \
    LD_PRELOAD="$shim" "$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" \
        "-agentpath:$E2E_LIB=$mode=$d,config-write-period-secs=1" \
        -cp "$E2E_CP" fixtures.writeerr.Main "$w/stop" >"$w/$name.out" 2>"$w/$name.err" &
    local pid=$!
    if ! wait_for 30 test -s "$d/reflect-config.json"; then
        fail "$name: no first write within 30 s"
    else
        touch "$arm"
        wait_for 30 has_lines "$log" 1 || fail "$name: no $op fault injected within 30 s"
        sleep 1.5   # the failing flush ends
        snapshot "$d" >"$w/$name.snap1"
        local n
        n=$(lines_of "$log")
        wait_for 30 has_lines "$log" $((n + 2)) || fail "$name: the agent stopped trying to write"
        snapshot "$d" >"$w/$name.snap2"
        if ! cmp -s "$w/$name.snap1" "$w/$name.snap2"; then
            fail "$name: files changed (or temporary files were left) while writes failed:"
            diff "$w/$name.snap1" "$w/$name.snap2" | sed 's/^/    /'
        fi
        cp "$d/reflect-config.json" "$w/$name.before"
        rm -f "$arm"
        wait_for 30 changed_from "$d/reflect-config.json" "$w/$name.before" ||
            fail "$name: no successful write within 30 s after the fault ended"
    fi
    touch "$w/stop"
    wait $pid
    echo $? >"$w/$name.rc"
    check_program "$name"
    check_no_temp "$name" "$d"
    check_one_line "$name" "$(strerror "$err")"
    [ -s "$log" ] && validate_dir "$d"
}

if [ "$level" = long ]; then
    for err in ENOSPC EIO EACCES; do
        for op in write fsync rename; do
            write_fault $err $op config-output-dir
        done
        write_fault $err open config-merge-dir
    done
else
    write_fault ENOSPC write config-output-dir
    write_fault EIO fsync config-merge-dir
    write_fault EACCES rename config-output-dir
    write_fault EACCES open config-merge-dir
fi

# ---- the merge directory holds something nitrace cannot use --------------------------------
E2E_CP=$cp_periodic
run_java "$w/plain" "" fixtures.periodic.Main
# bad_merge NAME SETUP_FUNCTION [SHIM_PREFIX]: the fixture's run leaves the directory as it was.
bad_merge() {
    local name=$1 setup=$2 prefix=${3:-}
    local d="$w/$name"
    n_cases=$((n_cases + 1))
    rm -rf "$d"
    mkdir -p "$d"
    "$setup" "$d"
    snapshot "$d" >"$w/$name.snap1"
    if [ -n "$prefix" ]; then
        NT_FAULT_PREFIX="$d/$prefix" NT_FAULT_ERRNO=EACCES NT_FAULT_OPS=open LD_PRELOAD="$shim" \
            run_java "$w/$name" "config-merge-dir=$d,config-write-period-secs=1" fixtures.periodic.Main 2
    else
        run_java "$w/$name" "config-merge-dir=$d,config-write-period-secs=1" fixtures.periodic.Main 2
    fi
    check_rc "$w/$name" 0
    cmp -s "$w/plain.out" "$w/$name.out" || fail "$name: stdout differs from a run without the agent"
    snapshot "$d" | grep -v '^\./\.nitrace ' >"$w/$name.snap2"
    grep -v '^\./\.nitrace ' "$w/$name.snap1" | cmp -s - "$w/$name.snap2" || {
        fail "$name: the merge directory changed:"
        diff "$w/$name.snap1" "$w/$name.snap2" | sed 's/^/    /'
    }
    check_one_line "$name" "${prefix:-reflect-config.json}"
}
setup_foreign() { printf '{\n  "name": "my-app",\n  "version": "1.0.0"\n}\n' >"$1/reflect-config.json"; }
setup_foreign_combined() { printf '[1, 2, 3]\n' >"$1/reachability-metadata.json"; }
setup_corrupt_utf8() { printf '[{"name": "a.\xff\xfeB"}]\n' >"$1/reflect-config.json"; }
setup_directory() { mkdir -p "$1/reflect-config.json"; echo keep >"$1/reflect-config.json/inside"; }
setup_unreadable() { printf '[]\n' >"$1/reflect-config.json"; }
setup_bad_provenance() { mkdir -p "$1/.nitrace"; printf 'not json' >"$1/.nitrace/provenance.json"; }
bad_merge merge-foreign-json setup_foreign
bad_merge merge-corrupt-utf8 setup_corrupt_utf8
bad_merge merge-directory setup_directory
bad_merge merge-unreadable setup_unreadable reflect-config.json
if [ "$level" = long ]; then
    bad_merge merge-foreign-combined setup_foreign_combined reachability-metadata.json
fi
# a provenance file that does not parse: the same promise (it lives in .nitrace/)
d="$w/merge-bad-provenance"
n_cases=$((n_cases + 1))
rm -rf "$d"; mkdir -p "$d"; setup_bad_provenance "$d"
run_java "$w/merge-bad-provenance" "config-merge-dir=$d" fixtures.periodic.Main
check_rc "$w/merge-bad-provenance" 0
[ "$(cat "$d/.nitrace/provenance.json")" = "not json" ] || fail "merge-bad-provenance: provenance.json changed"
[ -z "$(find "$d" -maxdepth 1 -name '*.json')" ] || fail "merge-bad-provenance: config written beside it"
check_one_line merge-bad-provenance provenance.json

# ---- the output directory itself -----------------------------------------------------------
exp=$(expected_dir periodic)
# removed while the program runs: the next write recreates it with everything recorded
name=dir-removed
n_cases=$((n_cases + 1))
d="$w/$name"
rm -rf "$d"
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=config-output-dir=$d,config-write-period-secs=1" \
    -cp "$E2E_CP" fixtures.periodic.Main 5 >"$w/$name.out" 2>"$w/$name.err" &
pid=$!
wait_for 30 test -s "$d/reflect-config.json" || fail "$name: no first write within 30 s"
rm -rf "$d"
wait $pid
echo $? >"$w/$name.rc"
check_rc "$w/$name" 0
cmp -s "$w/plain.out" "$w/$name.out" || fail "$name: stdout differs from a run without the agent"
[ "$(nitrace_lines "$w/$name.err")" -le 1 ] || { fail "$name: more than one 'nitrace:' line:"; sed 's/^/    /' "$w/$name.err"; }
[ -d "$d" ] && compare_config "$exp" "$d" || fail "$name: the directory was not written again at exit"

# a directory where a config file goes, created while the program runs: left alone, reported once
E2E_CP=$cp_writeerr
name=file-became-dir
n_cases=$((n_cases + 1))
d="$w/$name"
rm -rf "$d" "$w/stop"
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=config-output-dir=$d,config-write-period-secs=1" \
    -cp "$E2E_CP" fixtures.writeerr.Main "$w/stop" >"$w/$name.out" 2>"$w/$name.err" &
pid=$!
wait_for 30 test -s "$d/reflect-config.json" || fail "$name: no first write within 30 s"
rm -f "$d/reflect-config.json"
mkdir "$d/reflect-config.json"
echo keep >"$d/reflect-config.json/inside"
wait_for 30 grep -q '^nitrace:' "$w/$name.err" || fail "$name: nothing reported within 30 s"
sleep 2
touch "$w/stop"
wait $pid
echo $? >"$w/$name.rc"
check_program "$name"
check_one_line "$name" "reflect-config.json"
[ "$(cat "$d/reflect-config.json/inside" 2>/dev/null)" = keep ] || fail "$name: the directory was changed"

# read-only: a read-only bind mount of the output directory (root), or mode 555 (not root)
name=read-only
d="$w/$name"
rm -rf "$d" "$w/stop"
mkdir -p "$d"
ro=none
"$E2E_JDK/bin/java" "${E2E_JAVA_OPTS[@]}" "-agentpath:$E2E_LIB=config-merge-dir=$d,config-write-period-secs=1" \
    -cp "$E2E_CP" fixtures.writeerr.Main "$w/stop" >"$w/$name.out" 2>"$w/$name.err" &
pid=$!
wait_for 30 test -s "$d/reflect-config.json" || fail "$name: no first write within 30 s"
sleep 1.5
if [ "$(id -u)" = 0 ]; then
    if mount --bind "$d" "$d" 2>/dev/null; then
        if mount -o remount,ro,bind "$d" 2>/dev/null; then
            ro=mount
            trap 'umount "$w/read-only" 2>/dev/null' EXIT   # also when interrupted
        else
            umount "$d"
        fi
    fi
else
    chmod 555 "$d" "$d/.nitrace" && ro=chmod
fi
if [ $ro != none ]; then
    n_cases=$((n_cases + 1))
    snapshot "$d" >"$w/$name.snap1"
    wait_for 30 grep -q '^nitrace:' "$w/$name.err" || fail "$name: nothing reported within 30 s"
    sleep 2
    snapshot "$d" >"$w/$name.snap2"
    cmp -s "$w/$name.snap1" "$w/$name.snap2" || fail "$name: files changed in a read-only directory"
fi
touch "$w/stop"
wait $pid
echo $? >"$w/$name.rc"
[ $ro = mount ] && umount "$d" && trap - EXIT
[ $ro = chmod ] && chmod 755 "$d" "$d/.nitrace"
check_program "$name"
if [ $ro != none ]; then
    check_one_line "$name" "Read-only file system\|Permission denied"
else
    echo "note: cannot make a directory read-only here (no bind mount); read-only case not run"
fi

echo "faults: $n_cases cases on JDK $E2E_FEATURE ($level)"
finish
