#!/bin/bash
# Golden tests of the nitrace CLI.
#
# usage: run_golden.sh PATH-TO-NITRACE [CASE...]
#
# Each directory here with a `cmd` file is one case:
#   cmd              the arguments (one line, shell quoting allowed); @IN@ stands
#                    for the case's input/ directory, @OUT@ for a fresh, empty
#                    temporary output directory
#   cmd.alt          optional: more argument lines, one per line, that must give
#                    exactly the same results (e.g. inputs in another order)
#   input/           the inputs
#   preout/          optional: copied into @OUT@ before the run
#   expected/        the files @OUT@ must hold afterwards, byte for byte
#                    (absent: @OUT@ must be empty)
#   expected.stdout  standard output (absent: must be empty)
#   expected.stderr  standard error (absent: must be empty)
#   expected.exit    the exit status
# The command runs with the case directory as working directory, so @IN@ is
# the relative path "input" and diagnostics name files as input/...; the
# temporary @OUT@ path is written back as @OUT@ in stdout and stderr.
#
# Prints a diff for every mismatch and a final "N passed, N failed"; exits 1
# when a case failed. UPDATE=1 rewrites the expected files from what the
# current build does: only for use by hand, review every change (git diff)
# before keeping it.
set -u
export LC_ALL=C

if [ $# -lt 1 ]; then
    echo "usage: $0 PATH-TO-NITRACE [CASE...]" >&2
    exit 2
fi
nitrace=$1
shift
case $nitrace in
    /*) ;;
    *) nitrace=$PWD/$nitrace ;;
esac
if [ ! -x "$nitrace" ]; then
    echo "run_golden.sh: $nitrace is not an executable" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
update=${UPDATE:-0}

work=$(mktemp -d "${TMPDIR:-/tmp}/nitrace-golden.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# run_case CASE-DIR ARG-LINE RESULT-DIR: run one command line of a case and
# leave stdout, stderr, exit and out/ in RESULT-DIR.
run_case() {
    local dir=$1 line=$2 res=$3
    rm -rf "$res"
    mkdir -p "$res/out"
    if [ -d "$dir/preout" ]; then
        cp -a "$dir/preout/." "$res/out/"
    fi
    local args=${line//@IN@/input}
    args=${args//@OUT@/$res/out}
    eval "set -- $args"
    (cd "$dir" && "$nitrace" "$@" >"$res/stdout.raw" 2>"$res/stderr.raw" </dev/null)
    echo $? >"$res/exit"
    sed "s|$res/out|@OUT@|g" "$res/stdout.raw" >"$res/stdout"
    sed "s|$res/out|@OUT@|g" "$res/stderr.raw" >"$res/stderr"
}

# compare CASE-DIR RESULT-DIR LABEL: 0 when the result matches the expected files.
compare() {
    local dir=$1 res=$2 label=$3 ok=0
    local empty=$work/empty
    mkdir -p "$empty"
    : >"$work/empty.txt"
    if ! diff -u "$dir/expected.exit" "$res/exit" >"$work/d" 2>&1; then
        echo "--- $label: exit status differs"; cat "$work/d"; ok=1
    fi
    local exp_out=$dir/expected.stdout exp_err=$dir/expected.stderr exp_dir=$dir/expected
    [ -f "$exp_out" ] || exp_out=$work/empty.txt
    [ -f "$exp_err" ] || exp_err=$work/empty.txt
    [ -d "$exp_dir" ] || exp_dir=$empty
    if ! diff -u "$exp_out" "$res/stdout" >"$work/d" 2>&1; then
        echo "--- $label: stdout differs"; cat "$work/d"; ok=1
    fi
    if ! diff -u "$exp_err" "$res/stderr" >"$work/d" 2>&1; then
        echo "--- $label: stderr differs"; cat "$work/d"; ok=1
    fi
    if ! diff -ruN "$exp_dir" "$res/out" >"$work/d" 2>&1; then
        echo "--- $label: output files differ"; cat "$work/d"; ok=1
    fi
    return $ok
}

# save CASE-DIR RESULT-DIR: UPDATE=1, make the result the expected files.
save() {
    local dir=$1 res=$2
    cp "$res/exit" "$dir/expected.exit"
    rm -f "$dir/expected.stdout" "$dir/expected.stderr"
    rm -rf "$dir/expected"
    [ -s "$res/stdout" ] && cp "$res/stdout" "$dir/expected.stdout"
    [ -s "$res/stderr" ] && cp "$res/stderr" "$dir/expected.stderr"
    if [ -n "$(ls -A "$res/out")" ]; then
        cp -a "$res/out" "$dir/expected"
    fi
}

if [ $# -gt 0 ]; then
    cases=("$@")
else
    cases=()
    for d in "$here"/*/; do
        [ -f "$d/cmd" ] && cases+=("$(basename "$d")")
    done
fi

for name in "${cases[@]}"; do
    dir=$here/$name
    if [ ! -f "$dir/cmd" ]; then
        echo "FAIL $name: no such case"
        failed=$((failed + 1))
        continue
    fi
    res=$work/result
    run_case "$dir" "$(head -n 1 "$dir/cmd")" "$res"
    [ "$update" = 1 ] && save "$dir" "$res"
    case_ok=0
    compare "$dir" "$res" "$name" || case_ok=1
    if [ -f "$dir/cmd.alt" ]; then
        n=0
        while IFS= read -r alt || [ -n "$alt" ]; do
            [ -n "$alt" ] || continue
            n=$((n + 1))
            run_case "$dir" "$alt" "$res"
            compare "$dir" "$res" "$name (cmd.alt line $n: $alt)" || case_ok=1
        done <"$dir/cmd.alt"
    fi
    if [ $case_ok = 0 ]; then
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]
