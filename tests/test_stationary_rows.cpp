// A kind's own layout of the decoded weight beats (Pe::Stationary, sim/pe/stationary.h) steps
// the grids exactly as the default one, one Prepared beat per PE, does: the same outputs on the
// same cycles in every dataflow, for raw operand words and beats of every bit pattern (not only the encodings the
// kind's encoder makes), rows of one-lane words and of wider ones, both schedules' grids.
// The standard library's own checks (an empty container's front(), an index out of range) abort
// here: the grids this file instantiates over PerPeBeats exist in no other translation unit.
#define _GLIBCXX_ASSERTIONS 1
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "sim/pe/grid_gemm.h"
#include "sim/pe/grids.h"
#include "sim/pe/int8_pe.h"

namespace bitsys {
namespace {

/// Raw words of 1 to 8 bytes (lanes 4..7 are ignored by the PE), mixed with one-byte words, so
/// that some rows are all one-lane words (which skip lanes 1..3) and some have a wider one only in
/// their low lanes; beats of any bits, sign bits and control word.
BeatGemm raw_gemm(std::mt19937_64& rng, int64_t M, int64_t Kb, int64_t N) {
  BeatGemm g;
  g.M = M;
  g.Kb = Kb;
  g.N = N;
  const int bytes = 1 + static_cast<int>(rng() % 8);
  const uint64_t mask = bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1;
  g.A.resize(static_cast<size_t>(M * Kb));
  for (uint64_t& a : g.A) a = rng() & (rng() % 2 ? mask : 0xFF);
  g.W.resize(static_cast<size_t>(Kb * N));
  for (Beat& b : g.W) {
    if (rng() % 8 == 0) continue;  // a bubble
    b.bits = rng() % 2 ? rng() : rng() & 0xFF;
    b.sign = rng();
    b.ctrl = static_cast<uint16_t>(rng());
  }
  return g;
}

/// What every grid must compute: each output the sum of its beats' products.
std::vector<int64_t> beat_gemm(const BeatGemm& g) {
  std::vector<int64_t> out(static_cast<size_t>(g.M * g.N), 0);
  for (int64_t m = 0; m < g.M; ++m)
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t k = 0; k < g.Kb; ++k)
        out[static_cast<size_t>(m * g.N + n)] +=
            Int8Pe::product(g.A[static_cast<size_t>(m * g.Kb + k)], g.W[static_cast<size_t>(k * g.N + n)]);
  return out;
}

TEST(StationaryRows, Int8RowEqualsTheDefaultLayoutAndTheBeatProduct) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 400; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 40);
    const BeatGemm g = raw_gemm(rng, 1, n, 1);  // n words and n beats
    Int8Pe::Stationary own(static_cast<size_t>(n) + 3), own_taken(static_cast<size_t>(n) + 3);
    PreparedBeats<Int8Pe> plain(static_cast<size_t>(n) + 3);
    std::vector<int64_t> up(static_cast<size_t>(n)), acc_own(up.size()), acc_plain(up.size());
    for (int c = 0; c < n; ++c) {
      own.set(static_cast<size_t>(c) + 3, g.W[static_cast<size_t>(c)]);
      own_taken.take(static_cast<size_t>(c) + 3, own);
      plain.set(static_cast<size_t>(c) + 3, g.W[static_cast<size_t>(c)]);
      up[static_cast<size_t>(c)] = static_cast<int64_t>(rng() % 2000001) - 1000000;
    }
    own_taken.row(3, g.A.data(), up.data(), acc_own.data(), n);
    plain.row(3, g.A.data(), up.data(), acc_plain.data(), n);
    for (int c = 0; c < n; ++c) {
      const size_t i = static_cast<size_t>(c);
      SCOPED_TRACE("trial " + std::to_string(trial) + " column " + std::to_string(c));
      EXPECT_EQ(acc_own[i], acc_plain[i]);
      EXPECT_EQ(acc_own[i], up[i] + Int8Pe::product(g.A[i], g.W[i]));
    }
  }
}

TEST(StationaryRows, Int8GridsEqualTheDefaultLayoutOnRandomShapes) {
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 120; ++trial) {
    const int rows = 1 + static_cast<int>(rng() % 9), cols = 1 + static_cast<int>(rng() % 9);
    const int64_t M = 1 + static_cast<int64_t>(rng() % 20), Kb = 1 + static_cast<int64_t>(rng() % 25),
                  N = 1 + static_cast<int64_t>(rng() % 20);
    const bool overlapped = trial % 2;
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::to_string(rows) + "x" + std::to_string(cols) +
                 (overlapped ? " overlapped" : " no_overlap") + " M" + std::to_string(M) + " Kb" + std::to_string(Kb) +
                 " N" + std::to_string(N));
    const BeatGemm g = raw_gemm(rng, M, Kb, N);
    auto own = make_grid_of<Int8Pe>(rows, cols, overlapped);
    auto plain = make_grid_of<PerPeBeats<Int8Pe>>(rows, cols, overlapped);
    std::vector<int64_t> a_out, b_out;
    const GridGemmRun a = run_gemm_on_grid(*own, Dataflow::WS, g, a_out, overlapped),
                      b = run_gemm_on_grid(*plain, Dataflow::WS, g, b_out, overlapped);
    EXPECT_EQ(a_out, b_out);
    EXPECT_EQ(a.completions, b.completions);
    EXPECT_EQ(a_out, beat_gemm(g));
    // OS and IS keep their moving weights in the same layouts (copy a row down, shift a row right,
    // products in place).
    for (Dataflow df : {Dataflow::OS, Dataflow::IS}) {
      std::vector<int64_t> out_own, out_plain;
      const GridGemmRun ra = run_gemm_on_grid(*own, df, g, out_own), rb = run_gemm_on_grid(*plain, df, g, out_plain);
      EXPECT_EQ(out_own, out_plain);
      EXPECT_EQ(ra.cycles, rb.cycles);
      EXPECT_EQ(out_own, beat_gemm(g));
    }
  }
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

// An array with no fold in it may be stepped (its registers hold bubbles); nothing completes, and
// a fold started afterwards computes as on a fresh grid. (The grid once read the oldest fold of an
// empty list here: caught by the library's checks above.)
TEST(StationaryRows, AnEmptyOverlappedGridStepsWithoutAFold) {
  std::mt19937_64 rng(13);
  const BeatGemm g = raw_gemm(rng, 5, 7, 6);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    auto grid = make_grid_of<PerPeBeats<Int8Pe>>(3, 4, true);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(grid->step());
    std::vector<int64_t> out;
    run_gemm_on_grid(*grid, df, g, out, true);
    EXPECT_EQ(out, beat_gemm(g)) << dataflow_info(df).name;
  }
}

}  // namespace
}  // namespace bitsys
