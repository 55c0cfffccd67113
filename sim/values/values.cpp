#include "sim/values/values.h"

#include <algorithm>
#include <functional>
#include <random>
#include <stdexcept>

#include "sim/pe/operand_encoding.h"
#include "sim/values/semantics.h"

namespace bitsys {

IntTensor IntTensor::zeros(int64_t n, int64_t c, int64_t h, int64_t w) {
  IntTensor t;
  t.n = n;
  t.c = c;
  t.h = h;
  t.w = w;
  t.v.assign(static_cast<size_t>(n * c * h * w), 0);
  return t;
}

namespace {

IntTensor shaped(const LoweredNetwork& net, const Shape& s) {
  return IntTensor::zeros(net.batch, s.c, s.h, s.w);
}

}  // namespace

NetworkValues random_values(const LoweredNetwork& net, uint64_t seed) {
  NetworkValues v;
  for (uint32_t i = 0; i < net.ops.size(); ++i) {
    const LoweredOp& op = net.ops[i];
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      bool produced = false;
      for (uint32_t j = 0; j < i; ++j) produced = produced || net.ops[j].name == op.inputs[k];
      if (produced || v.tensors.count(op.inputs[k])) continue;
      std::mt19937_64 rng(seed ^ std::hash<std::string>{}(op.inputs[k]));
      IntTensor t = shaped(net, op.in_shapes[k]);
      for (auto& x : t.v) x = draw_act(rng, op.in_precisions[k]);
      v.tensors[op.inputs[k]] = std::move(t);
    }
    if (op.placement != OpPlacement::Array) continue;
    std::mt19937_64 rng(seed ^ std::hash<std::string>{}(op.name) ^ 0x5EEDull);
    IntTensor w =
        op.type == LayerType::FullyConnected
            ? IntTensor::zeros(op.gemm.N, op.gemm.K, 1, 1)
            : IntTensor::zeros(op.out_shape.c, op.in_shapes.front().c / op.gemm.groups, op.kernel_h, op.kernel_w);
    for (auto& x : w.v) x = draw_weight(rng, op.weights);
    v.weights[i] = std::move(w);
  }
  return v;
}

namespace {

IntTensor run_gemm(const LoweredNetwork& net, const LoweredOp& op, const IntTensor& in, const IntTensor& w) {
  const OutputStage stage(net, op);
  IntTensor out = shaped(net, op.out_shape);
  if (op.type == LayerType::FullyConnected) {
    const int64_t K = op.gemm.K;
    for (int64_t b = 0; b < net.batch; ++b)
      for (int64_t n = 0; n < op.gemm.N; ++n) {
        int64_t acc = 0;
        for (int64_t k = 0; k < K; ++k)
          acc += int64_t{in.v[static_cast<size_t>(b * K + k)]} * w.v[static_cast<size_t>(n * K + k)];
        out.at(b, n, 0, 0) = stage.apply(acc, n);
      }
    return out;
  }
  // A direct convolution, one weight at a time over a whole output plane: every position starts as
  // if it read the pad value, and positions inside the map add (value - pad) * weight.
  const int64_t cg = in.c / op.gemm.groups, per_group = op.gemm.N;
  const int64_t OH = op.out_shape.h, OW = op.out_shape.w, S = op.stride, P = op.padding;
  const int32_t pad = pad_value(op.act);
  std::vector<int64_t> acc(static_cast<size_t>(OH * OW));
  for (int64_t b = 0; b < net.batch; ++b)
    for (int64_t co = 0; co < op.out_shape.c; ++co) {
      const int64_t g = co / per_group;
      int64_t wsum = 0;
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t i = 0; i < op.kernel_h; ++i)
          for (int64_t j = 0; j < op.kernel_w; ++j) wsum += w.at(co, ci, i, j);
      std::fill(acc.begin(), acc.end(), int64_t{pad} * wsum);
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t i = 0; i < op.kernel_h; ++i)
          for (int64_t j = 0; j < op.kernel_w; ++j) {
            const int64_t wv = w.at(co, ci, i, j);
            // Output columns whose input column ox * S - P + j lies inside [0, W).
            const int64_t ox0 = std::max<int64_t>(0, (P - j + S - 1) / S);
            const int64_t ox1 = std::min<int64_t>(OW, (in.w - 1 + P - j) / S + 1);
            for (int64_t oy = 0; oy < OH; ++oy) {
              const int64_t iy = oy * S - P + i;
              if (iy < 0 || iy >= in.h) continue;
              const int32_t* row = &in.v[static_cast<size_t>(((b * in.c + g * cg + ci) * in.h + iy) * in.w)];
              int64_t* o = &acc[static_cast<size_t>(oy * OW)];
              for (int64_t ox = ox0; ox < ox1; ++ox) o[ox] += int64_t{row[ox * S - P + j] - pad} * wv;
            }
          }
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox)
          out.at(b, co, oy, ox) = stage.apply(acc[static_cast<size_t>(oy * OW + ox)], co);
    }
  return out;
}

