#!/usr/bin/env bash
# Make sure the Debian packages nitrace needs are installed.
# As root: apt-get update + apt-get install -y for whatever is missing.
# Otherwise: print the exact command to run and exit 1.
set -euo pipefail

pkgs=(
  cmake make gcc pkg-config        # build
  libjansson-dev                   # JSON (core library)
  libelf-dev                       # ELF symbols of native libraries (JNI provenance)
  valgrind                         # memory checks of the CLI
  python3 python3-jsonschema       # schema-validation tests
  clang libclang-rt-14-dev         # libFuzzer targets
  openjdk-17-jdk-headless          # agent tests and fixtures (javac, JVMTI headers)
  clojure libcheshire-clojure libdata-json-clojure   # Lambda fixture (Clojure 1.11 AOT handler)
)
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "nitrace: missing Debian packages: ${missing[*]} (run as root: apt-get update && apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "nitrace: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
