#!/bin/sh
# bench.smoke: generate 20 inputs x 100 entries and a 500-entry config, run
# each benchmark once, and check the entry counts the readers see against the
# generator's manifest. Usage: smoke.sh BENCH_MERGE BENCH_WRITE WORKDIR
set -eu
merge=$1 write=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 "$here/gen_configs.py" "$work/data" --inputs 20 --per-input 100 --single-entries 500
"$merge" -r 1 -j "$work/merge.json" "$work/data/inputs" "$work/out-merge"
"$merge" -r 1 -m direct -f legacy "$work/data/inputs" "$work/out-direct"
"$write" -r 1 -j "$work/write.json" "$work/data/single" "$work/out-write"
/usr/bin/python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
man = json.load(open(w + "/data/manifest.json"))
m = json.load(open(w + "/merge.json"))
wr = json.load(open(w + "/write.json"))
bad = []
if m["input_entries"] != man["entries"]:
    bad.append("merge read %d entries, generator wrote %d" % (m["input_entries"], man["entries"]))
if not 0 < m["output_entries"] <= m["input_entries"]:
    bad.append("merged entries %d not in (0, %d]" % (m["output_entries"], m["input_entries"]))
if wr["entries"] != man["single_entries"]:
    bad.append("write read %d entries, generator wrote %d" % (wr["entries"], man["single_entries"]))
for b in bad:
    print("bench.smoke: " + b)
sys.exit(1 if bad else 0)
PY
echo "bench.smoke: ok"
