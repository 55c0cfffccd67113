#!/usr/bin/env bash
# README command (1): set up, build, and run the main job - the BNN/CSQ study - on its default
# inputs: the table on stdout; report, JSON, CSV and plots in out/ (or the directory given).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/bitsys study --plan workloads/plans/study.json --out "${1:-out}"