IntTensor run_free(const LoweredNetwork& net, const LoweredOp& op, const std::vector<const IntTensor*>& in) {
  IntTensor out = shaped(net, op.out_shape);
  if (op.type == LayerType::Concat) {
    int64_t c0 = 0;
    for (const IntTensor* t : in) {
      for (int64_t b = 0; b < t->n; ++b)
        for (int64_t c = 0; c < t->c; ++c)
          for (int64_t y = 0; y < t->h; ++y)
            for (int64_t x = 0; x < t->w; ++x) out.at(b, c0 + c, y, x) = t->at(b, c, y, x);
      c0 += t->c;
    }
    return out;
  }
  const int64_t s = op.scale;  // pixel shuffle: out[c][y*s+i][x*s+j] = in[c*s*s + i*s + j][y][x]
  const IntTensor& t = *in.front();
  for (int64_t b = 0; b < out.n; ++b)
    for (int64_t c = 0; c < out.c; ++c)
      for (int64_t y = 0; y < out.h; ++y)
        for (int64_t x = 0; x < out.w; ++x) out.at(b, c, y, x) = t.at(b, c * s * s + (y % s) * s + x % s, y / s, x / s);
  return out;
}

}  // namespace

void reference_network(const LoweredNetwork& net, NetworkValues& values) {
  for (uint32_t i = 0; i < net.ops.size(); ++i) {
    const LoweredOp& op = net.ops[i];
    if (op.placement == OpPlacement::Fused && !op.beside) continue;  // applied by its GEMM's output stage
    std::vector<const IntTensor*> in;
    for (const auto& name : op.inputs) {
      auto it = values.tensors.find(name);
      if (it == values.tensors.end()) throw std::logic_error("reference: tensor '" + name + "' not computed yet");
      in.push_back(&it->second);
    }
    IntTensor out;
    if (op.placement == OpPlacement::Array) {
      out = run_gemm(net, op, *in.front(), values.weights.at(i));
    } else if (op.placement == OpPlacement::Free) {
      out = run_free(net, op, in);
    } else {
      out = shaped(net, op.out_shape);
      const ChannelParams p = channel_params(op, op.out_shape.c);
      auto get = [&](int k, int64_t b, int64_t c, int64_t y, int64_t x) {
        return in[static_cast<size_t>(k)]->at(b, c, y, x);
      };
      uint64_t ops = 0;
      for (int64_t b = 0; b < out.n; ++b)
        for (int64_t c = 0; c < out.c; ++c)
          for (int64_t y = 0; y < out.h; ++y)
            for (int64_t x = 0; x < out.w; ++x) out.at(b, c, y, x) = vector_output(op, p, b, c, y, x, get, ops);
    }
    // A GEMM whose last post-ops run beside the array leaves its stage's output; they follow as
    // vector ops, each under its own name.
    values.tensors[op.beside_ops ? op.staged : op.beside ? op.name : op.emits] = std::move(out);
  }
}

}  // namespace bitsys
