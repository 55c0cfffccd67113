// A grid's decoded weight beats and the rows of PE updates made with them each cycle: the
// weight-stationary beats, decoded once per fold, and the moving weights of OS (down) and IS
// (right), decoded once as they enter the array and moved with their raw beats. By default each
// PE holds its kind's Prepared beat; a kind may bring its own `Pe::Stationary` with the same
// members, laid out so that a row's products vectorise (the row is most of a simulated cycle's
// host time). tests/test_stationary_rows.cpp holds a kind's own layout equal to the default one.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "sim/pe/beat.h"

// A row of products is the simulator's hottest loop: on x86-64 with GCC it is compiled for AVX2
// too, and the CPU's best version is chosen when the program starts (the build itself targets the
// baseline instruction set, so the binary runs anywhere).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define BITSYS_ROW_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define BITSYS_ROW_CLONES
#endif

namespace bitsys {

template <class Pe>
class PreparedBeats {
 public:
  explicit PreparedBeats(size_t n) : p_(n) {}
  void set(size_t i, const Beat& b) { p_[i] = Pe::prepare(b); }
  /// PE i takes the beat `from` holds for it (the overlapped grid's shadow registers).
  void take(size_t i, const PreparedBeats& from) { p_[i] = from.p_[i]; }
  /// PEs i0 .. i0 + n - 1 take the beats `from` holds at j0 .. j0 + n - 1 (OS: a row moving down).
  void copy(size_t i0, const PreparedBeats& from, size_t j0, int n) { std::copy_n(&from.p_[j0], n, &p_[i0]); }
  /// PEs i0 .. i0 + n - 2 pass their beats one PE on (IS: a row moving right; then set(i0, ...)).
  void shift(size_t i0, int n) { std::copy_backward(&p_[i0], &p_[i0] + n - 1, &p_[i0] + n); }
  /// One row of n PEs from PE i0 on: acc[c] = up[c] + the product of a[c] with PE i0 + c's beat.
  void row(size_t i0, const uint64_t* a, const int64_t* up, int64_t* acc, int n) const {
    const typename Pe::Prepared* p = &p_[i0];
    for (int c = 0; c < n; ++c) acc[c] = up[c] + Pe::product(a[c], p[c]);
  }
  /// The same, accumulating in place (OS): acc[c] += the product.
  void row_add(size_t i0, const uint64_t* a, int64_t* acc, int n) const {
    const typename Pe::Prepared* p = &p_[i0];
    for (int c = 0; c < n; ++c) acc[c] += Pe::product(a[c], p[c]);
  }

 private:
  std::vector<typename Pe::Prepared> p_;
};

/// OS: row r of a grid's moving decoded weights (rows of `cols`) takes the row above's; row 0
/// takes what enters at the top. Rows move bottom-up, so each reads the row above before it moves.
template <class Beats>
void move_down(Beats& rows, const Beats& top, int r, int cols) {
  const size_t i0 = static_cast<size_t>(r) * static_cast<size_t>(cols);
  if (r)
    rows.copy(i0, rows, i0 - static_cast<size_t>(cols), cols);
  else
    rows.copy(0, top, 0, cols);
}

/// IS: row r's moving decoded weights shift one PE right, `in` entering at column 0.
template <class Beats>
void shift_in(Beats& rows, int r, int cols, const Beat& in) {
  const size_t i0 = static_cast<size_t>(r) * static_cast<size_t>(cols);
  rows.shift(i0, cols);
  rows.set(i0, in);
}

template <class Pe, class = void>
struct StationaryOf {
  using type = PreparedBeats<Pe>;
};
template <class Pe>
struct StationaryOf<Pe, std::void_t<typename Pe::Stationary>> {
  using type = typename Pe::Stationary;
};

/// A kind's PE without its own Stationary: the default layout (what tests compare a kind's with).
template <class Pe>
struct PerPeBeats {
  using Prepared = typename Pe::Prepared;
  static int64_t product(uint64_t a, const Beat& w) { return Pe::product(a, w); }
  static Prepared prepare(const Beat& b) { return Pe::prepare(b); }
  static int64_t product(uint64_t a, const Prepared& p) { return Pe::product(a, p); }
};

}  // namespace bitsys
