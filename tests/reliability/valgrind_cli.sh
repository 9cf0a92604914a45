#!/bin/bash
# The CLI under valgrind (memcheck): every command, including error paths, without a memory error
# or a definite leak. Each command's exit code is checked too.
#   valgrind_cli.sh NITRACE WORK_DIR
# Exit 77 (skipped) only when valgrind is not installed.
set -u
export LC_ALL=C
nitrace=${1:?nitrace}
work=${2:?work dir}
tests=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$tests/.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind is not installed (scripts/deps.sh installs it)"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
failed=0
n=0
# vg WANT_EXIT ARGS...: run nitrace ARGS under valgrind; its exit code must be WANT_EXIT.
vg() {
    local want=$1 rc
    shift
    n=$((n + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite "$nitrace" "$@" >"$work/$n.out" 2>"$work/$n.err"
    rc=$?
    if [ $rc = 99 ] || grep -q '^==[0-9]*==' "$work/$n.err"; then
        echo "FAIL: valgrind reports errors for: nitrace $*"
        grep '^==' "$work/$n.err" | head -n 40
        failed=1
    elif [ $rc != "$want" ]; then
        echo "FAIL: exit code $rc (expected $want) of: nitrace $*"
        head -n 10 "$work/$n.err"
        failed=1
    fi
}
d="$tests/data"
vg 0 merge -o "$work/m1" "$root/examples/run1" "$root/examples/run2"
vg 0 merge --format combined -o "$work/m2" "$d/configs/legacy-v1.2" "$d/configs/combined-v1.2" "$d/configs/legacy-oldshapes"
vg 0 merge "$d/configs/tree-jar"
vg 0 merge -o "$work/m3" "$d/traces/reflect.json" "$d/traces/jni.json"
vg 0 subtract -o "$work/s1" "$work/m1" "$root/examples/run1"
vg 1 diff "$root/examples/run1" "$root/examples/run2"
vg 1 diff --json "$root/examples/run1" "$root/examples/run2"
vg 0 stats --json "$work/m2"
vg 0 validate "$d/configs/legacy-v1.1"
vg 0 prune --clojure --explain -o "$work/p1" "$tests/golden/prune-provenance/input"
for bad in "$d"/bad/*.json; do
    vg 1 validate "$bad"
done
vg 3 merge -o "$work/m4" "$work/does-not-exist"
vg 2 merge
vg 2 merge --format nonsense -o "$work/m5" "$root/examples/run1"
vg 2 nosuchcommand
touch "$work/file"
vg 4 merge -o "$work/file/sub" "$root/examples/run1"
vg 0 help merge
echo "valgrind: $n nitrace commands checked"
[ $failed = 0 ] && echo PASS
exit $failed
