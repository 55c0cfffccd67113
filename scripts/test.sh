#!/usr/bin/env bash
# README command (2): set up, build, and pass every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
ctest --test-dir build --output-on-failure -j"$(nproc)"
