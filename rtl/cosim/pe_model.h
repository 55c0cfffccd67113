// The golden model of one PE under the port contract (rtl/README.md): what every register holds
// after each rising edge. Products come from the PE-kind registry, the same code the SystemC
// array inlines.
#pragma once
#include "rtl/harness/pe_io.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

class PeModel {
 public:
  explicit PeModel(const PeKind& kind) : kind_(kind) {}
  void clock(const bitsys_rtl::PeStimulus& s);
  bitsys_rtl::PeResponse outputs() const;

 private:
  const PeKind& kind_;
  uint64_t a_ = 0;
  Beat w_;
  uint64_t acc_ = 0;  // two's-complement wrap, as in the RTL
};

}  // namespace bitsys
