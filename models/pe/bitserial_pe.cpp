// bitserial: weight-serial mixed-bit PE. Each cycle, one weight bit plane times L full
// activations (<= 8 bits), shift-added: a layer with k kept planes runs at L/k MACs a cycle,
// whichever planes they are (CSQ masks need not be contiguous).
#include <memory>

#include "models/array/systolic_grid.h"
#include "models/pe/pe_kind.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 8;  // 8-bit activation lanes in one 64-bit word
constexpr uint8_t kUnsignedActs = 1;

struct BitSerialPe {
  // bits = lanes whose plane bit counts +a, aux = lanes that count -a.
  static int64_t product(uint64_t a, const Beat& w) {
    int64_t s = 0;
    const bool u = w.mode & kUnsignedActs;
    for (int l = 0; l < kMaxLanes; ++l) {
      const int64_t al = u ? static_cast<int64_t>(static_cast<uint8_t>(a >> (8 * l))) : static_cast<int64_t>(static_cast<int8_t>(a >> (8 * l)));
      s += al * (static_cast<int64_t>((w.bits >> l) & 1) - static_cast<int64_t>((w.aux >> l) & 1));
    }
    return s * w.mult;
  }
};

class BitSerialKind final : public PeKind {
 public:
  std::string name() const override { return "bitserial"; }
  std::string summary() const override { return "weight-serial: one weight bit plane x L activations a cycle, L/k MACs a cycle for k kept planes"; }
  int default_lanes() const override { return 8; }
  int max_lanes() const override { return kMaxLanes; }
  std::string check(const ActPrecision&, const WeightPrecision&) const override { return {}; }
  int passes(const ActPrecision&, const WeightPrecision& w) const override { return w.planes(); }

  void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision&, const WeightPrecision& wp,
                          uint64_t* out) const override {
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      uint64_t word = 0;
      for (int l = 0; l < lanes && k0 + l < K; ++l) word |= static_cast<uint64_t>(static_cast<uint8_t>(a[k0 + l])) << (8 * l);
      for (int j = 0; j < wp.planes(); ++j) out[b++] = word;
    }
  }

  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                      Beat* out) const override {
    const uint8_t mode = (!ap.binary() && !ap.is_signed) ? kUnsignedActs : 0;
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      const int n = static_cast<int>(std::min<int64_t>(lanes, K - k0));
      for (int p = 0; p < 8; ++p) {
        Beat beat;
        beat.mode = mode;
        if (wp.format == WeightFormat::SignMagnitude) {
          if (!(wp.mask & (1u << p))) continue;
          for (int l = 0; l < n; ++l) {
            const int32_t v = w[k0 + l];
            const uint64_t bit = (std::abs(v) >> p) & 1;
            (v > 0 ? beat.bits : beat.aux) |= bit << l;
          }
          beat.mult = 1 << p;
        } else if (wp.binary()) {
          if (p > 0) break;
          for (int l = 0; l < n; ++l) (w[k0 + l] > 0 ? beat.bits : beat.aux) |= uint64_t{1} << l;
          beat.mult = 1;
        } else {
          if (p >= wp.bits) break;
          for (int l = 0; l < n; ++l) beat.bits |= static_cast<uint64_t>((static_cast<uint32_t>(w[k0 + l]) >> p) & 1u) << l;
          beat.mult = p == wp.bits - 1 ? -(1 << p) : (1 << p);
        }
        out[b++] = beat;
      }
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return BitSerialPe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols) const override { return std::make_unique<SystolicGrid<BitSerialPe>>(rows, cols); }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(BitSerialKind);

}  // namespace bitsys
