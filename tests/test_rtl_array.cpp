// The RTL array (verilated) against the SystemC array: random GEMMs needing several folds, in
// output- and weight-stationary dataflows, for every PE kind — the same outputs (equal to the
// reference GEMM) and the same number of cycles until the last result is valid.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "Varray_binary.h"
#include "Varray_bitserial.h"
#include "Varray_int8.h"
#include "models/system/systemc_engine.h"
#include "rtl/cosim/array_driver.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

constexpr int kRows = 4, kCols = 3;  // BITSYS_RTL_ARRAY_{ROWS,COLS} in tests/CMakeLists.txt

template <class V>
void compare_kind(const char* kind_name, int max_lanes, uint64_t seed) {
  const PeKind& kind = *find_pe_kind(kind_name);
  auto ctx = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<V>(ctx.get());
  ArrayDriver<V> rtl(*top, kRows, kCols);
  std::mt19937_64 rng(seed);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS})
    for (int trial = 0; trial < 8; ++trial) {
      const ActPrecision ap{static_cast<int>(1 + rng() % 8), (rng() & 1) != 0};
      const WeightPrecision wp = rng() % 3 ? WeightPrecision::twos(static_cast<int>(1 + rng() % 8))
                                           : WeightPrecision::sign_magnitude(static_cast<uint8_t>(1 + rng() % 255));
      const int lanes = static_cast<int>(1 + rng() % static_cast<uint64_t>(max_lanes));
      // N >= 4 exceeds the 3 columns: every case needs several folds, in both dataflows.
      const int64_t M = 1 + static_cast<int64_t>(rng() % 13), K = 1 + static_cast<int64_t>(rng() % 40),
                    N = 4 + static_cast<int64_t>(rng() % 6);
      SCOPED_TRACE(std::string(kind_name) + " " + dataflow_info(df).name + " M" + std::to_string(M) + " K" +
                   std::to_string(K) + " N" + std::to_string(N) + " L" + std::to_string(lanes) + " " + ap.str() +
                   " x " + wp.str());
      const IntGemm ints = random_gemm(M, K, N, ap, wp, rng());
      const BeatGemm beats = encode_gemm(kind, lanes, ap, wp, ints);
      std::vector<int64_t> rtl_out, sc_out;
      const RtlArrayRun r = rtl.run(df, beats, rtl_out);
      const GemmRunResult s = SystemCEngine::instance().run_gemm({kRows, kCols, df, &kind}, beats, sc_out);
      EXPECT_EQ(rtl_out, sc_out);
      EXPECT_EQ(rtl_out, reference_gemm(ints));
      EXPECT_EQ(r.folds, s.folds);
      EXPECT_GT(r.folds, 1u);
      EXPECT_EQ(r.cycles, s.cycles);
    }
  top->final();
}

TEST(RtlArray, Int8MatchesTheSystemCArray) {
  compare_kind<Varray_int8>("int8", 4, 1);
}
TEST(RtlArray, BinaryMatchesTheSystemCArray) {
  compare_kind<Varray_binary>("binary", 64, 2);
}
TEST(RtlArray, BitSerialMatchesTheSystemCArray) {
  compare_kind<Varray_bitserial>("bitserial", 8, 3);
}

}  // namespace
}  // namespace bitsys
