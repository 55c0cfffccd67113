// The SystemC array computes the reference GEMM exactly and takes each schedule's cycles, for
// every dataflow, PE kind and shape: no_overlap 2R + C + T - 2 per fold; overlapped as below.
#include <gtest/gtest.h>

#include <algorithm>
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
  FoldSchedule schedule = FoldSchedule::NoOverlap;
};

/// F folds of T streamed steps on R x C (ideal memory, no output-stage registers).
/// no_overlap: each fold 2R + C + T - 2 (fill, stream, skew and drain).
/// overlapped (README "The timing model"): fold g begins at s_g and has its last beat in at l_g;
/// it completes `tail` cycles later, e_g = l_g + 1 + tail. It begins once the previous fold's
/// beats are in and the fold two before it has left (the output buffer's two halves alternate):
/// s_g = max(l_{g-1} + 1, e_{g-2}).
///   WS/IS: R cycles of preload, then T beats: l_g = s_g + R + T - 1; tail = R + C - 2.
///   OS: T beats, the last one held until 2R cycles after the previous fold's (the output
///   registers still shift its results out): l_g = max(s_g + T - 1, l_{g-1} + 2R); tail = 2R + C - 2.
/// When T is large against the tail this is F (R + T) + R + C - 2 (WS/IS), F T + 2R + C - 2 (OS).
uint64_t formula_cycles(const Case& c, int64_t Kb) {
  const FoldSpace s = dataflow_info(c.df).map(c.M, Kb, c.N);
  const int64_t F = ((s.Sr + c.rows - 1) / c.rows) * ((s.Sc + c.cols - 1) / c.cols);
  const int64_t R = c.rows, C = c.cols, T = s.T;
  if (c.schedule == FoldSchedule::NoOverlap) return static_cast<uint64_t>(F * (2 * R + C + T - 2));
  const bool os = c.df == Dataflow::OS;
  const int64_t tail = os ? 2 * R + C - 2 : R + C - 2;
  std::vector<int64_t> l(static_cast<size_t>(F)), e(static_cast<size_t>(F));
  for (size_t g = 0; g < l.size(); ++g) {
    int64_t start = g ? l[g - 1] + 1 : 0;
    if (g >= 2) start = std::max(start, e[g - 2]);
    l[g] = os ? start + T - 1 : start + R + T - 1;
    if (os && g) l[g] = std::max(l[g], l[g - 1] + 2 * R);
    e[g] = l[g] + 1 + tail;
  }
  return static_cast<uint64_t>(e.back());
}

void run_case(const Case& c, uint64_t seed) {
  SCOPED_TRACE(c.kind + " " + dataflow_info(c.df).name + " " + schedule_name(c.schedule) + " " +
               std::to_string(c.rows) + "x" + std::to_string(c.cols) + " L" + std::to_string(c.lanes) + " M" +
               std::to_string(c.M) + " K" + std::to_string(c.K) + " N" + std::to_string(c.N) + " " + c.a.str() + " " +
               c.w.str());
  const PeKind* kind = find_pe_kind(c.kind);
  ASSERT_NE(kind, nullptr);
  const IntGemm g = random_gemm(c.M, c.K, c.N, c.a, c.w, seed);
  const BeatGemm b = encode_gemm(*kind, c.lanes, c.a, c.w, g);
  std::vector<int64_t> out;
  const GemmRunResult job = SystemCEngine::instance().run_gemm({c.rows, c.cols, c.df, kind, c.schedule}, b, out);
  EXPECT_EQ(out, reference_gemm(g));
  EXPECT_EQ(job.cycles, formula_cycles(c, b.Kb));
}

