// int8: L full products per cycle. Each lane is a 9x9-bit signed multiplier: an activation byte
// sign- or zero-extended (control bit), a weight byte sign-extended, or a sign-magnitude weight
// (magnitude byte, sign bit) turned into -255..255. Lanes are bytes of the operand words.
#include <cstdlib>
#include <memory>

#include "sim/pe/grids.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 4;  // four 9x9 multipliers: the 8-bit PE's lane limit

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
    for (int l = 0; l < kMaxLanes; ++l) s += lane_a(a, l, w.ctrl) * lane_w(w, l);
    return s;
  }
  /// A stationary beat decoded: each lane's weight value and the activation sign rule.
  struct Prepared {
    int16_t w[kMaxLanes];  // -255..255; small, so the whole grid's stay in cache
    uint16_t ctrl;
  };
  static Prepared prepare(const Beat& b) {
    Prepared p{};
    for (int l = 0; l < kMaxLanes; ++l) p.w[l] = static_cast<int16_t>(lane_w(b, l));
    p.ctrl = b.ctrl;
    return p;
  }
  static int64_t product(uint64_t a, const Prepared& p) {
    if ((a >> 8) == 0) return lane_a(a, 0, p.ctrl) * p.w[0];  // lanes 1..3 of a are 0: their products too
    int64_t s = 0;
    for (int l = 0; l < kMaxLanes; ++l) s += lane_a(a, l, p.ctrl) * p.w[l];
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
  std::unique_ptr<Grid> make_grid(int rows, int cols, bool overlapped) const override {
    return make_grid_of<Int8Pe>(rows, cols, overlapped);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(Int8Kind);

}  // namespace bitsys
