// The int8 kind (its PE: sim/pe/int8_pe.h): operands encoded as bytes, L lanes a beat.
#include <cstdlib>
#include <memory>

#include "sim/pe/grids.h"
#include "sim/pe/int8_pe.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

class Int8Kind final : public PeKind {
 public:
  std::string name() const override { return "int8"; }
  std::string summary() const override {
    return "8-bit MAC: L signed 9x9-bit products a cycle, any precision <= 8 bits at the 8-bit rate";
  }
  int default_lanes() const override { return 1; }
  int max_lanes() const override { return kInt8MaxLanes; }
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
