#!/usr/bin/env bash
# The main job on a bundled example (the README's first command):
# build nitrace, union two agent runs of a small app (one written by an older
# GraalVM agent in the legacy files, one by a newer one in
# reachability-metadata.json) and show what the merged config holds.
#   scripts/demo.sh [OUTDIR]        (default: out/demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
build="$root/build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if ! log=$(cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target nitrace 2>&1); then
  printf '%s\n' "$log" >&2
  echo "nitrace: build failed (see above)" >&2
  exit 1
fi
out=${1:-$root/out/demo}
rm -rf "$out"
"$build/nitrace" merge -o "$out" "$root/examples/run1" "$root/examples/run2"
"$build/nitrace" stats "$out"
echo "nitrace: merged config written to $out"
