// int8: L full products per cycle. Each lane is a 9x9-bit signed multiplier: an activation byte
// sign- or zero-extended (control bit), a weight byte sign-extended, or a sign-magnitude weight
// (magnitude byte, sign bit) turned into -255..255. Lanes are bytes of the operand words.
#include <cstdlib>
#include <memory>

#include "sim/pe/pe_kind.h"
#include "sim/pe/systolic_grid.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 4;  // four 9x9 multipliers: the 8-bit PE's lane limit

struct Int8Pe {
  static int64_t lane_a(uint64_t a, int l, bool sgn) {
    const uint8_t byte = static_cast<uint8_t>(a >> (8 * l));
    return sgn ? static_cast<int8_t>(byte) : byte;
  }
  static int64_t lane_w(const Beat& w, int l, bool sm) {
    const uint8_t byte = static_cast<uint8_t>(w.bits >> (8 * l));
    if (!sm) return static_cast<int8_t>(byte);
    return ((w.sign >> l) & 1) ? -int64_t{byte} : int64_t{byte};
  }
  static int64_t product(uint64_t a, const Beat& w) {
    const bool sgn = (w.ctrl & beat_ctrl::kActSigned) != 0, sm = (w.ctrl & beat_ctrl::kWeightSm) != 0;
    if (((a | w.bits) >> 8) == 0) {  // one lane: the L = 1 default
      const int64_t x = sgn ? int64_t{static_cast<int8_t>(a)} : int64_t{static_cast<uint8_t>(a)};
      const int64_t m = sm ? int64_t{static_cast<uint8_t>(w.bits)} : int64_t{static_cast<int8_t>(w.bits)};
      return x * ((w.sign & 1) ? -m : m);  // sign bits are 0 unless sign-magnitude
    }
    int64_t s = 0;
    for (int l = 0; l < kMaxLanes; ++l) s += lane_a(a, l, sgn) * lane_w(w, l, sm);
    return s;
  }
};

class Int8Kind final : public PeKind {
 public:
  std::string name() const override { return "int8"; }
  std::string summary() const override {
    return "8-bit MAC: L signed 9x9-bit products a cycle, any precision <= 8 bits at the 8-bit rate";
  }
  int default_lanes() const override { return 1; }
  int max_lanes() const override { return kMaxLanes; }
  std::string check(const ActPrecision&, const WeightPrecision&) const override { return {}; }
  int passes(const ActPrecision&, const WeightPrecision&) const override { return 1; }

  void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision&, const WeightPrecision&,
                          uint64_t* out) const override {
    for (int64_t k0 = 0, b = 0; k0 < K; k0 += lanes, ++b) {
      uint64_t word = 0;
      for (int l = 0; l < lanes && k0 + l < K; ++l)
        word |= static_cast<uint64_t>(static_cast<uint8_t>(a[k0 + l])) << (8 * l);
      out[b] = word;
    }
  }
  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                      Beat* out) const override {
    const bool sm = wp.format == WeightFormat::SignMagnitude;
    const uint16_t ctrl = static_cast<uint16_t>(((ap.binary() || ap.is_signed) ? beat_ctrl::kActSigned : 0) |
                                                (sm ? beat_ctrl::kWeightSm : 0));
    for (int64_t k0 = 0, b = 0; k0 < K; k0 += lanes, ++b) {
      Beat beat;
      for (int l = 0; l < lanes && k0 + l < K; ++l) {
        const int32_t v = w[k0 + l];
        beat.bits |= static_cast<uint64_t>(static_cast<uint8_t>(sm ? std::abs(v) : v)) << (8 * l);
        if (sm) beat.sign |= static_cast<uint64_t>(v < 0) << l;
      }
      beat.ctrl = ctrl;
      out[b] = beat;
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return Int8Pe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols) const override {
    return std::make_unique<SystolicGrid<Int8Pe>>(rows, cols);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(Int8Kind);

}  // namespace bitsys
