// Switching activity of bitsys's synthesized PEs, measured: each PE kind's Verilog is synthesized
// with `bitsys synth`'s flow, its gate netlist simulated (GateSim) in weight-stationary steady
// state under random operands of one precision pair, every beat's accumulator checked against the
// golden model, and every gate's and flip-flop's transitions counted. Compared with the same
// measurement on the 8-bit adder the technology's gate energy is calibrated on (configs/tech).
#pragma once
#include <cstdint>
#include <string>

#include "sim/ir/precision.h"

namespace bitsys {

struct ActivityResult {
  double logic_nand2 = 0;  ///< NAND2-eq of the netlist simulated
  size_t flip_flops = 0;
  uint64_t beats = 0;            ///< streamed beats measured (each checked against the golden model)
  double logic_activity = 0;     ///< NAND2-eq-weighted gate transitions per NAND2-eq per beat
  double register_activity = 0;  ///< flip-flop transitions per flip-flop per beat
};

/// The activity of one PE kind at `lanes` lanes on operands of precisions (a, w). `workdir` holds
/// the synthesized netlists (reused when present). std::runtime_error when Yosys fails or the
/// netlist's accumulator differs from the golden model.
ActivityResult measure_pe_activity(const std::string& kind, int lanes, const ActPrecision& a, const WeightPrecision& w,
                                   uint64_t beats, uint64_t seed, const std::string& workdir);

/// The same measurement on the 8-bit adder of configs/tech/reference-gates.json under random operands.
ActivityResult measure_adder_activity(uint64_t cycles, uint64_t seed, const std::string& workdir);

}  // namespace bitsys
