// bitserial: weight-serial mixed-bit PE. Each cycle, one weight bit plane times L activation
// bytes: the lanes whose weight bit is set are added (negated where the lane's sign bit is set),
// the sum is shifted by the plane's significance and negated for a two's-complement sign plane.
// An adder tree, a shifter, no multiplier. A layer with k kept planes runs at L/k MACs a cycle,
// whichever planes they are (CSQ masks need not be contiguous).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "sim/pe/grids.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 8;  // 8-bit activation lanes in one 64-bit word

/// Sum of the 8 unsigned bytes of x (SWAR: pairs into 16-bit fields, then one multiply).
inline int64_t byte_sum(uint64_t x) {
  x = (x & 0x00FF00FF00FF00FFull) + ((x >> 8) & 0x00FF00FF00FF00FFull);
  return static_cast<int64_t>((x * 0x0001000100010001ull) >> 48);
}

/// Lane bit mask -> byte mask (bit l set -> byte l = 0xFF), for the SWAR sums below.
constexpr std::array<uint64_t, 256> kByteMasks = [] {
  std::array<uint64_t, 256> t{};
  for (int m = 0; m < 256; ++m)
    for (int l = 0; l < 8; ++l)
      if (m & (1 << l)) t[static_cast<size_t>(m)] |= uint64_t{0xFF} << (8 * l);
  return t;
}();

// The software model sums signed bytes as unsigned ones: u = x ^ 0x80 = x + 128, so a sum over
// a set S of lanes is bytesum(u & S) - 128 |S|. The RTL sign-extends each lane instead.
struct BitSerialPe {
  /// What the product needs of a beat: byte masks of the lanes added and subtracted, the bytes'
  /// sign flip and the offset it brings, the shift and the sign.
  struct Prepared {  // 24 bytes, so a whole grid's stay in cache
    uint64_t pos, neg;
    int16_t offset;
    int8_t shift;
    bool flip, negate;
  };
  static Prepared prepare(const Beat& w) {
    using namespace beat_ctrl;
    const uint16_t c = w.ctrl;
    const uint32_t pos = static_cast<uint32_t>(w.bits & ~w.sign) & 0xFF,
                   neg = static_cast<uint32_t>(w.bits & w.sign) & 0xFF;
    const bool sgn = (c & kActSigned) != 0;
    return {kByteMasks[pos],
            kByteMasks[neg],
            static_cast<int16_t>((sgn ? 128 : 0) * (__builtin_popcount(pos) - __builtin_popcount(neg))),
            static_cast<int8_t>(shift(c) & 7),  // planes 0..7: the RTL reads c[2:0]
            sgn,
            negate(c)};
  }
  static int64_t product(uint64_t a, const Prepared& p) {
    const uint64_t u = p.flip ? a ^ 0x8080808080808080ull : a;
    const int64_t s = byte_sum(u & p.pos) - byte_sum(u & p.neg) - p.offset;
    const int64_t shifted = s * (int64_t{1} << p.shift);  // a shift; written so for negative s
    return p.negate ? -shifted : shifted;
  }
  static int64_t product(uint64_t a, const Beat& w) { return product(a, prepare(w)); }
};

bool act_signed(const ActPrecision& ap) {
  return ap.binary() || ap.is_signed;
}

class BitSerialKind final : public PeKind {
 public:
  std::string name() const override { return "bitserial"; }
  std::string summary() const override {
    return "weight-serial: one weight bit plane x L activations a cycle, L/k MACs a cycle for k kept planes";
  }
  int default_lanes() const override { return 8; }
  int max_lanes() const override { return kMaxLanes; }
  std::string check(const ActPrecision&, const WeightPrecision&) const override { return {}; }
  int passes(const ActPrecision&, const WeightPrecision& w) const override { return w.planes(); }

  // Activations travel as the bytes they are (two's complement or unsigned; +-1 as 1 / -1).
  void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision&, const WeightPrecision& wp,
                          uint64_t* out) const override {
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      uint64_t word = 0;
      for (int l = 0; l < lanes && k0 + l < K; ++l)
        word |= static_cast<uint64_t>(static_cast<uint8_t>(a[k0 + l])) << (8 * l);
      for (int j = 0; j < wp.planes(); ++j) out[b++] = word;
    }
  }

  // A plane's bits as the weight memory holds them; +-1 weights (one stored bit, 1 = +1) are
  // sent as every valid lane set with the sign bit where the stored bit is 0.
  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                      Beat* out) const override {
    using namespace beat_ctrl;
    const uint16_t act = act_signed(ap) ? kActSigned : 0;
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      const int n = static_cast<int>(std::min<int64_t>(lanes, K - k0));
      for (int p = 0; p < 8; ++p) {
        Beat beat;
        bool negative = false;
        if (wp.format == WeightFormat::SignMagnitude) {
          if (!(wp.mask & (1u << p))) continue;
          for (int l = 0; l < n; ++l) {
            const int32_t v = w[k0 + l];
            beat.bits |= static_cast<uint64_t>((std::abs(v) >> p) & 1) << l;
            beat.sign |= static_cast<uint64_t>(v < 0) << l;
          }
        } else if (wp.binary()) {
          if (p > 0) break;
          for (int l = 0; l < n; ++l) {
            beat.bits |= uint64_t{1} << l;
            beat.sign |= static_cast<uint64_t>(w[k0 + l] <= 0) << l;
          }
        } else {
          if (p >= wp.bits) break;
          for (int l = 0; l < n; ++l)
            beat.bits |= static_cast<uint64_t>((static_cast<uint32_t>(w[k0 + l]) >> p) & 1u) << l;
          negative = p == wp.bits - 1;
        }
        beat.ctrl = static_cast<uint16_t>(make(p, negative, 0, n) | act);
        out[b++] = beat;
      }
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return BitSerialPe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols, bool overlapped) const override {
    return make_grid_of<BitSerialPe>(rows, cols, overlapped);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(BitSerialKind);

}  // namespace bitsys
