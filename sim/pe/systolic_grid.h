// The grid's cycle behaviour for every dataflow, instantiated once per PE kind so the product
// inlines. A kind's Pe gives product(a, beat), and for the weight-stationary stream, where a beat
// stays in its PE for a whole fold, Prepared / prepare(beat) / product(a, prepared): what the
// product needs of the beat, decoded once per fold instead of every cycle (the RTL decodes it
// in wires; software would pay for it on every PE update). Registers are updated in place in reverse order
// (bottom-right first): each PE reads its upstream neighbour before that neighbour is overwritten, which is what a
// double-buffered register file would give, at half the memory traffic.
#pragma once
#include <algorithm>
#include <vector>

#include "sim/pe/grid.h"

namespace bitsys {

template <class Pe>
class SystolicGrid final : public Grid {
 public:
  SystolicGrid(int rows, int cols)
      : Grid(rows, cols),
        cells_(static_cast<size_t>(rows) * cols),
        top_(cols),
        ptop_(cols),
        ring_a_(static_cast<size_t>(rows) * rows),
        ring_w_(static_cast<size_t>(std::max(rows, cols)) * std::max(rows, cols)),
        prepared_(static_cast<size_t>(rows) * cols) {}

  void start(const FoldJob& job) override {
    job_ = job;
    for (auto& c : cells_) c = Cell{};
    cycle_ = 0;
    phase_ = job.dataflow == Dataflow::OS ? Phase::Stream : Phase::Preload;
  }

