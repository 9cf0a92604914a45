#!/bin/bash
# Golden tests of `nitrace jni-scan` on libraries CMake builds (fixtures/jni-provenance):
#
#   jni-scan-run.sh NITRACE LIBJNIPROV.so LIBJNIPROV-STRIPPED.so
#
# The cases are the directories tests/golden/jni-scan-*/ holding a `cmd.lib` file (instead of
# `cmd`, so that the plain golden run, which has no built libraries, skips them). Each is copied
# with run_golden.sh into a temporary directory, `cmd.lib` becomes `cmd`, and the two libraries
# are copied into its input/ as libjniprov.so and libjniprov-stripped.so; then run_golden.sh
# runs them with its usual rules (expected.stdout, expected.stderr, expected.exit). UPDATE=1 is
# not supported here: run the command by hand and review its output instead.
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 NITRACE LIBJNIPROV.so LIBJNIPROV-STRIPPED.so" >&2
    exit 2
fi
nitrace=$1 lib=$2 stripped=$3
for f in "$nitrace" "$lib" "$stripped"; do
    [ -f "$f" ] || { echo "jni-scan-run.sh: $f does not exist (build first)" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/nitrace-jni-scan.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

cp "$here/run_golden.sh" "$work/"
cases=()
for d in "$here"/jni-scan-*/; do
    [ -f "$d/cmd.lib" ] || continue
    name=$(basename "$d")
    cp -a "$d" "$work/$name"
    mv "$work/$name/cmd.lib" "$work/$name/cmd"
    mkdir -p "$work/$name/input"
    cp "$lib" "$work/$name/input/libjniprov.so"
    cp "$stripped" "$work/$name/input/libjniprov-stripped.so"
    cases+=("$name")
done
if [ ${#cases[@]} = 0 ]; then
    echo "jni-scan-run.sh: no jni-scan-*/cmd.lib case found in $here" >&2
    exit 1
fi
"$work/run_golden.sh" "$nitrace" "${cases[@]}"
