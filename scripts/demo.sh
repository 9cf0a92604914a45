#!/usr/bin/env bash
# The main job, end to end (the README's first command): a Clojure AWS Lambda
# handler recorded on a plain JDK, then pruned.
#   1. build nitrace, libnitrace.so and the Lambda fixture (runtime client, JNI
#      library, AOT-compiled Clojure handler);
#   2. start the Runtime API emulator and run the handler under the agent
#      (config-merge-dir + config-write-period-secs=1), invoke it 5 times;
#   3. kill the JVM with SIGKILL, as Lambda does: only periodic writes save the config;
#   4. nitrace prune --clojure: drop what namespace loading caused, keep what requests need;
#   5. print a summary: entries recorded, entries after pruning, time, where the files are.
#
#   scripts/demo.sh [OUTDIR]        (default: out/demo; JDK: JAVA_HOME or Debian's JDK 17)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start=$(date +%s)
"$root/scripts/deps.sh"
build="$root/build"
out=${1:-$root/out/demo}
jdk=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if ! log=$(cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" \
             --target nitrace nitrace_agent fixturelambda 2>&1); then
  printf '%s\n' "$log" >&2
  echo "nitrace: build failed (see above)" >&2
  exit 1
fi
lib=$(find "$build" -name libfixturelambda.so -print -quit)

mkdir -p "$out"
recorded="$out/recorded" pruned="$out/pruned"
echo "== recording the Lambda handler under the agent (5 invocations, then SIGKILL) =="
NITRACE_AGENT="$build/agent/libnitrace.so" NITRACE_CLI="$build/nitrace" FIXTURE_LAMBDA_LIB="$lib" \
  "$root/fixtures/lambda/run.sh" "$build" "$recorded" "$jdk" >/dev/null

echo "== pruning: nitrace prune --clojure --explain =="
rm -rf "$pruned"
"$build/nitrace" prune --clojure --explain -o "$pruned" "$recorded" \
  >"$out/prune-explain.txt" 2>"$out/prune-summary.txt" || { cat "$out/prune-summary.txt" >&2; exit 1; }
cat "$out/prune-summary.txt"

# entries = type entries of every category + resources + bundles (members counted apart)
count() { "$build/nitrace" stats --json "$1" | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)["categories"]
entries = sum(c[k] for k in ("reflection_types", "jni_types", "serialization_types",
              "lambda_capturing_types", "resource_globs", "resource_patterns",
              "resource_excludes", "bundles", "predefined_classes", "foreign_entries"))
members = sum(c[k] for k in ("reflection_methods", "reflection_fields", "jni_methods", "jni_fields"))
print("%d entries, %d members" % (entries, members))'; }
echo
echo "== summary =="
echo "recorded:       $(count "$recorded")   ($recorded)"
echo "after pruning:  $(count "$pruned")   ($pruned)"
echo "why:            $out/prune-explain.txt"
echo "time taken:     $(( $(date +%s) - start )) s"
echo "next: copy $pruned to resources/META-INF/native-image/<group>/<artifact>/ and run native-image"