  CellRefs cell(int r, int c) override {
    Cell& x = at(r, c);
    return {&x.a, &x.w, &x.acc};
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
  /// A PE's registers. OS: a, w move; acc stays. WS: w stays; a moves; acc is the partial sum
  /// moving down with ptag. IS: a stays; w moves; acc moves down with ptag.
  struct Cell {
    uint64_t a = 0;
    Beat w;
    int64_t acc = 0;
    uint8_t ptag = 0;
  };
  enum class Phase { Preload, Stream, Drain };

  Cell& at(int r, int c) { return cells_[static_cast<size_t>(r) * cols_ + c]; }

  // ---- output stationary -------------------------------------------------------------------
  bool stream_os() {
    const int64_t cyc = cycle_++;
    const int64_t m0 = job_.row0, n0 = job_.col0;
    if (cyc < job_.Kb) {  // beat cyc of every row and column, read once
      uint64_t* a = &ring_a_[static_cast<size_t>(cyc % rows_) * rows_];
      for (int r = 0; r < rows_; ++r) a[r] = m0 + r < job_.M ? job_.src->a(m0 + r, cyc) : 0;
      Beat* w = &ring_w_[static_cast<size_t>(cyc % cols_) * cols_];
      for (int c = 0; c < cols_; ++c) w[c] = n0 + c < job_.N ? job_.src->w(cyc, n0 + c) : Beat{};
    }
    for (int c = 0; c < cols_; ++c) {  // column c's weights enter skewed by c cycles
      const int64_t t = cyc - c;
      Beat b;
      if (t >= 0 && t < job_.Kb) b = ring_w_[static_cast<size_t>(t % cols_) * cols_ + c];
      b.tag = (c == cols_ - 1 && t == job_.Kb - 1) ? kLastTag : 0;
      top_[c] = b;
    }
    for (int r = rows_ - 1; r >= 0; --r) {
      const int64_t t = cyc - r;  // row r's activations enter skewed by r cycles
      const uint64_t a_inj = (t >= 0 && t < job_.Kb) ? ring_a_[static_cast<size_t>(t % rows_) * rows_ + r] : 0;
      Cell* row = &cells_[static_cast<size_t>(r) * cols_];
      const Cell* above = r ? row - cols_ : nullptr;
      for (int c = cols_ - 1; c >= 0; --c) {
        const uint64_t a_in = c ? row[c - 1].a : a_inj;
        const Beat& w_in = above ? above[c].w : top_[c];
        row[c].acc += Pe::product(a_in, w_in);
        row[c].a = a_in;
        row[c].w = w_in;
      }
    }
    if (at(rows_ - 1, cols_ - 1).w.tag & kLastTag) {
      phase_ = Phase::Drain;
      cycle_ = 0;
    }
    return false;
  }

  // Accumulators shift down one row a cycle and leave at the bottom: R cycles.
  bool drain_os() {
    const int64_t m = job_.row0 + (rows_ - 1 - cycle_++);
    for (int c = 0; c < cols_; ++c) {
      const int64_t n = job_.col0 + c;
      if (m < job_.M && n < job_.N) job_.src->result(m, n, at(rows_ - 1, c).acc);
      for (int r = rows_ - 1; r > 0; --r) at(r, c).acc = at(r - 1, c).acc;
      at(0, c).acc = 0;
    }
    return cycle_ == rows_;
  }

  // ---- weight / input stationary -----------------------------------------------------------
  // Stationary operands enter at the top and shift down one row a cycle: R cycles.
  bool preload() {
    const int64_t k = job_.row0 + (rows_ - 1 - cycle_++);
    const bool ws = job_.dataflow == Dataflow::WS;
    for (int c = 0; c < cols_; ++c) {
      for (int r = rows_ - 1; r > 0; --r) {
        if (ws)
          at(r, c).w = at(r - 1, c).w;
        else
          at(r, c).a = at(r - 1, c).a;
      }
      const int64_t col = job_.col0 + c;
      if (ws)
        at(0, c).w = (k < job_.Kb && col < job_.N) ? job_.src->w(k, col) : Beat{};
      else
        at(0, c).a = (k < job_.Kb && col < job_.M) ? job_.src->a(col, k) : 0;
    }
    if (cycle_ == rows_) {
      if (ws)
        for (int r = 0; r < rows_; ++r)
          for (int c = 0; c < cols_; ++c) prepared_[static_cast<size_t>(r) * cols_ + c] = Pe::prepare(at(r, c).w);
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
    for (int c = 0; c < cols_; ++c) ptop_[c] = (c == cols_ - 1 && s - c == T - 1) ? kLastTag : 0;
    if (s < T) {  // streamed element s for every row, read once
      for (int r = 0; r < rows_; ++r) {
        const int64_t k = job_.row0 + r;
        if constexpr (kWeightStationary)
          ring_a_[static_cast<size_t>(s % rows_) * rows_ + r] = k < job_.Kb ? job_.src->a(t0 + s, k) : 0;
        else
          ring_w_[static_cast<size_t>(s % rows_) * rows_ + r] = k < job_.Kb ? job_.src->w(k, t0 + s) : Beat{};
      }
    }
    for (int r = rows_ - 1; r >= 0; --r) {
      const int64_t t = s - r, k = job_.row0 + r;
      const bool live = t >= 0 && t < T && k < job_.Kb;
      Cell* row = &cells_[static_cast<size_t>(r) * cols_];
      const Cell* above = r ? row - cols_ : nullptr;
      if constexpr (kWeightStationary) {
        const typename Pe::Prepared* prep = &prepared_[static_cast<size_t>(r) * cols_];
        const uint64_t inj = live ? ring_a_[static_cast<size_t>(t % rows_) * rows_ + r] : 0;
        for (int c = cols_ - 1; c >= 0; --c) {
          const uint64_t a_in = c ? row[c - 1].a : inj;
          row[c].acc = (above ? above[c].acc : 0) + Pe::product(a_in, prep[c]);
          row[c].ptag = above ? above[c].ptag : ptop_[c];
          row[c].a = a_in;
        }
      } else {
        const Beat inj = live ? ring_w_[static_cast<size_t>(t % rows_) * rows_ + r] : Beat{};
        for (int c = cols_ - 1; c >= 0; --c) {
          const Beat& w_in = c ? row[c - 1].w : inj;
          row[c].acc = (above ? above[c].acc : 0) + Pe::product(row[c].a, w_in);
          row[c].ptag = above ? above[c].ptag : ptop_[c];
          row[c].w = w_in;
        }
      }
    }
    // Partial sums leaving the bottom row: column c carries stream element s - (R-1) - c.
    for (int c = 0; c < cols_; ++c) {
      const int64_t t = s - (rows_ - 1) - c, col = job_.col0 + c;
      if (t < 0 || t >= T || col >= span) continue;
      if constexpr (kWeightStationary)
        job_.src->result(t0 + t, col, at(rows_ - 1, c).acc);
      else
        job_.src->result(col, t0 + t, at(rows_ - 1, c).acc);
    }
    return (at(rows_ - 1, cols_ - 1).ptag & kLastTag) != 0;
  }

  std::vector<Cell> cells_;
  std::vector<Beat> top_;
  std::vector<uint8_t> ptop_;
  std::vector<uint64_t> ring_a_;                 ///< streamed activations of the last R time steps, unskewed
  std::vector<Beat> ring_w_;                     ///< streamed weights of the last R (OS: C) time steps
  std::vector<typename Pe::Prepared> prepared_;  ///< WS: each PE's stationary beat, decoded
  FoldJob job_;
  int64_t cycle_ = 0;
  Phase phase_ = Phase::Stream;
};

}  // namespace bitsys
