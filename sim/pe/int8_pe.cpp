// int8: L full products per cycle. Each lane is a 9x9-bit signed multiplier, so signed and
// unsigned 8-bit activations and 8-plane sign-magnitude weights all fit; lanes are 16-bit fields.
#include <memory>

#include "sim/pe/pe_kind.h"
#include "sim/pe/systolic_grid.h"

namespace bitsys {
namespace {

constexpr int kMaxLanes = 4;  // 16-bit lanes in one 64-bit word

inline int64_t lane(uint64_t word, int l) {
  return static_cast<int16_t>(word >> (16 * l));
}

struct Int8Pe {
  static int64_t product(uint64_t a, const Beat& w) {
    if (((a | w.bits) >> 16) == 0) return lane(a, 0) * lane(w.bits, 0);  // one lane: the L = 1 default
    int64_t s = 0;
    for (int l = 0; l < kMaxLanes; ++l) s += lane(a, l) * lane(w.bits, l);
    return s;
  }
};

uint64_t pack(const int32_t* v, int64_t K, int64_t k0, int lanes) {
  uint64_t word = 0;
  for (int l = 0; l < lanes && k0 + l < K; ++l)
    word |= static_cast<uint64_t>(static_cast<uint16_t>(v[k0 + l])) << (16 * l);
  return word;
}

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
    for (int64_t k0 = 0, b = 0; k0 < K; k0 += lanes, ++b) out[b] = pack(a, K, k0, lanes);
  }
  void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision&, const WeightPrecision&,
                      Beat* out) const override {
    for (int64_t k0 = 0, b = 0; k0 < K; k0 += lanes, ++b) out[b] = Beat{pack(w, K, k0, lanes), 0, 1, 0, 0};
  }
  int64_t product(uint64_t a, const Beat& w) const override { return Int8Pe::product(a, w); }
  std::unique_ptr<Grid> make_grid(int rows, int cols) const override {
    return std::make_unique<SystolicGrid<Int8Pe>>(rows, cols);
  }
};

}  // namespace

BITSYS_REGISTER_PE_KIND(Int8Kind);

}  // namespace bitsys
