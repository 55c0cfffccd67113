// Runs a network at the analytic and SystemC fidelities and lists every number that differs:
// total cycles, stalls, DRAM bytes, and each op's compute, stall and traffic.
#pragma once
#include <string>
#include <vector>

#include "sim/engine/runner.h"

namespace bitsys {

struct CrossCheck {
  RunResult analytic, systemc;
  std::vector<std::string> differences;  ///< empty when the models agree exactly
  bool equal() const { return differences.empty(); }
};

CrossCheck crosscheck(const ArchConfig& arch, const LoweredNetwork& net, RunOptions opt);

}  // namespace bitsys
