// binary: L one-bit products a cycle. Two +-1 operands use XNOR-popcount; wider operands are cut
// into bit planes (AND-popcount per plane pair, shift-add, the MSB plane of a two's-complement
// operand negative), so a-bit x w-bit runs at L/(a*w) MACs a cycle. Sign-magnitude weights (CSQ)
// split each kept plane into a positive and a negative plane: L/(a*2k).
#include <memory>

#include "sim/pe/pe_kind.h"
#include "sim/pe/systolic_grid.h"

namespace bitsys {
namespace {

// Every operand pairing reduces to  c_ab*pc(a&w) + c_a*pc(a) + c_w*pc(w) + c_0  over the valid
// lanes (padding lanes are 0 in both words), with pc = popcount:
//   AND  (0/1 planes)        : pc(a&w)
//   XNOR (+-1 x +-1)         : n - 2*pc(a^w) = 4pc(a&w) - 2pc(a) - 2pc(w) + n
//   +-1 activation x plane   : sum (2a-1)w   = 2pc(a&w) - pc(w)
//   plane x +-1 weight       : sum a(2w-1)   = 2pc(a&w) - pc(a)
// The encoder folds the plane scale and every weight-only term into the beat, so the PE does two
// popcounts and no branch: mult*pc(a&w) + bias*pc(a) + aux.
struct BinaryPe {
  static int64_t product(uint64_t a, const Beat& w) {
    return w.mult * static_cast<int64_t>(__builtin_popcountll(a & w.bits)) +
           w.bias * static_cast<int64_t>(__builtin_popcountll(a)) + w.aux;
  }
};

int act_planes(const ActPrecision& a) {
  return a.bits;
}
int weight_planes(const WeightPrecision& w) {
  return w.format == WeightFormat::SignMagnitude ? 2 * w.bits : w.bits;
}

/// One weight plane of the layer: which bit, which sign (sign-magnitude), its scale.
struct WeightPlane {
  int bit;
  int sign;  ///< sign-magnitude: +1 positive-lane plane, -1 negative-lane plane; 0 two's complement
  int64_t scale;
};

std::vector<WeightPlane> planes_of(const WeightPrecision& w) {
  std::vector<WeightPlane> out;
  if (w.format == WeightFormat::SignMagnitude) {
    for (int p = 0; p < 8; ++p)
      if (w.mask & (1u << p)) {
        out.push_back({p, +1, int64_t{1} << p});
        out.push_back({p, -1, -(int64_t{1} << p)});
      }
  } else if (w.bits == 1) {
    out.push_back({0, 0, 1});
  } else {
    for (int p = 0; p < w.bits; ++p) out.push_back({p, 0, p == w.bits - 1 ? -(int64_t{1} << p) : int64_t{1} << p});
  }
  return out;
}

int64_t act_scale(const ActPrecision& a, int i) {
  if (a.binary()) return 1;
  return (a.is_signed && i == a.bits - 1) ? -(int64_t{1} << i) : int64_t{1} << i;
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
    const auto planes = planes_of(wp);
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      const int n = static_cast<int>(std::min<int64_t>(lanes, K - k0));
      for (int i = 0; i < act_planes(ap); ++i)
        for (const auto& pl : planes) {
          Beat beat;
          for (int l = 0; l < n; ++l) {
            const int32_t v = w[k0 + l];
            uint64_t bit;
            if (pl.sign != 0)
              bit = ((pl.sign > 0) == (v > 0)) && v != 0 && ((std::abs(v) >> pl.bit) & 1);
            else if (wp.binary())
              bit = v > 0;
            else
              bit = (static_cast<uint32_t>(v) >> pl.bit) & 1u;
            beat.bits |= bit << l;
          }
          const int64_t scale = act_scale(ap, i) * pl.scale;
          const int64_t pw = __builtin_popcountll(beat.bits);
          const bool apm = ap.binary(), wpm = wp.binary();
          const int64_t c_ab = apm && wpm ? 4 : (apm || wpm) ? 2 : 1;
          const int64_t c_a = apm && wpm ? -2 : wpm ? -1 : 0;
          const int64_t c_w = apm && wpm ? -2 : apm ? -1 : 0;
          const int64_t c_0 = apm && wpm ? n : 0;
          beat.mult = static_cast<int32_t>(scale * c_ab);
          beat.bias = static_cast<int16_t>(scale * c_a);  // |scale| <= 2^7 whenever c_a != 0
          beat.aux = scale * (c_w * pw + c_0);
          out[b++] = beat;
        }
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return BinaryPe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols) const override {
    return std::make_unique<SystolicGrid<BinaryPe>>(rows, cols);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(BinaryKind);

}  // namespace bitsys
