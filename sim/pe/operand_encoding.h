// Turns integer GEMM operands into the beat streams a PE kind consumes, and back-checks values.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sim/pe/pe_kind.h"

namespace bitsys {

/// Plain integer GEMM operands, row-major: A is M x K, W is K x N.
struct IntGemm {
  int64_t M = 0, K = 0, N = 0;
  std::vector<int32_t> A, W;
};

struct BeatGemm {
  int64_t M = 0, Kb = 0, N = 0;
  std::vector<uint64_t> A;  ///< M x Kb
  std::vector<Beat> W;      ///< Kb x N
};

/// std::invalid_argument when a value lies outside its precision or the kind refuses the pair.
BeatGemm encode_gemm(const PeKind& kind, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                     const IntGemm& g);

/// The reference: O = A * W with 64-bit accumulation.
std::vector<int64_t> reference_gemm(const IntGemm& g);

/// One value drawn uniformly from a precision's value set (1 bit: +-1; sign-magnitude: kept planes).
int32_t draw_act(std::mt19937_64& rng, const ActPrecision& p);
int32_t draw_weight(std::mt19937_64& rng, const WeightPrecision& p);

/// Random operands drawn uniformly from each precision's value set (seeded, reproducible).
IntGemm random_gemm(int64_t M, int64_t K, int64_t N, const ActPrecision& ap, const WeightPrecision& wp, uint64_t seed);

}  // namespace bitsys
