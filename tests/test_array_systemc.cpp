// The SystemC array computes the reference GEMM exactly and takes the no-overlap schedule's
// cycles, 2R + C + T - 2 per fold, for every dataflow, PE kind and shape.
#include <gtest/gtest.h>

#include <random>

#include "models/array/systemc_engine.h"
#include "models/pe/operand_encoding.h"
#include "models/pe/pe_kind.h"

namespace bitsys {
namespace {

struct Case {
  std::string kind;
  Dataflow df;
  int rows, cols, lanes;
  int64_t M, K, N;
  ActPrecision a;
  WeightPrecision w;
};

uint64_t formula_cycles(const Case& c, int64_t Kb) {
  const FoldSpace s = dataflow_info(c.df).map(c.M, Kb, c.N);
  const int64_t folds = ((s.Sr + c.rows - 1) / c.rows) * ((s.Sc + c.cols - 1) / c.cols);
  return static_cast<uint64_t>(folds * (2 * c.rows + c.cols + s.T - 2));
}

void run_case(const Case& c, uint64_t seed) {
  SCOPED_TRACE(c.kind + " " + dataflow_info(c.df).name + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) +
               " L" + std::to_string(c.lanes) + " M" + std::to_string(c.M) + " K" + std::to_string(c.K) + " N" +
               std::to_string(c.N) + " " + c.a.str() + " " + c.w.str());
  const PeKind* kind = find_pe_kind(c.kind);
  ASSERT_NE(kind, nullptr);
  const IntGemm g = random_gemm(c.M, c.K, c.N, c.a, c.w, seed);
  const BeatGemm b = encode_gemm(*kind, c.lanes, c.a, c.w, g);
  std::vector<int64_t> out;
  const ArrayJob job = SystemCEngine::instance().run({c.rows, c.cols, c.df, kind}, b, out);
  EXPECT_EQ(out, reference_gemm(g));
  EXPECT_EQ(job.cycles, formula_cycles(c, b.Kb));
  EXPECT_EQ(job.steps, job.cycles);
}

TEST(SystemCArray, SmallShapesAllDataflowsAllKinds) {
  std::mt19937_64 rng(42);
  for (const char* kind : {"int8", "binary", "bitserial"})
    for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
      for (int trial = 0; trial < 12; ++trial) {
        Case c;
        c.kind = kind;
        c.df = df;
        c.rows = 1 + static_cast<int>(rng() % 6);
        c.cols = 1 + static_cast<int>(rng() % 6);
        const PeKind* k = find_pe_kind(kind);
        c.lanes = 1 + static_cast<int>(rng() % k->max_lanes());
        c.M = 1 + static_cast<int64_t>(rng() % 13);
        c.K = 1 + static_cast<int64_t>(rng() % 40);
        c.N = 1 + static_cast<int64_t>(rng() % 13);
        c.a.bits = 1 + static_cast<int>(rng() % 8);
        c.a.is_signed = rng() & 1;
        if (rng() % 3 == 0) {
          uint8_t mask = static_cast<uint8_t>(rng() % 255 + 1);
          c.w = WeightPrecision::sign_magnitude(mask);
        } else {
          c.w = WeightPrecision::twos(1 + static_cast<int>(rng() % 8));
        }
        run_case(c, rng());
      }
}

}  // namespace
}  // namespace bitsys
