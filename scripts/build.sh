#!/usr/bin/env bash
# Installs what is missing, then configures and builds bitsys (Release) in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Paths below the project count relative for ccache, so another clone of it reuses the cache.
export CCACHE_BASEDIR="$PWD"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
