// binary: L one-bit products a cycle. Two +-1 operands use XNOR-popcount; wider operands are cut
// into bit planes (AND-popcount per plane pair, shift-add, the MSB plane of a two's-complement
// operand negative), so a-bit x w-bit runs at L/(a*w) MACs a cycle. Sign-magnitude weights (CSQ)
// split each kept plane into a positive and a negative plane: L/(a*2k).
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

#include "sim/pe/grids.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

// A beat pairs one activation plane with one weight plane over the valid lanes (padding lanes are
// 0 in both words). The PE counts, shifts by the pair's significance and negates a sign plane:
//   AND    (0/1 planes)        : pc(a&w)
//   XNOR   (+-1 x +-1)         : n - 2 pc(a^w)
//   ActPm1 (+-1 x weight plane): sum (2a-1)w = 2 pc(a&w) - pc(w)
//   WPm1   (plane x +-1 weight): sum a(2w-1) = 2 pc(a&w) - pc(a)
// Two popcounts, a mux, a shifter and a conditional negate: no multiplier (rtl/bitsys_pe_binary.v).
// Sign-magnitude weights (CSQ) arrive as a magnitude plane and the sign bits; each plane is used
// twice, once for the lanes with sign 0 and once, negated, for the lanes with sign 1.
struct BinaryPe {
  /// What the product needs of a beat: the weight lanes this pass takes, the mode, the lane
  /// count, the shift and the sign.
  struct Prepared {  // 16 bytes, so a whole grid's stay in cache
    uint64_t wb;
    int16_t lanes;
    int8_t mode, shift;
    bool negate;
  };
  static Prepared prepare(const Beat& w) {
    using namespace beat_ctrl;
    const uint16_t c = w.ctrl;
    return {w.bits & ((c & kNegLanes) ? w.sign : ~w.sign), static_cast<int16_t>(lanes(c)), static_cast<int8_t>(mode(c)),
            static_cast<int8_t>(shift(c)), negate(c)};
  }
  static int64_t product(uint64_t a, const Prepared& p) {
    using namespace beat_ctrl;
    int64_t t;
    switch (p.mode) {  // one mode per layer: a well-predicted branch, one popcount where one suffices
      case kAnd:
        t = __builtin_popcountll(a & p.wb);
        break;
      case kXnor:
        t = p.lanes - 2 * int64_t{__builtin_popcountll(a ^ p.wb)};
        break;
      case kActPm1:
        t = 2 * int64_t{__builtin_popcountll(a & p.wb)} - __builtin_popcountll(p.wb);
        break;
      default:
        t = 2 * int64_t{__builtin_popcountll(a & p.wb)} - __builtin_popcountll(a);
    }
    const int64_t shifted = t * (int64_t{1} << p.shift);  // a shift; written so for negative t
    return p.negate ? -shifted : shifted;
  }
  static int64_t product(uint64_t a, const Beat& w) { return product(a, prepare(w)); }
};

int act_planes(const ActPrecision& a) {
  return a.bits;
}
int weight_planes(const WeightPrecision& w) {
  return w.format == WeightFormat::SignMagnitude ? 2 * w.bits : w.bits;
}

/// One pass over a weight plane: which bit, and for sign-magnitude which lanes (sign 1 or 0).
struct WeightPlane {
  int bit;
  bool neg_lanes;  ///< sign-magnitude: the pass over negative lanes (negated)
  bool negative;   ///< the plane's weight is negative (two's complement MSB, or neg_lanes)
};

std::vector<WeightPlane> planes_of(const WeightPrecision& w) {
  std::vector<WeightPlane> out;
  if (w.format == WeightFormat::SignMagnitude) {
    for (int p = 0; p < 8; ++p)
      if (w.mask & (1u << p)) {
        out.push_back({p, false, false});
        out.push_back({p, true, true});
      }
  } else if (w.bits == 1) {
    out.push_back({0, false, false});
  } else {
    for (int p = 0; p < w.bits; ++p) out.push_back({p, false, p == w.bits - 1});
  }
  return out;
}

uint64_t act_plane(const int32_t* a, int64_t K, int64_t k0, int lanes, const ActPrecision& p, int i) {
  uint64_t word = 0;
  for (int l = 0; l < lanes && k0 + l < K; ++l) {
    const int32_t v = a[k0 + l];
    const uint64_t bit = p.binary() ? (v > 0) : ((static_cast<uint32_t>(v) >> i) & 1u);
    word |= bit << l;
  }
  return word;
}

class BinaryKind final : public PeKind {
 public:
  std::string name() const override { return "binary"; }
  std::string summary() const override {
    return "XNOR/AND-popcount: L one-bit products a cycle, a-bit x w-bit by bit planes at L/(a*w)";
  }
  int default_lanes() const override { return 64; }
  int max_lanes() const override { return 64; }
  std::string check(const ActPrecision&, const WeightPrecision&) const override { return {}; }
  int passes(const ActPrecision& a, const WeightPrecision& w) const override {
    return act_planes(a) * weight_planes(w);
  }

  void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                          uint64_t* out) const override {
    const int pw = weight_planes(wp);
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes)
      for (int i = 0; i < act_planes(ap); ++i) {
        const uint64_t word = act_plane(a, K, k0, lanes, ap, i);
        for (int j = 0; j < pw; ++j) out[b++] = word;
      }
  }

  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                      Beat* out) const override {
    using namespace beat_ctrl;
    const auto planes = planes_of(wp);
    const int mode = ap.binary() && wp.binary() ? kXnor : ap.binary() ? kActPm1 : wp.binary() ? kWeightPm1 : kAnd;
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      const int n = static_cast<int>(std::min<int64_t>(lanes, K - k0));
      uint64_t sign = 0;
      if (wp.format == WeightFormat::SignMagnitude)
        for (int l = 0; l < n; ++l) sign |= static_cast<uint64_t>(w[k0 + l] < 0) << l;
      for (int i = 0; i < act_planes(ap); ++i) {
        const bool act_negative = !ap.binary() && ap.is_signed && i == ap.bits - 1;
        for (const auto& pl : planes) {
          Beat beat;
          for (int l = 0; l < n; ++l) {
            const int32_t v = w[k0 + l];
            const uint32_t stored = wp.format == WeightFormat::SignMagnitude ? static_cast<uint32_t>(std::abs(v))
                                    : wp.binary()                            ? static_cast<uint32_t>(v > 0)
                                                                             : static_cast<uint32_t>(v);
            beat.bits |= static_cast<uint64_t>((stored >> pl.bit) & 1u) << l;
          }
          beat.sign = sign;
          const int shift = (ap.binary() ? 0 : i) + (wp.binary() ? 0 : pl.bit);
          beat.ctrl =
              static_cast<uint16_t>(make(shift, act_negative != pl.negative, mode, n) | (pl.neg_lanes ? kNegLanes : 0));
          out[b++] = beat;
        }
      }
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return BinaryPe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols, bool overlapped) const override {
    return make_grid_of<BinaryPe>(rows, cols, overlapped);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(BinaryKind);

}  // namespace bitsys
