// The SystemC array computes the reference GEMM exactly and takes the no-overlap schedule's
// cycles, 2R + C + T - 2 per fold, for every dataflow, PE kind and shape.
#include <gtest/gtest.h>

#include <random>

#include "models/system/systemc_engine.h"
#include "sim/pe/operand_encoding.h"
#include "sim/pe/pe_kind.h"

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
  const GemmRunResult job = SystemCEngine::instance().run_gemm({c.rows, c.cols, c.df, kind}, b, out);
  EXPECT_EQ(out, reference_gemm(g));
  EXPECT_EQ(job.cycles, formula_cycles(c, b.Kb));
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

#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/ir/arch_config.h"
#include "sim/lowering/lower.h"

namespace bitsys {
namespace {

TEST(SystemCArray, ShapesAroundTheArraySizeWithDefaultLanes) {
  // M, K, N below, at, just above and well above R and C, none multiples of them.
  std::mt19937_64 rng(7);
  const ActPrecision a8{8, true}, a1{1, true}, a4{4, false};
  for (const char* kind : {"int8", "binary", "bitserial"})
    for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
      for (int64_t mul : {1, 2}) {
        Case c;
        c.kind = kind;
        c.df = df;
        c.rows = 8;
        c.cols = 5;
        c.lanes = find_pe_kind(kind)->default_lanes();
        c.M = mul == 1 ? 3 : 21;
        c.K = mul == 1 ? 7 : 150;
        c.N = mul == 1 ? 4 : 11;
        c.a = std::string(kind) == "binary" ? a1 : std::string(kind) == "bitserial" ? a4 : a8;
        c.w = std::string(kind) == "binary"      ? WeightPrecision::twos(1)
              : std::string(kind) == "bitserial" ? WeightPrecision::sign_magnitude(0b01100100)
                                                 : WeightPrecision::twos(8);
        run_case(c, rng());
      }
}

TEST(SystemCArray, SingleRowAndColumnArrays) {
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    run_case({"int8", df, 1, 1, 1, 3, 5, 2, ActPrecision{8, false}, WeightPrecision::twos(8)}, 1);
    run_case({"int8", df, 1, 7, 2, 9, 4, 10, ActPrecision{8, true}, WeightPrecision::twos(5)}, 2);
    run_case({"int8", df, 7, 1, 3, 9, 13, 3, ActPrecision{3, true}, WeightPrecision::twos(2)}, 3);
  }
}

TEST(SystemCArray, NetworkCyclesEqualTheAnalyticModelInEveryDataflow) {
  ArchConfig arch = load_arch(std::string(BITSYS_SOURCE_DIR) + "/configs/binary-32x32.json");
  arch.rows = 16;
  arch.cols = 8;
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/resnet20-int8.json"));
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    arch.dataflow = df;
    RunOptions opt;
    const RunResult analytic = run_network(arch, net, opt);
    opt.fidelity = "systemc";
    opt.verify = true;
    const RunResult systemc = run_network(arch, net, opt);
    EXPECT_TRUE(systemc.verified);
    ASSERT_EQ(analytic.layers.size(), systemc.layers.size());
    for (size_t i = 0; i < analytic.layers.size(); ++i) {
      EXPECT_EQ(analytic.layers[i].timing.compute, systemc.layers[i].timing.compute) << analytic.layers[i].op.name;
      EXPECT_EQ(analytic.layers[i].timing.stall, systemc.layers[i].timing.stall) << analytic.layers[i].op.name;
    }
    EXPECT_EQ(analytic.dram_read, systemc.dram_read);
    EXPECT_EQ(analytic.dram_written, systemc.dram_written);
    EXPECT_EQ(analytic.total_cycles, systemc.total_cycles);
    EXPECT_GT(systemc.total_cycles, 0u);
  }
}

}  // namespace
}  // namespace bitsys
