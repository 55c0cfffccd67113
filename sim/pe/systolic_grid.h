// The grid's cycle behaviour for every dataflow, instantiated once per PE kind so the product
// inlines. A kind's Pe gives product(a, beat), and for the weight-stationary stream, where a beat
// stays in its PE for a whole fold, Prepared / prepare(beat) / product(a, prepared): what the
// product needs of the beat, decoded once per fold instead of every cycle (the RTL decodes it
// in wires; software would pay for it on every PE update). Registers are updated in place, bottom
// row first, each row's horizontal registers shifted before its products: every PE reads its
// upstream neighbour's value of the previous cycle, as clocked registers would. A beat that moves
// (OS: down, IS: right) moves with its decoded form beside it, decoded once as it enters the array.
#pragma once
#include <algorithm>
#include <vector>

#include "sim/pe/grid.h"
#include "sim/pe/stationary.h"

namespace bitsys {

template <class Pe>
class SystolicGrid final : public Grid {
 public:
  SystolicGrid(int rows, int cols)
      : Grid(rows, cols),
        n_(static_cast<size_t>(rows) * cols),
        a_(n_),
        w_(n_),
        wp_(n_),
        acc_(n_),
        zeros_(cols),
        top_(cols),
        top_p_(cols),
        slots_(ring_slots(static_cast<size_t>(std::max(rows, cols)))),
        ring_a_(slots_ * rows),
        ring_w_(slots_ * std::max(rows, cols)),
        prepared_(n_) {}

  void start(const FoldJob& job) override {
    job_ = job;
    std::fill(a_.begin(), a_.end(), 0);
    std::fill(w_.begin(), w_.end(), Beat{});
    for (size_t i = 0; i < n_; ++i) wp_.set(i, Beat{});
    std::fill(acc_.begin(), acc_.end(), 0);
    cycle_ = 0;
    phase_ = job.dataflow == Dataflow::OS ? Phase::Stream : Phase::Preload;
  }

  CellRefs cell(int r, int c) override {
    const size_t i = at(r, c);
    return {&a_[i], &w_[i], &acc_[i]};
  }

  int64_t fed() const override {
    if (phase_ == Phase::Preload) return 0;
    if (phase_ == Phase::Drain) return job_.Kb;
    const int64_t T = job_.dataflow == Dataflow::OS   ? job_.Kb
                      : job_.tlen >= 0                ? job_.tlen
                      : job_.dataflow == Dataflow::WS ? job_.M
                                                      : job_.N;
    return std::min(cycle_, T);
  }

  bool step() override {
    switch (phase_) {
      case Phase::Preload:
        return preload();
      case Phase::Stream:
        return job_.dataflow == Dataflow::OS ? stream_os() : stream_stationary();
      case Phase::Drain:
        return drain_os();
    }
    return true;
  }

 private:
  // A PE's registers, one array per register (row-major): OS: a, w move; acc stays. WS: w stays;
  // a moves; acc is the partial sum moving down. IS: a stays; w moves; acc moves down. Whole rows
  // move at once, so each update is a plain loop over a row's columns.
  enum class Phase { Preload, Stream, Drain };

  size_t at(int r, int c) const { return static_cast<size_t>(r) * cols_ + c; }
  /// Where time step t's operands sit in a ring of `width` per step.
  size_t ring(int64_t t, int width) const { return (static_cast<size_t>(t) & (slots_ - 1)) * width; }

  /// Row r's horizontal register shifted one PE to the right, `in` entering at column 0.
  template <class T>
  void shift_right(T* row, const T& in) {
    std::copy_backward(row, row + cols_ - 1, row + cols_);
    row[0] = in;
  }

  /// IS: row r's weights shift right, `in` entering at column 0, decoded beside it.
  void shift_in(int r, const Beat& in) {
    shift_right(&w_[at(r, 0)], in);
    bitsys::shift_in(wp_, r, cols_, in);
  }

