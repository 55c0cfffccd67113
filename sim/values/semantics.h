// The integer meaning of every value bitsys computes, written once and used by both the SystemC
// system (the array's output stage, the vector unit) and the whole-network reference. Rules and
// their reasons: sim/values/README.md.
#pragma once
#include <climits>
#include <cstdint>
#include <vector>

#include "sim/lowering/lowered.h"

namespace bitsys {

/// x rounded into precision p: 1 bit -> +1 when x >= 0, else -1; otherwise saturated to p's range.
int32_t saturate(int64_t x, const ActPrecision& p);
/// x / 2^s rounded half up (floor of x / 2^s + 1/2), exact for negative x too.
int64_t round_shift(int64_t x, int s);
/// floor((sum + n/2) / n): an average rounded half up.
int64_t rounded_mean(int64_t sum, int64_t n);
/// num / den (den > 0) rounded to the nearest integer, ties to even: ONNX's rounding (QuantizeLinear,
/// QLinearConv), used by supplied parameters so imported networks compute what their graph does.
int64_t round_div_even(int64_t num, int64_t den);

/// The right shift a GEMM's output stage applies before saturating to the layer's output
/// precision: the accumulator's typical magnitude (sqrt(K) products of the largest operands) minus
/// the output's magnitude bits, at least 0. Workloads carry no trained scales; this keeps outputs
/// spread over their range instead of saturated.
int gemm_output_shift(const LoweredOp& op);

/// Per-channel constants of a parametrised op (scale/bias, PReLU slope, bias shift), drawn from
/// the op's name so every run and the reference agree; or supplied (an imported network's trained
/// values, sim/values/supplied_params.h), which also switch the op to the supplied forms of
/// README.md ("Supplied parameters"): (x * scale + bias) / 2^shift rounded half to even.
struct ChannelParams {
  std::vector<int32_t> scale, bias;
  bool supplied = false;
  std::vector<int32_t> slope, shift;  ///< supplied only; every vector one entry a channel (add: scale one an input)
};
/// The op's supplied parameters when a supplied-parameter scope holds some for it, else drawn ones.
ChannelParams channel_params(const LoweredOp& op, int64_t channels);

/// One elementwise step on a value of output channel c (relu, sign, requantize, scale_bias,
/// prelu, bias_shift), producing op.out.
int32_t elementwise(const LoweredOp& op, const ChannelParams& p, int64_t c, int64_t x);

/// What a GEMM's output stage does to one accumulator: shift and saturate to the GEMM's output
/// precision, then each post-op fused into the array's stage in order (not the ones the vector
/// unit applies beside the array: those run as vector ops on the stage's output, op.staged).
class OutputStage {
 public:
  OutputStage(const LoweredNetwork& net, const LoweredOp& gemm);
  int32_t apply(int64_t acc, int64_t channel) const;

 private:
  struct Step {
    const LoweredOp* op;
    ChannelParams params;
  };
  ActPrecision out_;
  int shift_ = 0;
  ChannelParams own_;  ///< supplied requantization of the accumulator (own_.supplied), else unused
  std::vector<Step> steps_;
};

/// The input value a window or im2col position outside the map reads: 0, or -1 for +-1 maps.
inline int32_t pad_value(const ActPrecision& p) {
  return p.binary() ? -1 : 0;
}

}  // namespace bitsys

namespace bitsys {

/// One output element (b, c, y, x) of a vector-unit op, reading input k's values through
/// get(k, b, c, y, x) (positions inside the input only). Adds the element operations it steps
/// through to `ops`: one per element, a pool one per window position (padding included), an
/// n-input add n - 1, a bilinear upsample 4. Used by the SystemC vector unit and the reference.
template <class Get>
int32_t vector_output(const LoweredOp& op, const ChannelParams& p, int64_t b, int64_t c, int64_t y, int64_t x,
                      const Get& get, uint64_t& ops) {
  const Shape& in = op.in_shapes.front();
  switch (op.type) {
    case LayerType::Add: {
      ops += op.inputs.size() - 1;
      if (p.supplied) {  // inputs at different scales: sum of x_k * scale_k, then bias and shift
        int64_t s = p.bias[c];
        for (size_t k = 0; k < op.inputs.size(); ++k) s += int64_t{get(static_cast<int>(k), b, c, y, x)} * p.scale[k];
        return saturate(round_div_even(s, int64_t{1} << p.shift[c]), op.out);
      }
      int64_t s = get(0, b, c, y, x);
      for (size_t k = 1; k < op.inputs.size(); ++k) s += get(static_cast<int>(k), b, c, y, x);
      return saturate(s, op.out);
    }
    case LayerType::MaxPool:
    case LayerType::AvgPool: {
      int64_t best = INT64_MIN, sum = 0, n = 0;
      for (int64_t i = 0; i < op.kernel_h; ++i)
        for (int64_t j = 0; j < op.kernel_w; ++j) {
          ++ops;
          const int64_t iy = y * op.stride - op.padding + i, ix = x * op.stride - op.padding + j;
          if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;  // padding does not count
          const int64_t v = get(0, b, c, iy, ix);
          best = v > best ? v : best;
          sum += v;
          ++n;
        }
      if (op.type == LayerType::MaxPool) return saturate(best, op.out);
      if (p.supplied) return saturate(round_div_even(sum * p.scale[c], n << p.shift[c]), op.out);
      return saturate(rounded_mean(sum, n), op.out);
    }
    case LayerType::Upsample: {
      const int64_t s = op.scale;
      if (op.upsample != UpsampleMode::Bilinear) {
        ++ops;
        return saturate(get(0, b, c, y / s, x / s), op.out);
      }
      // Half-pixel centres: source position (o + 1/2) / s - 1/2, in units of 1 / (2s).
      auto axis = [s](int64_t o, int64_t size, int64_t& i0, int64_t& i1, int64_t& f) {
        const int64_t pos = 2 * o + 1 - s;  // numerator over 2s
        i0 = pos < 0 ? 0 : pos / (2 * s);
        f = pos < 0 ? 0 : pos - i0 * 2 * s;
        i1 = i0 + 1 < size ? i0 + 1 : size - 1;
      };
      int64_t y0, y1, fy, x0, x1, fx;
      axis(y, in.h, y0, y1, fy);
      axis(x, in.w, x0, x1, fx);
      const int64_t d = 2 * s;
      ops += 4;
      const int64_t sum = (d - fy) * ((d - fx) * get(0, b, c, y0, x0) + fx * get(0, b, c, y0, x1)) +
                          fy * ((d - fx) * get(0, b, c, y1, x0) + fx * get(0, b, c, y1, x1));
      return saturate(rounded_mean(sum, d * d), op.out);
    }
    default:
      ++ops;
      return elementwise(op, p, c, get(0, b, c, y, x));
  }
}

}  // namespace bitsys
