// int8: L full products per cycle. Each lane is a 9x9-bit signed multiplier: an activation byte
// sign- or zero-extended (control bit), a weight byte sign-extended, or a sign-magnitude weight
// (magnitude byte, sign bit) turned into -255..255. Lanes are bytes of the operand words.
// In a header so that tests can step grids of it (sim/pe/stationary.h).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/pe/beat.h"
#include "sim/pe/stationary.h"

namespace bitsys {

constexpr int kInt8MaxLanes = 4;  // four 9x9 multipliers: the 8-bit PE's lane limit

// Branch-free decoding, as the RTL's wires do it: kActSigned is bit 7 of the control word, the
// same bit as a byte's sign, so `a & ctrl & 0x80` is the sign to take away (twice: -256).
static_assert(beat_ctrl::kActSigned == 0x80 && beat_ctrl::kWeightSm == 0x100, "the decode below relies on it");
struct Int8Pe {
  /// Lane l's activation: the byte, minus 256 when signed and negative.
  static int64_t lane_a(uint64_t a, int l, uint64_t ctrl) {
    const uint64_t byte = (a >> (8 * l)) & 0xFF;
    return static_cast<int64_t>(byte) - static_cast<int64_t>((byte & ctrl & 0x80) << 1);
  }
  /// Lane l's weight: two's complement (sign bit of the byte), or a magnitude negated by its sign bit.
  static int64_t lane_w(const Beat& w, int l) {
    const uint64_t byte = (w.bits >> (8 * l)) & 0xFF, twos_sign = byte & ~(uint64_t{w.ctrl} >> 1) & 0x80;
    const int64_t m = static_cast<int64_t>(byte) - static_cast<int64_t>(twos_sign << 1);
    const int64_t s = static_cast<int64_t>((w.sign >> l) & (w.ctrl >> 8) & 1);  // sign bits count only with c[8]
    return (m ^ -s) + s;
  }
  static int64_t product(uint64_t a, const Beat& w) {
    if (((a | w.bits) >> 8) == 0) return lane_a(a, 0, w.ctrl) * lane_w(w, 0);  // one lane: the L = 1 default
    int64_t s = 0;
    for (int l = 0; l < kInt8MaxLanes; ++l) s += lane_a(a, l, w.ctrl) * lane_w(w, l);
    return s;
  }
  /// A stationary beat decoded: each lane's weight value and the activation sign rule.
  struct Prepared {
    int16_t w[kInt8MaxLanes];  // -255..255; small, so the whole grid's stay in cache
    uint16_t ctrl;
  };
  static Prepared prepare(const Beat& b) {
    Prepared p{};
    for (int l = 0; l < kInt8MaxLanes; ++l) p.w[l] = static_cast<int16_t>(lane_w(b, l));
    p.ctrl = b.ctrl;
    return p;
  }
  static int64_t product(uint64_t a, const Prepared& p) {
    if ((a >> 8) == 0) return lane_a(a, 0, p.ctrl) * p.w[0];  // lanes 1..3 of a are 0: their products too
    int64_t s = 0;
    for (int l = 0; l < kInt8MaxLanes; ++l) s += lane_a(a, l, p.ctrl) * p.w[l];
    return s;
  }
  /// A grid's decoded weight beats (sim/pe/stationary.h: stationary, or moving in OS and IS), one
  /// array per lane: the lane weights and the activation sign rule of every PE, so that a row of
  /// products is a loop the compiler vectorises.
  /// The same values as product(a, prepare(beat)): a lane's product is computed in 32 bits, which
  /// hold it exactly (|a·w| <= 255·255), and added to the 64-bit partial sums as before.
  class Stationary {
   public:
    explicit Stationary(size_t n) : act_sign_(n) {
      for (auto& w : w_) w.resize(n);
    }
    void set(size_t i, const Beat& b) {
      for (int l = 0; l < kInt8MaxLanes; ++l) w_[l][i] = static_cast<int16_t>(lane_w(b, l));
      act_sign_[i] = static_cast<int16_t>(b.ctrl & beat_ctrl::kActSigned);
    }
    void take(size_t i, const Stationary& from) {
      for (int l = 0; l < kInt8MaxLanes; ++l) w_[l][i] = from.w_[l][i];
      act_sign_[i] = from.act_sign_[i];
    }
    void copy(size_t i0, const Stationary& from, size_t j0, int n) {
      for (int l = 0; l < kInt8MaxLanes; ++l) std::copy_n(&from.w_[l][j0], n, &w_[l][i0]);
      std::copy_n(&from.act_sign_[j0], n, &act_sign_[i0]);
    }
    void shift(size_t i0, int n) {
      for (int l = 0; l < kInt8MaxLanes; ++l) std::copy_backward(&w_[l][i0], &w_[l][i0] + n - 1, &w_[l][i0] + n);
      std::copy_backward(&act_sign_[i0], &act_sign_[i0] + n - 1, &act_sign_[i0] + n);
    }
    BITSYS_ROW_CLONES void row(size_t i0, const uint64_t* a, const int64_t* up, int64_t* acc, int n) const {
      products<false>(i0, a, up, acc, n);
    }
    BITSYS_ROW_CLONES void row_add(size_t i0, const uint64_t* a, int64_t* acc, int n) const {
      products<true>(i0, a, acc, acc, n);
    }

   private:
    /// acc[c] = up[c] + the products, or (kInPlace, up == acc) acc[c] += them: a separate loop, as
    /// the compiler vectorises it only when it knows how the two arrays overlap.
    template <bool kInPlace>
    void products(size_t i0, const uint64_t* a, const int64_t* up, int64_t* acc, int n) const {
      const int16_t* sign = &act_sign_[i0];
      const int16_t* w = &w_[0][i0];
      uint64_t upper = 0;
      for (int c = 0; c < n; ++c) {
        upper |= a[c] >> 8;
        if constexpr (kInPlace)
          acc[c] += lane(a[c], 0, sign[c]) * w[c];
        else
          acc[c] = up[c] + lane(a[c], 0, sign[c]) * w[c];
      }
      if (upper == 0) return;  // words of one lane (L = 1, the default): lanes 1..3 add 0
      for (int l = 1; l < kInt8MaxLanes; ++l) {
        w = &w_[l][i0];
        for (int c = 0; c < n; ++c) acc[c] += lane(a[c], l, sign[c]) * w[c];
      }
    }
    /// lane_a in 16 bits: with sign 0x80, (byte ^ 0x80) - 0x80 is the byte as two's complement.
    static int32_t lane(uint64_t a, int l, int16_t sign) {
      const int16_t byte = static_cast<int16_t>((a >> (8 * l)) & 0xFF);
      return static_cast<int16_t>((byte ^ sign) - sign);
    }
    std::vector<int16_t> w_[kInt8MaxLanes];
    std::vector<int16_t> act_sign_;  // 0x80: activation bytes are two's complement
  };
};

}  // namespace bitsys