  // ---- output stationary -------------------------------------------------------------------
  bool stream_os() {
    const int64_t cyc = cycle_++;
    const int64_t m0 = job_.row0, n0 = job_.col0;
    if (cyc < job_.Kb) {  // beat cyc of every row and column, read once
      uint64_t* a = &ring_a_[ring(cyc, rows_)];
      for (int r = 0; r < rows_; ++r) a[r] = m0 + r < job_.M ? job_.src->a(m0 + r, cyc) : 0;
      Beat* w = &ring_w_[ring(cyc, cols_)];
      for (int c = 0; c < cols_; ++c) w[c] = n0 + c < job_.N ? job_.src->w(cyc, n0 + c) : Beat{};
    }
    for (int c = 0; c < cols_; ++c) {  // column c's weights enter skewed by c cycles
      const int64_t t = cyc - c;
      Beat b;
      if (t >= 0 && t < job_.Kb) b = ring_w_[ring(t, cols_) + c];
      b.tag = (c == cols_ - 1 && t == job_.Kb - 1) ? kLastTag : 0;
      top_[c] = b;
      top_p_.set(static_cast<size_t>(c), b);
    }
    for (int r = rows_ - 1; r >= 0; --r) {  // bottom-up: each row reads the row above before it moves
      const int64_t t = cyc - r;            // row r's activations enter skewed by r cycles
      uint64_t* a = &a_[at(r, 0)];
      Beat* w = &w_[at(r, 0)];
      int64_t* acc = &acc_[at(r, 0)];
      shift_right(a, (t >= 0 && t < job_.Kb) ? ring_a_[ring(t, rows_) + r] : uint64_t{0});
      const Beat* w_in = r ? w - cols_ : top_.data();
      std::copy(w_in, w_in + cols_, w);
      move_down(wp_, top_p_, r, cols_);
      wp_.row_add(at(r, 0), a, acc, cols_);
    }
    if (w_[at(rows_ - 1, cols_ - 1)].tag & kLastTag) {
      phase_ = Phase::Drain;
      cycle_ = 0;
    }
    return false;
  }

  // Accumulators shift down one row a cycle and leave at the bottom: R cycles.
  bool drain_os() {
    const int64_t m = job_.row0 + (rows_ - 1 - cycle_++);
    const int64_t* bottom = &acc_[at(rows_ - 1, 0)];
    for (int c = 0; c < cols_; ++c) {
      const int64_t n = job_.col0 + c;
      if (m < job_.M && n < job_.N) job_.src->result(m, n, bottom[c]);
    }
    std::copy_backward(acc_.begin(), acc_.end() - cols_, acc_.end());
    std::fill(acc_.begin(), acc_.begin() + cols_, 0);
    return cycle_ == rows_;
  }

  // ---- weight / input stationary -----------------------------------------------------------
  // Stationary operands enter at the top and shift down one row a cycle: R cycles.
  bool preload() {
    const int64_t k = job_.row0 + (rows_ - 1 - cycle_++);
    if (job_.dataflow == Dataflow::WS) {
      std::copy_backward(w_.begin(), w_.end() - cols_, w_.end());
      for (int c = 0; c < cols_; ++c) {
        const int64_t col = job_.col0 + c;
        w_[c] = (k < job_.Kb && col < job_.N) ? job_.src->w(k, col) : Beat{};
      }
    } else {
      std::copy_backward(a_.begin(), a_.end() - cols_, a_.end());
      for (int c = 0; c < cols_; ++c) {
        const int64_t col = job_.col0 + c;
        a_[c] = (k < job_.Kb && col < job_.M) ? job_.src->a(col, k) : 0;
      }
    }
    if (cycle_ == rows_) {
      if (job_.dataflow == Dataflow::WS)
        for (size_t i = 0; i < n_; ++i) prepared_.set(i, w_[i]);
      phase_ = Phase::Stream;
      cycle_ = 0;
    }
    return false;
  }

