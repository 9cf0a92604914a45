#!/bin/bash
# Every option error makes the JVM refuse to start: exit code != 0, exactly one stderr line starting
# "nitrace:", the program never runs (its READY line is absent) and no output is created.
#   option_errors.sh LIBNITRACE NITRACE JDK_HOME WORK_DIR JNI_LIB
. "$(dirname "$0")/common.sh"
compile_fixture periodic
w=$(fresh_dir option-errors)
cases=(
    "unknown option|no-such-option=1"
    "unknown bare option|frobnicate"
    "config-output-dir and config-merge-dir|config-output-dir=$w/a,config-merge-dir=$w/b"
    "config-merge-dir and trace-output|config-merge-dir=$w/a,trace-output=$w/b.json"
    "two config-output-dir|config-output-dir=$w/a,config-output-dir=$w/b"
    "period not a number|config-output-dir=$w/a,config-write-period-secs=abc"
    "period zero|config-output-dir=$w/a,config-write-period-secs=0"
    "initial delay negative|config-output-dir=$w/a,config-write-initial-delay-secs=-1"
    "bad boolean|config-output-dir=$w/a,builtin-caller-filter=maybe"
    "bad boolean for no-filter|config-output-dir=$w/a,no-filter=yes"
    "missing path|config-output-dir="
)
i=0
for c in "${cases[@]}"; do
    name=${c%%|*}
    opts=${c#*|}
    i=$((i + 1))
    run_java "$w/case$i" "$opts" fixtures.periodic.Main
    rc=$(cat "$w/case$i.rc")
    n=$(nitrace_lines "$w/case$i.err")
    if [ "$rc" = 0 ]; then
        fail "$name ($opts): the JVM started (exit 0)"
    fi
    if [ "$n" != 1 ]; then
        fail "$name ($opts): $n stderr lines start with 'nitrace:' (expected 1):"
        sed 's/^/    /' "$w/case$i.err" | head -n 20
    fi
    if grep -q READY "$w/case$i.out"; then
        fail "$name ($opts): the program ran:"
        sed 's/^/    /' "$w/case$i.out"
    fi
    if [ -e "$w/a" ] || [ -e "$w/b" ] || [ -e "$w/b.json" ]; then
        fail "$name ($opts): an output was created"
        rm -rf "$w/a" "$w/b" "$w/b.json"
    fi
done
finish
