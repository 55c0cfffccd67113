#!/usr/bin/env bash
# Builds the input fuzzer with clang (libFuzzer, ASan, UBSan) and runs it for $1 seconds (default 60).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-fuzz
mkdir -p "$out/corpus"
# Small seeds: a full ImageNet network under the sanitizers would trip the per-input timeout.
cp workloads/resnet20-int8.json workloads/csq-resnet20-w2a4.json configs/*.json tests/data/*.json workloads/sweeps/*.json "$out/corpus/" 2>/dev/null || true
cp ../shared/scalesim/configs/*.cfg ../shared/scalesim/topologies/test_mnk_input.csv "$out/corpus/" 2>/dev/null || true
srcs=$(ls sim/ir/*.cpp sim/pe/*.cpp sim/io/*.cpp sim/lowering/*.cpp sim/plan/*.cpp sim/fidelity/*.cpp sim/timing/*.cpp \
          app/sweep/constraint.cpp)
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -mpopcnt -I. \
  tests/fuzz/input_fuzzer.cpp $srcs -o "$out/input_fuzzer"
"$out/input_fuzzer" -max_total_time="${1:-60}" -max_len=4096 -timeout=60 "$out/corpus"
