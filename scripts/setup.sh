#!/usr/bin/env bash
# Installs the Debian 12 packages bitsys needs; a no-op when all are present.
# Runs as root (CI, fresh machine) or through sudo when available.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache clang-format
  libsystemc-dev verilator
  nlohmann-json3-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-matplotlib python3-pandas python3-torch yosys
  python3-onnx pybind11-dev python3-pybind11 python3-pytest
  munge slurmctld slurmd slurm-client
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
