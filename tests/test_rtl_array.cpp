// The RTL array (verilated) against the SystemC array: random GEMMs needing several folds, in
// output-, weight- and input-stationary dataflows, for every PE kind — the same outputs (equal to
// the reference GEMM of the integer operands, encoded by bitsys's encoder) and the same number of
// cycles until the last result is valid. K reaches three chunks of the lanes, so every lane of a
// 64-lane PE carries data, and a quarter of the cases hold every operand at an extreme.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>

#include "Varray_rtl_binary.h"
#include "Varray_rtl_binary_overlap.h"
#include "Varray_rtl_bitserial.h"
#include "Varray_rtl_bitserial_overlap.h"
#include "Varray_rtl_int8.h"
#include "Varray_rtl_int8_overlap.h"
#include "models/system/systemc_engine.h"
#include "rtl/fidelity/rtl_grid.h"
#include "rtl/fidelity/rtl_overlap_grid.h"
#include "sim/pe/grid_gemm.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

// The 16 x 16 RTL array run at 4 x 3 in its corner (rows and columns differ, so a swapped index fails).
constexpr int kRows = 4, kCols = 3;

template <class V>
void compare_kind(const char* kind_name, int max_lanes, uint64_t seed) {
  const PeKind& kind = *find_pe_kind(kind_name);
  RtlGrid<V> rtl(kRows, kCols);
  std::mt19937_64 rng(seed);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
    for (int trial = 0; trial < 8; ++trial) {
      // The first cases pin the pairings every kind must get right (XNOR, the two +-1 x plane modes,
      // 8-bit sign-magnitude) at the PE's full width; the rest are random.
      const ActPrecision pinned_a[] = {{1, true}, {1, true}, {3, true}, {8, false}};
      const WeightPrecision pinned_w[] = {WeightPrecision::twos(1), WeightPrecision::twos(4), WeightPrecision::twos(1),
                                          WeightPrecision::sign_magnitude(0xff)};
      const bool pinned = trial < 4;
      const ActPrecision ap =
          pinned ? pinned_a[trial] : ActPrecision{static_cast<int>(1 + rng() % 8), (rng() & 1) != 0};
      const WeightPrecision wp = pinned      ? pinned_w[trial]
                                 : rng() % 3 ? WeightPrecision::twos(static_cast<int>(1 + rng() % 8))
                                             : WeightPrecision::sign_magnitude(static_cast<uint8_t>(1 + rng() % 255));
      const int lanes = pinned ? max_lanes : static_cast<int>(1 + rng() % static_cast<uint64_t>(max_lanes));
      // N >= 4 exceeds the 3 columns: every case needs several folds, in both dataflows.
      const int64_t M = 4 + static_cast<int64_t>(rng() % 10), K = 1 + static_cast<int64_t>(rng() % (3 * lanes)),
                    N = 4 + static_cast<int64_t>(rng() % 6);
      const uint64_t corner = trial == 3 ? 1 : rng() % 8;
      SCOPED_TRACE(std::string(kind_name) + " " + dataflow_info(df).name + " M" + std::to_string(M) + " K" +
                   std::to_string(K) + " N" + std::to_string(N) + " L" + std::to_string(lanes) + " " + ap.str() +
                   " x " + wp.str());
      IntGemm ints = random_gemm(M, K, N, ap, wp, rng());
      if (corner < 2) {  // all lanes set, the largest magnitudes: the accumulator's fastest growth
        std::fill(ints.A.begin(), ints.A.end(), static_cast<int32_t>(corner ? ap.max_value() : ap.min_value()));
        std::fill(ints.W.begin(), ints.W.end(), static_cast<int32_t>(rng() & 1 ? wp.max_value() : wp.min_value()));
      }
      const BeatGemm beats = encode_gemm(kind, lanes, ap, wp, ints);
      std::vector<int64_t> rtl_out, sc_out;
      const GridGemmRun r = run_gemm_on_grid(rtl, df, beats, rtl_out);
      const GemmRunResult s = SystemCEngine::instance().run_gemm({kRows, kCols, df, &kind}, beats, sc_out);
      EXPECT_EQ(rtl_out, sc_out);
      EXPECT_EQ(rtl_out, reference_gemm(ints));
      EXPECT_EQ(r.folds, s.folds);
      EXPECT_GT(r.folds, 1u);
      EXPECT_EQ(r.cycles, s.cycles);
    }
}

