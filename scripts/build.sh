#!/usr/bin/env bash
# Installs what is missing, then configures and builds bitsys (Release) in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Paths below the project count relative for ccache, so another clone of it reuses the cache.
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# Verilator names its generated files after what it generates, and CMake reads their list when it
# configures: after an RTL edit the first build can compile a stale list. Configure again and
# rebuild once; a real error fails the second build too.
if ! cmake --build build -j"$(nproc)"; then
  echo "build: configuring again (an RTL edit changes Verilator's generated files) and rebuilding" >&2
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)"
fi
