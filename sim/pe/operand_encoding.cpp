#include "sim/pe/operand_encoding.h"

#include <random>
#include <stdexcept>

namespace bitsys {

namespace {

// A value outside its precision would be silently truncated by the bit-level encodings.
void check_operands(const PeKind& kind, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                    const IntGemm& g) {
  if (lanes < 1 || lanes > kind.max_lanes())
    throw std::invalid_argument(kind.name() + " PE: lanes " + std::to_string(lanes) + " outside 1.." +
                                std::to_string(kind.max_lanes()));
  const std::string why = kind.check(ap, wp);
  if (!why.empty())
    throw std::invalid_argument(kind.name() + " PE cannot take " + ap.str() + " x " + wp.str() + ": " + why);
  for (size_t i = 0; i < g.A.size(); ++i) {
    const int64_t v = g.A[i];
    if (v < ap.min_value() || v > ap.max_value() || (ap.binary() && v == 0))
      throw std::invalid_argument("activation " + std::to_string(v) + " at index " + std::to_string(i) + " is not a " +
                                  ap.str() + " value");
  }
  for (size_t i = 0; i < g.W.size(); ++i)
    if (!wp.representable(g.W[i]))
      throw std::invalid_argument("weight " + std::to_string(g.W[i]) + " at index " + std::to_string(i) + " is not a " +
                                  wp.str() + " value");
}

}  // namespace

BeatGemm encode_gemm(const PeKind& kind, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                     const IntGemm& g) {
  check_operands(kind, lanes, ap, wp, g);
  BeatGemm b;
  b.M = g.M;
  b.N = g.N;
  b.Kb = beats_for(kind, g.K, lanes, ap, wp);
  b.A.resize(static_cast<size_t>(b.M * b.Kb));
  b.W.resize(static_cast<size_t>(b.Kb * b.N));
  for (int64_t m = 0; m < g.M; ++m) kind.encode_activations(&g.A[m * g.K], g.K, lanes, ap, wp, &b.A[m * b.Kb]);
  std::vector<int32_t> col(g.K);
  std::vector<Beat> beats(b.Kb);
  for (int64_t n = 0; n < g.N; ++n) {
    for (int64_t k = 0; k < g.K; ++k) col[k] = g.W[k * g.N + n];
    kind.encode_weights(col.data(), g.K, lanes, ap, wp, beats.data());
    for (int64_t k = 0; k < b.Kb; ++k) b.W[k * b.N + n] = beats[k];
  }
  return b;
}

std::vector<int64_t> reference_gemm(const IntGemm& g) {
  std::vector<int64_t> O(static_cast<size_t>(g.M * g.N), 0);
  for (int64_t m = 0; m < g.M; ++m)
    for (int64_t k = 0; k < g.K; ++k) {
      const int64_t a = g.A[m * g.K + k];
      const int32_t* w = &g.W[k * g.N];
      int64_t* o = &O[m * g.N];
      for (int64_t n = 0; n < g.N; ++n) o[n] += a * w[n];
    }
  return O;
}

int32_t draw_act(std::mt19937_64& rng, const ActPrecision& p) {
  if (p.binary()) return (rng() & 1) ? 1 : -1;
  std::uniform_int_distribution<int64_t> d(p.min_value(), p.max_value());
  return static_cast<int32_t>(d(rng));
}

int32_t draw_weight(std::mt19937_64& rng, const WeightPrecision& p) {
  if (p.binary()) return (rng() & 1) ? 1 : -1;
  if (p.format == WeightFormat::SignMagnitude) {
    const int32_t mag = static_cast<int32_t>(rng() & p.mask);  // only kept planes
    return (rng() & 1) ? -mag : mag;
  }
  std::uniform_int_distribution<int64_t> d(p.min_value(), p.max_value());
  return static_cast<int32_t>(d(rng));
}

IntGemm random_gemm(int64_t M, int64_t K, int64_t N, const ActPrecision& ap, const WeightPrecision& wp, uint64_t seed) {
  std::mt19937_64 rng(seed);
  IntGemm g;
  g.M = M;
  g.K = K;
  g.N = N;
  g.A.resize(static_cast<size_t>(M * K));
  g.W.resize(static_cast<size_t>(K * N));
  for (auto& a : g.A) a = draw_act(rng, ap);
  for (auto& w : g.W) w = draw_weight(rng, wp);
  return g;
}

}  // namespace bitsys
