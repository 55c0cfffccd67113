#include "sim/values/semantics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>

#include "sim/values/supplied_params.h"

namespace bitsys {

int32_t saturate(int64_t x, const ActPrecision& p) {
  if (p.binary()) return x >= 0 ? 1 : -1;
  return static_cast<int32_t>(std::clamp<int64_t>(x, p.min_value(), p.max_value()));
}

int64_t round_shift(int64_t x, int s) {
  if (s <= 0) return x;
  return (x + (int64_t{1} << (s - 1))) >> s;  // arithmetic shift: floor
}

int64_t rounded_mean(int64_t sum, int64_t n) {
  const int64_t num = 2 * sum + n, den = 2 * n;  // floor(sum / n + 1/2)
  return num >= 0 ? num / den : -((-num + den - 1) / den);
}

int64_t round_div_even(int64_t num, int64_t den) {
  int64_t q = num / den, r = num % den;  // truncated; make r >= 0 so q is the floor
  if (r < 0) {
    r += den;
    --q;
  }
  if (2 * r > den || (2 * r == den && (q & 1))) ++q;
  return q;
}

namespace {

int64_t affine(const ChannelParams& p, int64_t c, int64_t x, int32_t mult) {
  return round_div_even(x * mult + p.bias[c], int64_t{1} << p.shift[c]);
}

int magnitude_bits(int64_t v) {
  int b = 0;
  for (uint64_t m = static_cast<uint64_t>(v < 0 ? -v : v); m; m >>= 1) ++b;
  return b;
}

}  // namespace

int gemm_output_shift(const LoweredOp& op) {
  const int64_t amax = std::max(-op.act.min_value(), op.act.max_value());
  const int64_t wmax = std::max(-op.weights.min_value(), op.weights.max_value());
  const int sqrt_k = magnitude_bits(static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(op.gemm.K)))));
  const int typical = sqrt_k + magnitude_bits(amax) + magnitude_bits(wmax);
  const int room = magnitude_bits(std::max(-op.out.min_value(), op.out.max_value()));
  return std::max(0, typical - room);
}

ChannelParams channel_params(const LoweredOp& op, int64_t channels) {
  if (const ChannelParams* s = supplied_params(op)) return *s;
  std::mt19937_64 rng(std::hash<std::string>{}(op.name) ^ 0xB175E5ull);
  ChannelParams p;
  p.scale.resize(static_cast<size_t>(channels));
  p.bias.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    p.scale[c] = static_cast<int32_t>(rng() % 8);       // scale_bias: 1..8 (+1 where used); PReLU: 0..7 eighths
    p.bias[c] = static_cast<int32_t>(rng() % 33) - 16;  // -16..16
  }
  return p;
}

namespace {

/// The supplied forms (README.md, "Supplied parameters").
int32_t supplied_elementwise(const LoweredOp& op, const ChannelParams& p, int64_t c, int64_t x) {
  switch (op.type) {
    case LayerType::Relu:
      return saturate(std::max<int64_t>(0, x), op.out);
    case LayerType::Sign:  // a per-channel threshold: +1 when x * scale + bias >= 0
      return saturate(x * p.scale[c] + p.bias[c] >= 0 ? 1 : -1, op.out);
    case LayerType::Requantize:
    case LayerType::ScaleBias:
    case LayerType::BiasShift:
      return saturate(affine(p, c, x, p.scale[c]), op.out);
    case LayerType::PRelu:
      return saturate(affine(p, c, x, x >= 0 ? p.scale[c] : p.slope[c]), op.out);
    default:
      throw std::logic_error("elementwise: not a one-input elementwise op: " + op.name);
  }
}

}  // namespace

int32_t elementwise(const LoweredOp& op, const ChannelParams& p, int64_t c, int64_t x) {
  if (p.supplied) return supplied_elementwise(op, p, c, x);
  switch (op.type) {
    case LayerType::Relu:
      return saturate(std::max<int64_t>(0, x), op.out);
    case LayerType::Sign:
      return saturate(x >= 0 ? 1 : -1, op.out);  // a sign into an unsigned map keeps 0 and 1
    case LayerType::Requantize: {
      const ActPrecision& in = op.in_precisions.front();
      return saturate(round_shift(x, std::max(0, in.bits - op.out.bits)), op.out);
    }
    case LayerType::ScaleBias:  // BatchNorm as y = (x * scale + bias) / 4
      return saturate(round_shift(x * (p.scale[c] + 1) + p.bias[c], 2), op.out);
    case LayerType::PRelu:  // RPReLU's slope in eighths
      return saturate(x >= 0 ? x : round_shift(x * p.scale[c], 3), op.out);
    case LayerType::BiasShift:
      return saturate(x + p.bias[c] / 2, op.out);
    default:
      throw std::logic_error("elementwise: not a one-input elementwise op: " + op.name);
  }
}

OutputStage::OutputStage(const LoweredNetwork& net, const LoweredOp& gemm)
    : out_(gemm.out), shift_(gemm_output_shift(gemm)) {
  if (const ChannelParams* s = supplied_params(gemm)) own_ = *s;
  for (const auto& name : gemm.post_ops)
    for (const auto& op : net.ops)
      if (op.name == name && !op.beside) steps_.push_back({&op, channel_params(op, op.out_shape.c)});
}

int32_t OutputStage::apply(int64_t acc, int64_t channel) const {
  int64_t v = own_.supplied ? saturate(affine(own_, channel, acc, own_.scale[channel]), out_)
                            : saturate(out_.binary() ? acc : round_shift(acc, shift_), out_);
  for (const auto& s : steps_) v = elementwise(*s.op, s.params, channel, v);
  return static_cast<int32_t>(v);
}

}  // namespace bitsys
