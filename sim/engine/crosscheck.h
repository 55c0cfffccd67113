// Runs a network at the analytic and SystemC fidelities and lists every number that differs:
// total cycles, stalls, DRAM bytes, and each op's compute, stall and traffic.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/runner.h"

namespace bitsys {

struct CrossCheck {
  RunResult analytic, systemc;
  std::optional<RunResult> rtl;          ///< when asked for: the SystemC system around the verilated array
  std::vector<std::string> differences;  ///< empty when the models agree exactly
  bool equal() const { return differences.empty(); }
};

/// analytic vs systemc layer by layer; with_rtl adds the rtl fidelity, compared with systemc.
CrossCheck crosscheck(const ArchConfig& arch, const LoweredNetwork& net, RunOptions opt, bool with_rtl = false);

}  // namespace bitsys