TEST(SystemCArray, SmallShapesAllDataflowsAllKindsBothSchedules) {
  std::mt19937_64 rng(42);
  for (const char* kind : {"int8", "binary", "bitserial"})
    for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
      for (int trial = 0; trial < 24; ++trial) {
        Case c;
        c.kind = kind;
        c.df = df;
        c.schedule = trial % 2 ? FoldSchedule::Overlapped : FoldSchedule::NoOverlap;
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
  for (FoldSchedule s : {FoldSchedule::NoOverlap, FoldSchedule::Overlapped})
    for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
      run_case({"int8", df, 1, 1, 1, 3, 5, 2, ActPrecision{8, false}, WeightPrecision::twos(8), s}, 1);
      run_case({"int8", df, 1, 7, 2, 9, 4, 10, ActPrecision{8, true}, WeightPrecision::twos(5), s}, 2);
      run_case({"int8", df, 7, 1, 3, 9, 13, 3, ActPrecision{3, true}, WeightPrecision::twos(2), s}, 3);
    }
}

TEST(SystemCArray, ManyShortFoldsInsideOneSkewWindow) {
  // One row of 40 columns and folds of one or two beats. A fold starts 2 cycles after the one before
  // (OS: T = Kb = 2 = 2R; WS: R + T = 1 + M = 2; IS: 1 + N = 2) but only once the fold two before
  // it has left (about 40 cycles: formula_cycles above), so the 40-column skew window always holds
  // bubbles between two folds' elements. The overlapped grid reads its entry log once a cycle only
  // when one fold fed the whole window; here it never has, and every column must find its own fold
  // (30 folds through 3 of the grid's 8 fold contexts) or none. Cycles by formula_cycles.
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    Case c{"int8", df, 1, 40, 1, 0, 0, 0, ActPrecision{8, true}, WeightPrecision::twos(8), FoldSchedule::Overlapped};
    if (df == Dataflow::OS) c.M = 30, c.K = 2, c.N = 40;  // Sr = M: 30 folds
    if (df == Dataflow::WS) c.M = 1, c.K = 30, c.N = 40;  // Sr = Kb: 30 folds of T = M = 1
    if (df == Dataflow::IS) c.M = 40, c.K = 30, c.N = 1;  // Sr = Kb: 30 folds of T = N = 1
    run_case(c, 11);
  }
}

TEST(SystemCArray, OverlappedFoldsByHand) {
  // WS 4x3, int8 L1, M 5 K 8 N 3: Sr = Kb = 8, Sc = N = 3, T = M = 5 -> F = 2 folds.
  // no_overlap: 2 (8 + 3 + 5 - 2) = 28. overlapped: 2 (4 + 5) + 4 + 3 - 2 = 23.
  const Case ws{"int8", Dataflow::WS, 4, 3, 1, 5, 8, 3, ActPrecision{8, true}, WeightPrecision::twos(8)};
  EXPECT_EQ(formula_cycles(ws, 8), 28u);
  Case ws_o = ws;
  ws_o.schedule = FoldSchedule::Overlapped;
  EXPECT_EQ(formula_cycles(ws_o, 8), 23u);
  run_case(ws_o, 5);
  // OS 4x3, M 8 K 3 N 3: Sr = M = 8, Sc = N = 3, T = Kb = 3 < 2R = 8 -> F = 2 folds: the second's
  // last beat is held until 8 cycles after the first's: 3 + 8 + (8 + 3 - 2) = 20 (no_overlap 2 * 14 = 28).
  Case os{"int8", Dataflow::OS, 4, 3, 1, 8, 3, 3, ActPrecision{8, true}, WeightPrecision::twos(8)};
  os.schedule = FoldSchedule::Overlapped;
  EXPECT_EQ(formula_cycles(os, 3), 20u);
  run_case(os, 6);
}

TEST(SystemCArray, NetworkCyclesEqualTheAnalyticModelInEveryDataflowAndSchedule) {
  ArchConfig arch = load_arch(std::string(BITSYS_SOURCE_DIR) + "/configs/binary-32x32.json");
  arch.rows = 16;
  arch.cols = 8;
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/resnet20-int8.json"));
  for (FoldSchedule s : {FoldSchedule::NoOverlap, FoldSchedule::Overlapped})
    for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
      SCOPED_TRACE(std::string(dataflow_info(df).name) + " " + schedule_name(s));
      arch.dataflow = df;
      arch.schedule = s;
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
