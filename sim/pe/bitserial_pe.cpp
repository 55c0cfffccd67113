// bitserial: weight-serial mixed-bit PE. Each cycle, one weight bit plane times L full
// activations (<= 8 bits), shift-added: a layer with k kept planes runs at L/k MACs a cycle,
// whichever planes they are (CSQ masks need not be contiguous).
#include <memory>

#include "sim/pe/pe_kind.h"
#include "sim/pe/systolic_grid.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 8;  // 8-bit activation lanes in one 64-bit word

/// Sum of the 8 unsigned bytes of x (SWAR: pairs into 16-bit fields, then one multiply).
inline int64_t byte_sum(uint64_t x) {
  x = (x & 0x00FF00FF00FF00FFull) + ((x >> 8) & 0x00FF00FF00FF00FFull);
  return static_cast<int64_t>((x * 0x0001000100010001ull) >> 48);
}

// Activations travel as unsigned bytes u = a + offset (offset 128 for signed and +-1 values, 0
// for unsigned). A weight plane arrives as two byte masks: lanes adding +a (bits) and lanes
// adding -a (aux). Then  sum a*s = bytesum(u&pos) - bytesum(u&neg) - offset*(|pos| - |neg|),
// and the encoder precomputes the last term as `bias`.
struct BitSerialPe {
  static int64_t product(uint64_t a, const Beat& w) {
    return (byte_sum(a & w.bits) - byte_sum(a & static_cast<uint64_t>(w.aux)) - w.bias) * w.mult;
  }
};

int act_offset(const ActPrecision& ap) {
  return (ap.binary() || ap.is_signed) ? 128 : 0;
}

/// Widens a lane bit mask to a byte mask (bit l set -> byte l = 0xFF).
uint64_t byte_mask(uint64_t lanes_bits) {
  uint64_t m = 0;
  for (int l = 0; l < kMaxLanes; ++l)
    if (lanes_bits & (uint64_t{1} << l)) m |= uint64_t{0xFF} << (8 * l);
  return m;
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

  void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                          uint64_t* out) const override {
    const int offset = act_offset(ap);
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      uint64_t word = 0;
      for (int l = 0; l < lanes && k0 + l < K; ++l)
        word |= static_cast<uint64_t>(static_cast<uint8_t>(a[k0 + l] + offset)) << (8 * l);
      for (int j = 0; j < wp.planes(); ++j) out[b++] = word;
    }
  }

  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                      Beat* out) const override {
    const int offset = act_offset(ap);
    int64_t b = 0;
    for (int64_t k0 = 0; k0 < K; k0 += lanes) {
      const int n = static_cast<int>(std::min<int64_t>(lanes, K - k0));
      for (int p = 0; p < 8; ++p) {
        Beat beat;
        uint64_t pos = 0, neg = 0;
        if (wp.format == WeightFormat::SignMagnitude) {
          if (!(wp.mask & (1u << p))) continue;
          for (int l = 0; l < n; ++l) {
            const int32_t v = w[k0 + l];
            const uint64_t bit = (std::abs(v) >> p) & 1;
            (v > 0 ? pos : neg) |= bit << l;
          }
          beat.mult = 1 << p;
        } else if (wp.binary()) {
          if (p > 0) break;
          for (int l = 0; l < n; ++l) (w[k0 + l] > 0 ? pos : neg) |= uint64_t{1} << l;
          beat.mult = 1;
        } else {
          if (p >= wp.bits) break;
          for (int l = 0; l < n; ++l) pos |= static_cast<uint64_t>((static_cast<uint32_t>(w[k0 + l]) >> p) & 1u) << l;
          beat.mult = p == wp.bits - 1 ? -(1 << p) : (1 << p);
        }
        beat.bits = byte_mask(pos);
        beat.aux = static_cast<int64_t>(byte_mask(neg));
        beat.bias = static_cast<int16_t>(offset * (__builtin_popcountll(pos) - __builtin_popcountll(neg)));
        out[b++] = beat;
      }
    }
  }
  int64_t product(uint64_t a, const Beat& w) const override { return BitSerialPe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols) const override {
    return std::make_unique<SystolicGrid<BitSerialPe>>(rows, cols);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(BitSerialKind);

}  // namespace bitsys
