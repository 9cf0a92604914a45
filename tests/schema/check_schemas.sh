#!/bin/bash
# Every file nitrace writes validates against GraalVM's published schemas.
#
# usage: check_schemas.sh PATH-TO-NITRACE
#
# Runs `nitrace merge` over every good example (tests/data/configs/ and the
# inputs of the golden cases that succeed), once per output format
# (-o DIR --format legacy, -o DIR --format combined, and combined JSON on
# standard output), and validates every written file with validate.py against
# the schemas in the shared schemas directory (../shared/schemas next to the
# repository). Also validates the golden expected output files. Prints
# "N passed, N failed"; exits 1 when anything failed, 2 when it cannot run.
set -u
export LC_ALL=C

if [ $# -ne 1 ]; then
    echo "usage: $0 PATH-TO-NITRACE" >&2
    exit 2
fi
nitrace=$1
case $nitrace in
    /*) ;;
    *) nitrace=$PWD/$nitrace ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
python=/usr/bin/python3

# Find the shared schemas: ../shared/schemas relative to the repository root
# (CI clones the repository next to a copy of shared/).
schemas=
top=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || true)
for cand in ${top:+"$top/../shared/schemas"} "$here/../../../shared/schemas"; do
    if [ -f "$cand/reachability-metadata-schema-v1.2.0.json" ]; then
        schemas=$(cd "$cand" && pwd)
        break
    fi
done
if [ -z "$schemas" ]; then
    echo "check_schemas.sh: GraalVM's schemas not found: expected ../shared/schemas next to the" \
         "repository root (${top:-$here/../..}/../shared/schemas); put a copy of shared/ there" >&2
    exit 2
fi
if [ ! -d "$schemas/fixed" ]; then
    echo "check_schemas.sh: $schemas/fixed is missing (see $schemas/SOURCES.md)" >&2
    exit 2
fi
if [ ! -x "$nitrace" ]; then
    echo "check_schemas.sh: $nitrace is not an executable" >&2
    exit 2
fi
if ! "$python" -c 'import jsonschema' 2>/dev/null; then
    echo "check_schemas.sh: $python cannot import jsonschema (apt-get install python3-jsonschema)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/nitrace-schema.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

failed=0
passed=0
files=()   # [KIND=]PATH arguments for validate.py
declare -A origin   # temporary output name -> the merge command that wrote it
n=0

# The good examples: every file listed in data/configs/SCHEMAS.txt (the
# reader's examples; data/bad/ holds the invalid ones), each directory under
# data/configs/, and every input named by the cmd of a golden case that exits
# 0 (the @IN@ arguments that are not option values such as filter files).
inputs=()
configs=$tests/data/configs
if [ -f "$configs/SCHEMAS.txt" ]; then
    while read -r f _; do
        case $f in ''|'#'*) continue ;; esac
        if [ ! -f "$configs/$f" ]; then
            echo "FAIL data/configs/SCHEMAS.txt lists $f, which does not exist"
            failed=$((failed + 1))
            continue
        fi
        inputs+=("$configs/$f")
    done <"$configs/SCHEMAS.txt"
fi
for d in "$configs"/*/; do
    [ -d "$d" ] && inputs+=("${d%/}")
done
for d in "$tests"/golden/*/; do
    d=${d%/}
    [ -f "$d/expected.exit" ] && [ "$(cat "$d/expected.exit")" = 0 ] && [ -f "$d/cmd" ] || continue
    line=$(head -n 1 "$d/cmd")
    line=${line//@IN@/$d/input}
    line=${line//@OUT@/$work/unused}
    eval "set -- $line"
    shift   # the command
    skip=0
    for w in "$@"; do
        if [ $skip = 1 ]; then
            skip=0
            continue
        fi
        case $w in
            -o|--output|--format|--caller-filter-file|--access-filter-file) skip=1; continue ;;
            -*) continue ;;
        esac
        case $w in
            "$d/input"*) [ -e "$w" ] && inputs+=("$w") ;;
        esac
    done
done
if [ ${#inputs[@]} -eq 0 ]; then
    echo "check_schemas.sh: no good examples found under $tests/data/configs or $tests/golden" >&2
    exit 2
fi

for in in "${inputs[@]}"; do
    for fmt in legacy combined; do
        n=$((n + 1))
        out=$work/$n-$fmt
        origin[$n-$fmt]="nitrace merge -o DIR --format $fmt $in"
        if ! "$nitrace" merge -o "$out" --format "$fmt" "$in" >"$work/log" 2>&1; then
            echo "FAIL nitrace merge -o DIR --format $fmt $in:"
            sed 's/^/  /' "$work/log"
            failed=$((failed + 1))
            continue
        fi
        while IFS= read -r f; do
            files+=("$f")
        done < <(find "$out" -type f -name '*.json' | sort)
    done
    n=$((n + 1))
    if ! "$nitrace" merge "$in" >"$work/$n-stdout.json" 2>"$work/log"; then
        echo "FAIL nitrace merge $in:"
        sed 's/^/  /' "$work/log"
        failed=$((failed + 1))
        continue
    fi
    origin[$n-stdout]="nitrace merge $in"
    files+=("reachability-metadata.json=$work/$n-stdout.json")
done

# The golden expected files of successful cases.
for d in "$tests"/golden/*/; do
    d=${d%/}
    [ -f "$d/expected.exit" ] && [ "$(cat "$d/expected.exit")" = 0 ] || continue
    if [ -d "$d/expected" ]; then
        while IFS= read -r f; do
            files+=("$f")
        done < <(find "$d/expected" -type f -name '*.json' | sort)
    fi
    # merge without -o prints reachability-metadata.json
    if [ -f "$d/expected.stdout" ] && grep -q '^merge ' "$d/cmd" && ! grep -qE '(^| )(-o|--output)' "$d/cmd"; then
        files+=("reachability-metadata.json=$d/expected.stdout")
    fi
done

"$python" "$here/validate.py" --schemas "$schemas" "${files[@]}" >"$work/validate.out"
vrc=$?
# Name the merge run behind each failing temporary file.
while IFS= read -r l; do
    [[ $l =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]] && continue
    if [[ $l =~ $work/([0-9]+-[a-z]+) ]]; then
        l="$l  [from: ${origin[${BASH_REMATCH[1]}]:-?}]"
    fi
    echo "$l"
done <"$work/validate.out"
summary=$(tail -n 1 "$work/validate.out")
if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
else
    echo "FAIL validate.py did not finish (exit $vrc)"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
