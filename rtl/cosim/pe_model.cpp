#include "rtl/cosim/pe_model.h"

namespace bitsys {

void PeModel::clock(const bitsys_rtl::PeStimulus& s) {
  if (s.rst) {
    a_ = 0;
    w_ = Beat{};
    acc_ = 0;
    return;
  }
  if (!s.en) return;
  const Beat in{s.wb, static_cast<int64_t>(s.wx), static_cast<int32_t>(s.wm), static_cast<int16_t>(s.wc), 0};
  if (s.os) {
    const uint64_t p = static_cast<uint64_t>(kind_.product(s.a, in));
    a_ = s.a;
    w_ = in;
    acc_ = s.drain ? static_cast<uint64_t>(s.psum) : (s.clear ? 0 : acc_) + p;
  } else if (s.load) {
    w_ = in;
  } else {
    const uint64_t p = static_cast<uint64_t>(kind_.product(s.a, w_));
    a_ = s.a;
    acc_ = static_cast<uint64_t>(s.psum) + p;
  }
}

bitsys_rtl::PeResponse PeModel::outputs() const {
  bitsys_rtl::PeResponse r{};
  r.a = a_;
  r.wb = w_.bits;
  r.wx = static_cast<uint64_t>(w_.aux);
  r.wm = static_cast<uint32_t>(w_.mult);
  r.wc = static_cast<uint16_t>(w_.bias);
  r.acc = static_cast<int64_t>(acc_);
  return r;
}

}  // namespace bitsys
