#!/usr/bin/env bash
# CTest bench.agent.smoke: the agent benchmark harness runs one tiny workload (getResource, 1 000
# calls, one pair, JDK 17) without and with the agent and prints a table and JSON with one row.
# No timing is judged. Exit 77 (skipped) when JDK 17 is not installed.
#
#   smoke.sh LIBNITRACE_SO WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
agent=$1
work=$2
jdk=/usr/lib/jvm/java-17-openjdk-amd64
[ -x "$jdk/bin/javac" ] || { echo "no JDK 17 at $jdk: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work/classes" || exit 1
"$jdk/bin/javac" --release 17 -d "$work/classes" "$here"/java/*.java || { echo "FAIL: javac"; exit 1; }
/usr/bin/python3 "$here/bench.py" --build "$work" --agent "$agent" --classes "$work/classes" \
  --pairs 1 --jdk 17 --only getResource --scale 0.01 --lambda-requests 0 --json "$work/agent.json" \
  >"$work/table.txt" 2>"$work/stderr.txt"
rc=$?
cat "$work/table.txt"
if [ $rc != 0 ]; then echo "FAIL: bench.py exited $rc"; cat "$work/stderr.txt"; exit 1; fi
/usr/bin/python3 - "$work/table.txt" "$work/agent.json" <<'PY' || exit 1
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, "expected a header and one row, got %r" % lines
assert lines[0].split()[:4] == ["workload", "JDK", "wall", "x"], lines[0]
num = r"[0-9]+\.[0-9]{3}"
assert re.match(r"getResource x100k +17 +%s +%s +%s-%s " % (num, num, num, num), lines[1]), lines[1]
d = json.load(open(sys.argv[2]))
assert d["failures"] == [] and len(d["results"]) == 1, d
r = d["results"][0]
assert r["workload"] == "getResource x100k" and r["jdk"] == "17" and r["pairs"] == 1 and len(r["runs"]) == 1, r
for side in ("without", "with"):
    run = r["runs"][0][side]
    assert run["wall_s"] > 0 and run["cpu_s"] > 0 and run["maxrss_kib"] > 0, run
assert abs(r["median_ratio_wall"] - r["runs"][0]["with"]["wall_s"] / r["runs"][0]["without"]["wall_s"]) < 1e-9
print("smoke: table and JSON consistent")
PY
