// Formal equivalence of a user's PE with bitsys's reference RTL PE of a kind, with Yosys: a miter
// of the two from reset, first a bounded search for a counterexample (SAT, every input free on
// every cycle), then a proof for all cycles (k-induction on the miter). A proof that
// does not finish in time is "undecided", never "equal".
#pragma once
#include <string>

#include "sim/pe/pe_kind.h"

namespace bitsys {

struct FormalResult {
  enum Verdict { kEqual, kDiffers, kUndecided } verdict = kUndecided;
  std::string detail;          ///< one line: how it was decided, or why not
  std::string counterexample;  ///< kDiffers: the inputs per cycle from reset, one line each
  std::string vcd;             ///< kDiffers: the counterexample's waveform
  double seconds = 0;
};

struct FormalOptions {
  int bmc_cycles = 8;      ///< cycles from reset searched for a counterexample
  double timeout_s = 300;  ///< for each Yosys run
  std::string workdir;     ///< scripts, logs and the VCD go here
  std::string vcd = "";    ///< where to write a counterexample's waveform (default: workdir)
};

/// `verilog` holds the user's PE, module `top`, built with LANES = lanes.
FormalResult prove_pe_equivalent(const PeKind& kind, int lanes, const std::string& verilog, const std::string& top,
                                 const FormalOptions& opt);

}  // namespace bitsys