  bool stream_stationary() {
    return job_.dataflow == Dataflow::WS ? stream_stationary_impl<true>() : stream_stationary_impl<false>();
  }

  template <bool kWeightStationary>
  bool stream_stationary_impl() {
    const int64_t s = cycle_++;
    const int64_t full = kWeightStationary ? job_.M : job_.N;
    const int64_t T = job_.tlen >= 0 ? job_.tlen : full;  // streamed length of this fold
    const int64_t t0 = job_.t0;
    const int64_t span = kWeightStationary ? job_.N : job_.M;  // extent of the column dimension
    // Streamed element s for every row, read once; row r takes it r cycles later (skew registers).
    if (s < T) {
      for (int r = 0; r < rows_; ++r) {
        const int64_t k = job_.row0 + r;
        if constexpr (kWeightStationary)
          ring_a_[ring(s, rows_) + r] = k < job_.Kb ? job_.src->a(t0 + s, k) : 0;
        else
          ring_w_[ring(s, rows_) + r] = k < job_.Kb ? job_.src->w(k, t0 + s) : Beat{};
      }
    }
    // Every row's horizontal registers move first, then the products: read right after the
    // shift wrote them, a row's loads would wait for its stores.
    for (int r = rows_ - 1; r >= 0; --r) {
      const int64_t t = s - r, k = job_.row0 + r;
      const bool live = t >= 0 && t < T && k < job_.Kb;
      if constexpr (kWeightStationary)
        shift_right(&a_[at(r, 0)], live ? ring_a_[ring(t, rows_) + r] : uint64_t{0});
      else
        shift_in(r, live ? ring_w_[ring(t, rows_) + r] : Beat{});
    }
    for (int r = rows_ - 1; r >= 0; --r) {  // bottom-up: partial sums move down before the row above updates
      int64_t* acc = &acc_[at(r, 0)];
      const int64_t* up = r ? acc - cols_ : zeros_.data();
      const uint64_t* a = &a_[at(r, 0)];
      if constexpr (kWeightStationary) {
        prepared_.row(at(r, 0), a, up, acc, cols_);
      } else {
        wp_.row(at(r, 0), a, up, acc, cols_);
      }
    }
    // Partial sums leaving the bottom row: column c carries stream element s - (R-1) - c.
    const int64_t* bottom = &acc_[at(rows_ - 1, 0)];
    for (int c = 0; c < cols_; ++c) {
      const int64_t t = s - (rows_ - 1) - c, col = job_.col0 + c;
      if (t < 0 || t >= T || col >= span) continue;
      if constexpr (kWeightStationary)
        job_.src->result(t0 + t, col, bottom[c]);
      else
        job_.src->result(col, t0 + t, bottom[c]);
    }
    // The last element's partial sum leaves the bottom-right PE R - 1 + C - 1 cycles after it entered.
    return s == T - 1 + (rows_ - 1) + (cols_ - 1);
  }

  size_t n_;
  std::vector<uint64_t> a_;             ///< activation registers
  std::vector<Beat> w_;                 ///< weight registers
  typename StationaryOf<Pe>::type wp_;  ///< OS, IS: the moving weights, decoded
  std::vector<int64_t> acc_;            ///< accumulators (OS) or partial sums moving down (WS, IS)
  std::vector<int64_t> zeros_;          ///< what enters the top row's partial sums
  std::vector<Beat> top_;
  typename StationaryOf<Pe>::type top_p_;
  size_t slots_;                              ///< time steps the rings hold: R and C at least
  std::vector<uint64_t> ring_a_;              ///< streamed activations of the last time steps, unskewed
  std::vector<Beat> ring_w_;                  ///< streamed weights of the last time steps
  typename StationaryOf<Pe>::type prepared_;  ///< WS: each PE's stationary beat, decoded
  FoldJob job_;
  int64_t cycle_ = 0;
  Phase phase_ = Phase::Stream;
};

}  // namespace bitsys
