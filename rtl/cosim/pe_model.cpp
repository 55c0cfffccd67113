#include "rtl/cosim/pe_model.h"

namespace bitsys {

static_assert(bitsys_rtl::kAccBits == kAccumulatorBits, "the harness drives the accumulator bitsys plans for");
static_assert(bitsys_rtl::kAccBits > 0 && bitsys_rtl::kAccBits < 64, "the accumulator wraps inside int64");

void PeModel::clock(const bitsys_rtl::PeStimulus& s) {
  if (s.rst) {
    h_ = {};
    v_ = {};
    acc_ = 0;
    return;
  }
  if (!s.en) return;
  const bool os = s.df == 0, is = (s.df & 2) != 0;
  const bitsys_rtl::Operand& a = is ? v_ : s.h;
  const bitsys_rtl::Operand& w = os ? s.v : is ? s.h : v_;
  const uint64_t p = static_cast<uint64_t>(kind_.product(a.w, beat_of(w)));
  const uint64_t psum = static_cast<uint64_t>(s.psum);
  if (os) {
    h_ = s.h;
    v_ = s.v;
    acc_ = bitsys_rtl::wrap_acc(s.drain ? psum : (s.clear ? 0 : static_cast<uint64_t>(acc_)) + p);
  } else if (s.load) {
    v_ = s.v;
  } else {
    h_ = s.h;
    acc_ = bitsys_rtl::wrap_acc(psum + p);
  }
}

bitsys_rtl::PeResponse PeModel::outputs() const {
  bitsys_rtl::PeResponse r{};
  r.h = h_;
  r.v = v_;
  r.acc = acc_;
  return r;
}

}  // namespace bitsys
