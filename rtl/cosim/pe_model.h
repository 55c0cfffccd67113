// The golden model of one PE under the port contract (rtl/README.md): what every register holds
// after each rising edge. Products come from the PE-kind registry, the same code the SystemC
// array inlines.
#pragma once
#include "rtl/harness/pe_io.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

/// The 144-bit operand word <-> what bitsys moves: a beat, or an activation word.
inline bitsys_rtl::Operand operand_of(const Beat& b) {
  return {b.bits, b.sign, b.ctrl, 0, 0, 0};
}
inline bitsys_rtl::Operand operand_of(uint64_t activation) {
  return {activation, 0, 0, 0, 0, 0};
}
inline Beat beat_of(const bitsys_rtl::Operand& o) {
  return Beat{o.w, o.s, o.c, 0};
}

class PeModel {
 public:
  explicit PeModel(const PeKind& kind) : kind_(kind) {}
  void clock(const bitsys_rtl::PeStimulus& s);
  bitsys_rtl::PeResponse outputs() const;

 private:
  const PeKind& kind_;
  bitsys_rtl::Operand h_{}, v_{};
  int64_t acc_ = 0;  // two's-complement wrap at kAccBits, as in the RTL
};

}  // namespace bitsys