// The overlapped schedule: the RTL's shadow registers (WS/IS) and output registers (OS) against
// the SystemC grid's (sim/pe/pipelined_grid.h), fold by fold on the same cycle. Arrays from 2 x 2
// to 6 x 5, short streams (T down to 1, so the next fold's preload and the previous fold's results
// meet in the array) and long ones.
template <class V>
void compare_overlapped(const char* kind_name, int max_lanes, uint64_t seed) {
  const PeKind& kind = *find_pe_kind(kind_name);
  std::mt19937_64 rng(seed);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
    for (int trial = 0; trial < 6; ++trial) {
      const int rows = 2 + static_cast<int>(rng() % 5), cols = 2 + static_cast<int>(rng() % 4);
      const ActPrecision ap{static_cast<int>(1 + rng() % 8), (rng() & 1) != 0};
      const WeightPrecision wp = rng() % 3 ? WeightPrecision::twos(static_cast<int>(1 + rng() % 8))
                                           : WeightPrecision::sign_magnitude(static_cast<uint8_t>(1 + rng() % 255));
      const int lanes = trial == 0 ? max_lanes : static_cast<int>(1 + rng() % static_cast<uint64_t>(max_lanes));
      // The dimension across the columns (OS, WS: N; IS: M) wider than the array, so there are
      // always several folds; the other one from 1 to 12 (WS/IS: the stream, down to one element;
      // OS: the rows, and the stream is the K beats).
      const int64_t across = cols + 1 + static_cast<int64_t>(rng() % 8), other = 1 + static_cast<int64_t>(rng() % 12);
      const int64_t K = 1 + static_cast<int64_t>(rng() % (3 * lanes));
      const bool is = df == Dataflow::IS;
      const IntGemm ints = random_gemm(is ? across : other, K, is ? other : across, ap, wp, rng());
      const BeatGemm beats = encode_gemm(kind, lanes, ap, wp, ints);
      SCOPED_TRACE(std::string(kind_name) + " " + dataflow_info(df).name + " " + std::to_string(rows) + "x" +
                   std::to_string(cols) + " M" + std::to_string(ints.M) + " K" + std::to_string(ints.K) + " N" +
                   std::to_string(ints.N) + " L" + std::to_string(lanes) + " " + ap.str() + " x " + wp.str());
      RtlOverlapGrid<V> rtl(rows, cols);
      const auto systemc = kind.make_grid(rows, cols, true);
      std::vector<int64_t> rtl_out, sc_out;
      const GridGemmRun r = run_gemm_on_grid(rtl, df, beats, rtl_out, true),
                        s = run_gemm_on_grid(*systemc, df, beats, sc_out, true);
      EXPECT_EQ(rtl_out, sc_out);
      EXPECT_EQ(rtl_out, reference_gemm(ints));
      EXPECT_EQ(r.completions, s.completions);
      // Overlap happened: F folds in fewer cycles than F one at a time (2R + C + T - 2 each).
      const FoldSpace fs = dataflow_info(df).map(beats.M, beats.Kb, beats.N);
      const uint64_t F = r.completions.size();
      ASSERT_GE(F, 2u);
      EXPECT_LT(r.completions.back(), F * static_cast<uint64_t>(2 * rows + cols + fs.T - 2));
    }
}

TEST(RtlArray, OverlappedInt8MatchesTheSystemCArray) {
  compare_overlapped<Varray_rtl_int8_overlap>("int8", 4, 11);
}
TEST(RtlArray, OverlappedBinaryMatchesTheSystemCArray) {
  compare_overlapped<Varray_rtl_binary_overlap>("binary", 64, 12);
}
TEST(RtlArray, OverlappedBitSerialMatchesTheSystemCArray) {
  compare_overlapped<Varray_rtl_bitserial_overlap>("bitserial", 8, 13);
}

TEST(RtlArray, Int8MatchesTheSystemCArray) {
  compare_kind<Varray_rtl_int8>("int8", 4, 1);
}
TEST(RtlArray, BinaryMatchesTheSystemCArray) {
  compare_kind<Varray_rtl_binary>("binary", 64, 2);
}
TEST(RtlArray, BitSerialMatchesTheSystemCArray) {
  compare_kind<Varray_rtl_bitserial>("bitserial", 8, 3);
}

}  // namespace
}  // namespace bitsys
