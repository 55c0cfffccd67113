// A zero-delay, cycle-based simulator of a Yosys gate netlist (write_json after `abc -g cmos2`):
// 2-input CMOS gates and flip-flops, counting every gate output's transitions between settled
// states, so switching activity is measured on the very logic the energy model prices.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitsys {

class GateSim {
 public:
  /// Builds the simulator of `module` in a Yosys JSON netlist; std::runtime_error on a cell type it
  /// does not know or a combinational loop.
  GateSim(const nlohmann::json& netlist, const std::string& module);

  /// Sets an input port's bits from `words` (bit i of the port = bit i % 64 of words[i / 64]).
  void set_input(const std::string& port, const std::vector<uint64_t>& words);
  void set_input(const std::string& port, uint64_t value) { set_input(port, std::vector<uint64_t>{value}); }
  /// Settles the combinational logic on the inputs set and the state of the last edge (together, as
  /// in the circuit: each net's change counts once), then clocks every flip-flop once (every
  /// flip-flop has the one clock), counting flip-flop output transitions.
  void cycle();
  /// An output port's bits after the last edge: ports driven by flip-flops (a PE's are).
  std::vector<uint64_t> output(const std::string& port);

  /// Transitions so far, each gate weighted by its NAND2-equivalents (CMOS transistors / 4), and
  /// flip-flop output transitions.
  double gate_transitions() const { return gate_transitions_; }
  uint64_t flip_flop_transitions() const { return ff_transitions_; }
  double logic_nand2() const { return logic_nand2_; }  ///< of the whole netlist
  size_t flip_flops() const { return ffs_.size(); }
  void reset_counts() {
    gate_transitions_ = 0;
    ff_transitions_ = 0;
  }

 private:
  enum class Op : uint8_t { Not, Nand, Nor, And, Or, Xor, Xnor, Buf };
  struct Gate {
    Op op;
    uint32_t a, b, y;
    double weight;  ///< NAND2-eq
  };
  struct Ff {
    uint32_t d, q, en, rst;  ///< en / rst: net ids, or kOne / kZero when the type has none
  };
  static constexpr uint32_t kZero = 0, kOne = 1;
  std::vector<uint8_t> value_;
  std::vector<Gate> gates_;  ///< in evaluation order
  std::vector<Ff> ffs_;
  std::vector<std::pair<std::string, std::vector<uint32_t>>> inputs_, outputs_;
  double gate_transitions_ = 0, logic_nand2_ = 0;
  uint64_t ff_transitions_ = 0;
  void settle(bool count);
  const std::vector<uint32_t>& port(const std::vector<std::pair<std::string, std::vector<uint32_t>>>& ports,
                                    const std::string& name) const;
};

}  // namespace bitsys
