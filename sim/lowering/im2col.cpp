#include "sim/lowering/im2col.h"

#include <limits>

#include "sim/io/input_error.h"

namespace bitsys {

namespace {

std::string dims(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

void expect_shape(const NpyArray& a, const std::string& file, std::vector<std::vector<int64_t>> allowed) {
  for (const auto& s : allowed)
    if (a.shape == s) return;
  fail_input(file, "", "shape", dims(a.shape) + " does not fit the layer: expected " + dims(allowed.front()));
}

int32_t narrow(int64_t v, const std::string& file) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    fail_input(file, "", "", "value out of range");
  return static_cast<int32_t>(v);
}

}  // namespace

std::vector<int64_t> output_shape(const LoweredOp& op, int64_t batch) {
  if (op.type == LayerType::FullyConnected) return {batch, op.out_shape.c};
  return {batch, op.out_shape.c, op.out_shape.h, op.out_shape.w};
}

IntGemm gemm_operands(const LoweredOp& op, int64_t batch, int64_t group, const NpyArray& input,
                      const std::string& input_file, const NpyArray& weights, const std::string& weights_file) {
  const Shape in = op.in_shapes.front();
  const GemmShape& g = op.gemm;
  IntGemm r;
  r.M = g.M;
  r.K = g.K;
  r.N = g.N;
  r.A.resize(static_cast<size_t>(g.M * g.K));
  r.W.resize(static_cast<size_t>(g.K * g.N));
  if (op.type == LayerType::FullyConnected) {
    const int64_t features = in.elements();
    expect_shape(input, input_file,
                 batch == 1 ? std::vector<std::vector<int64_t>>{{1, features}, {features}}
                            : std::vector<std::vector<int64_t>>{{batch, features}});
    expect_shape(weights, weights_file, {{g.N, g.K}});
    for (int64_t i = 0; i < g.M * g.K; ++i) r.A[i] = narrow(input.data[i], input_file);
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t k = 0; k < g.K; ++k) r.W[k * g.N + n] = narrow(weights.data[n * g.K + k], weights_file);
    return r;
  }
  const int64_t cin_g = in.c / g.groups, kh = op.kernel_h, kw = op.kernel_w;
  expect_shape(input, input_file,
               batch == 1 ? std::vector<std::vector<int64_t>>{{1, in.c, in.h, in.w}, {in.c, in.h, in.w}}
                          : std::vector<std::vector<int64_t>>{{batch, in.c, in.h, in.w}});
  expect_shape(weights, weights_file, {{op.out_shape.c, cin_g, kh, kw}});
  const int32_t pad = op.act.binary() ? -1 : 0;
  const int64_t oh = op.out_shape.h, ow = op.out_shape.w;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        const int64_t m = (b * oh + y) * ow + x;
        for (int64_t c = 0; c < cin_g; ++c)
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              const int64_t iy = y * op.stride - op.padding + i, ix = x * op.stride - op.padding + j;
              const int64_t k = (c * kh + i) * kw + j;
              const bool inside = iy >= 0 && iy < in.h && ix >= 0 && ix < in.w;
              r.A[m * g.K + k] =
                  inside ? narrow(input.data[((b * in.c + group * cin_g + c) * in.h + iy) * in.w + ix], input_file)
                         : pad;
            }
      }
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k)
      r.W[k * g.N + n] = narrow(weights.data[(group * g.N + n) * g.K + k], weights_file);
  return r;
}

void scatter_outputs(const LoweredOp& op, int64_t batch, int64_t group, const std::vector<int64_t>& o,
                     std::vector<int64_t>& out) {
  const GemmShape& g = op.gemm;
  if (op.type == LayerType::FullyConnected) {
    for (int64_t i = 0; i < g.M * g.N; ++i) out[i] = o[i];
    return;
  }
  const int64_t hw = op.out_shape.h * op.out_shape.w;
  for (int64_t m = 0; m < g.M; ++m) {
    const int64_t b = m / hw, p = m % hw;
    for (int64_t n = 0; n < g.N; ++n) out[(b * op.out_shape.c + group * g.N + n) * hw + p] = o[m * g.N + n];
  }
  (void)batch;
}

}  // namespace bitsys
