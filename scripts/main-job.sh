#!/usr/bin/env bash
# README command (1): set up, build, and run the main comparison on its default inputs.
# Extra arguments go to `bitsys compare` (for example --fidelity analytic).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/bitsys compare --plan workloads/plans/quickstart.json --fidelity systemc --verify \
  --json out/quickstart.json --csv out/quickstart.csv "$@"
echo "written: out/quickstart.json out/quickstart.csv"
