// The grid under the overlapped schedule (README "The timing model"): folds of one layer follow
// each other through the array without waiting for the previous one to leave it.
//  - WS / IS: each PE holds an active stationary register, a shadow, and a link of a column
//    chain. A new fold's stationary operands shift down the chain (column c skewed by c cycles,
//    R shifts) and are copied into the shadows at its end; a PE switches to its shadow when the
//    new fold's first streamed element reaches it, so the old fold's last elements still meet
//    their own operands. The new fold streams R cycles after its preload began, while the old
//    one's partial sums are still on their way down.
//  - OS: a PE adds its fold's last product into an output register instead of its accumulator,
//    which restarts with the next fold's first product. Once a column's output registers have
//    all been written they shift down and out (R cycles); they take the next fold's results only
//    after the previous ones have left, so a fold's last beat enters at least 2R cycles after the
//    previous fold's (a held beat: bubbles before it).
// What entered the array in each cycle is kept in a log as deep as the array's skew, so every
// row, column and output knows which fold and element it carries without per-PE tags.
#pragma once
#include <algorithm>
#include <array>
#include <deque>
#include <vector>

#include "sim/pe/grid.h"
#include "sim/pe/stationary.h"

namespace bitsys {

template <class Pe>
class PipelinedGrid final : public Grid {
 public:
  PipelinedGrid(int rows, int cols)
      : Grid(rows, cols),
        n_(static_cast<size_t>(rows) * cols),
        depth_(ring_slots(static_cast<size_t>(rows + cols))),
        a_(n_),
        w_(n_),
        acc_(n_),
        out_(n_),
        chain_w_(n_),
        chain_a_(n_),
        shadow_a_(n_),
        prepared_(n_),
        shadow_prep_(n_),
        zeros_(cols),
        top_(cols),
        log_(depth_),
        pre_depth_(ring_slots(static_cast<size_t>(cols))),
        pre_log_(pre_depth_),
        pre_w_(pre_depth_ * cols),
        pre_a_(pre_depth_ * cols),
        ring_depth_(ring_slots(static_cast<size_t>(std::max(rows, cols)))),
        ring_a_(ring_depth_ * rows),
        ring_w_(ring_depth_ * std::max(rows, cols)),
        wp_(n_),
        top_p_(cols) {}

  void start(const FoldJob& job) override {
    if (folds_.empty()) reset();
    Fold f;
    f.job = job;
    f.slot = next_slot_++ % kSlots;
    f.T = job.dataflow == Dataflow::OS   ? job.Kb
          : job.tlen >= 0                ? job.tlen
          : job.dataflow == Dataflow::WS ? job.M
                                         : job.N;
    f.begin = x_;  // the first step after start() is cycle x_
    f.stream_at = job.dataflow == Dataflow::OS ? x_ : x_ + rows_;
    // Rows and columns of the array the fold's data reaches (the rest compute on zeros, unread).
    const int64_t down = job.dataflow == Dataflow::OS ? job.M : job.Kb;
    const int64_t across = job.dataflow == Dataflow::IS ? job.M : job.N;
    f.live_rows = static_cast<int16_t>(std::clamp<int64_t>(down - job.row0, 0, rows_));
    f.live_cols = static_cast<int16_t>(std::clamp<int64_t>(across - job.col0, 0, cols_));
    slots_[f.slot] = job;
    folds_.push_back(f);
    fed_ = 0;
  }

  CellRefs cell(int r, int c) override {
    const size_t i = at(r, c);
    return {&a_[i], &w_[i], &acc_[i]};
  }

  int64_t fed() const override { return fed_; }

  bool step() override {
    const int64_t x = x_;
    const bool os = !folds_.empty() && folds_.back().job.dataflow == Dataflow::OS;
    inject(x);
    bool completed;
    if (os) {
      completed = step_os(x);
    } else {
      preload(x);
      completed = folds_.empty() || folds_.front().job.dataflow == Dataflow::WS ? step_stationary<true>(x)
                                                                                : step_stationary<false>(x);
    }
    ++x_;
    return completed;
  }

 private:
  static constexpr int kSlots = 8;  ///< fold contexts in flight at most (the controller keeps it to 3)
  struct Fold {
    FoldJob job;
    int slot = 0;
    int64_t T = 0;
    int64_t injected = 0;
    int64_t begin = 0;      ///< cycle its preload began (WS/IS) or its stream may begin (OS)
    int64_t stream_at = 0;  ///< first cycle an element may enter
    int64_t first_at = -1;  ///< cycle its element 0 entered
    int64_t last_at = -1;   ///< cycle its last element entered
    int16_t live_rows = 0, live_cols = 0;
  };
  /// A preload read in one cycle: row j (counted from the bottom) of a fold's stationary operands.
  struct PreloadRead {
    bool valid = false, ws = true;
    int64_t j = 0;
  };
  /// What entered row 0 / column 0 in one cycle: element `t` of the fold in `slot`, or nothing
  /// (no live rows or columns). The fold's live rows and columns ride along so the per-row and
  /// per-column checks of every cycle need not look the fold up.
  struct Entry {
    int16_t slot = -1;
    int16_t live_rows = 0, live_cols = 0;
    bool last = false;
    int64_t t = -1;
  };

  size_t at(int r, int c) const { return static_cast<size_t>(r) * cols_ + c; }
  /// A cycle's place in the log and operand rings, and in the preload log (power-of-two sizes:
  /// a mask, not a division, on every row of every cycle).
  size_t slot(int64_t cycle) const { return static_cast<size_t>(cycle) & (depth_ - 1); }
  size_t pre_slot(int64_t cycle) const { return static_cast<size_t>(cycle) & (pre_depth_ - 1); }
  /// The operand rings only need the skew's depth (R or C cycles): kept small, they stay in cache.
  size_t ring_slot(int64_t cycle) const { return static_cast<size_t>(cycle) & (ring_depth_ - 1); }
  /// What entered `cycle` cycles ago. No bounds check: reset() clears the log, and a look-back
  /// is at most R + C - 2 cycles while the ring holds at least R + C, so a cycle before the reset
  /// (or before 0) falls on a slot written by no cycle since: an empty entry.
  const Entry& logged(int64_t cycle) const { return log_[slot(cycle)]; }

  /// Whether one fold's elements entered on each of the n cycles up to `cycle`: a fold's elements
  /// enter on consecutive cycles (WS/IS without a gap; OS but for its held last beat), so the two
  /// ends of the window tell.
  bool fed_since(int64_t cycle, int n) const {
    const Entry &newest = logged(cycle), &oldest = logged(cycle - (n - 1));
    return newest.slot >= 0 && newest.slot == oldest.slot && newest.t - oldest.t == n - 1;
  }

  void reset() {
    std::fill(a_.begin(), a_.end(), 0);
    std::fill(w_.begin(), w_.end(), Beat{});
    for (size_t i = 0; i < n_; ++i) wp_.set(i, Beat{});
    std::fill(acc_.begin(), acc_.end(), 0);
    std::fill(out_.begin(), out_.end(), 0);
    std::fill(shadow_a_.begin(), shadow_a_.end(), 0);
    std::fill(log_.begin(), log_.end(), Entry{});
    std::fill(pre_log_.begin(), pre_log_.end(), PreloadRead{});
    prev_last_ = -1;
  }

  /// The newest fold's next element enters row 0 (and column 0), or a bubble.
  void inject(int64_t x) {
    Entry e;
    if (!folds_.empty()) {
      Fold& f = folds_.back();
      const bool os = f.job.dataflow == Dataflow::OS;
      // OS: the last beat waits until the previous fold's results have left the output registers.
      const bool held = os && f.injected == f.T - 1 && prev_last_ >= 0 && x < prev_last_ + 2 * rows_;
      if (x >= f.stream_at && f.injected < f.T && !held) {
        e = {static_cast<int16_t>(f.slot), f.live_rows, f.live_cols, f.injected == f.T - 1, f.injected};
        read_operands(f, x, f.injected);
        if (f.injected == 0) f.first_at = x;
        fed_ = f.injected + 1;  // kept when the fold leaves the array in this very cycle (1 x 1)
        if (e.last) {
          f.last_at = x;
          if (os) prev_last_ = x;
        }
        ++f.injected;
      }
    }
    log_[slot(x)] = e;
  }

  void read_operands(const Fold& f, int64_t x, int64_t t) {
    const FoldJob& j = f.job;
    uint64_t* ra = &ring_a_[ring_slot(x) * rows_];
    Beat* rw = &ring_w_[ring_slot(x) * std::max(rows_, cols_)];
    switch (j.dataflow) {
      case Dataflow::OS:
        for (int r = 0; r < rows_; ++r) ra[r] = j.row0 + r < j.M ? j.src->a(j.row0 + r, t) : 0;
        for (int c = 0; c < cols_; ++c) rw[c] = j.col0 + c < j.N ? j.src->w(t, j.col0 + c) : Beat{};
        break;
      case Dataflow::WS:
        for (int r = 0; r < rows_; ++r) ra[r] = j.row0 + r < j.Kb ? j.src->a(j.t0 + t, j.row0 + r) : 0;
        break;
      case Dataflow::IS:
        for (int r = 0; r < rows_; ++r) rw[r] = j.row0 + r < j.Kb ? j.src->w(j.row0 + r, j.t0 + t) : Beat{};
        break;
    }
  }

  /// Removes the oldest fold when its last output has left; true when it did this cycle. Folds
  /// leave in the order they entered: one layer's folds share a dataflow and so a tail.
  bool retire(int64_t x, int64_t tail) {
    if (folds_.empty()) return false;  // an empty array steps too (registers hold their bubbles)
    const Fold& f = folds_.front();
    if (f.last_at < 0 || x != f.last_at + tail) return false;
    folds_.pop_front();
    return true;
  }

  // ---- output stationary -------------------------------------------------------------------
  bool step_os(int64_t x) {
    n_switching_ = 0;  // folds whose last beat is still crossing the array
    for (const Fold& f : folds_)
      if (f.last_at >= 0 && x - f.last_at < rows_ + cols_ - 1 && n_switching_ < kSlots)
        switching_[n_switching_++] = f.last_at;
    // Columns and rows take what entered c or r cycles ago: most cycles an element every time.
    const bool columns_fed = fed_since(x, cols_), rows_fed = fed_since(x, rows_);
    for (int c = 0; c < cols_; ++c) {  // column c's weights enter skewed by c cycles
      const bool fed = columns_fed || logged(x - c).slot >= 0;
      top_[c] = fed ? ring_w_[ring_slot(x - c) * std::max(rows_, cols_) + c] : Beat{};
      top_p_.set(static_cast<size_t>(c), top_[c]);
    }
    for (int r = rows_ - 1; r >= 0; --r) {
      uint64_t* a = &a_[at(r, 0)];
      Beat* w = &w_[at(r, 0)];
      int64_t* acc = &acc_[at(r, 0)];
      std::copy_backward(a, a + cols_ - 1, a + cols_);
      a[0] = rows_fed || logged(x - r).slot >= 0 ? ring_a_[ring_slot(x - r) * rows_ + r] : 0;
      const Beat* w_in = r ? w - cols_ : top_.data();
      std::copy(w_in, w_in + cols_, w);
      move_down(wp_, top_p_, r, cols_);
      wp_.row_add(at(r, 0), a, acc, cols_);
      // The PE the last beat of a fold reaches this cycle: its sum goes to the output register.
      for (int k = 0; k < n_switching_; ++k) {
        const int64_t c = x - r - switching_[k];
        if (c >= 0 && c < cols_) {
          out_[at(r, static_cast<int>(c))] = acc[c];
          acc[c] = 0;
        }
      }
    }
    // Output registers: column c of a fold shifts out during cycles last + R + c .. last + 2R - 1 + c,
    // bottom row first. Nothing is written into a column's registers while they shift (the last
    // beat is held for it), so step k leaves with what row R - 1 - k captured: read in place.
    for (const Fold& f : folds_) {
      const int64_t since = x - f.last_at - rows_;
      if (f.last_at < 0 || since < 0 || since >= rows_ + cols_ - 1) continue;
      for (int c = std::max<int>(0, static_cast<int>(since - rows_ + 1)); c < cols_ && c <= since; ++c) {
        const int64_t k = since - c, row = rows_ - 1 - k;
        const int64_t m = f.job.row0 + row, n = f.job.col0 + c;
        if (m < f.job.M && n < f.job.N) f.job.src->result(m, n, out_[at(static_cast<int>(row), c)]);
      }
    }
    return retire(x, 2 * rows_ + cols_ - 2);
  }

  // ---- weight / input stationary -----------------------------------------------------------
  /// Stationary operands: a fold's preload reads one row of them for every column per cycle
  /// (R cycles, bottom row first); column c's chain takes each c cycles later (skew registers),
  /// shifts it down, and after R shifts copies the chain into its shadows.
  void preload(int64_t x) {
    PreloadRead& rd = pre_log_[pre_slot(x)];
    rd = PreloadRead{};
    // No read in the last C cycles (no column is shifting) and none now: only the newest fold can
    // be preloading, as a fold starts once the one before it has all its elements in.
    if (x - last_read_ >= cols_ && (folds_.empty() || x - folds_.back().begin >= rows_)) return;
    for (const Fold& f : folds_) {
      const int64_t j = x - f.begin;
      if (j < 0 || j >= rows_) continue;
      const int64_t k = f.job.row0 + (rows_ - 1 - j);
      const bool ws = f.job.dataflow == Dataflow::WS;
      for (int c = 0; c < cols_; ++c) {
        const int64_t col = f.job.col0 + c;
        if (ws)
          pre_w_[at_pre(x, c)] = (k < f.job.Kb && col < f.job.N) ? f.job.src->w(k, col) : Beat{};
        else
          pre_a_[at_pre(x, c)] = (k < f.job.Kb && col < f.job.M) ? f.job.src->a(col, k) : 0;
      }
      rd = {true, ws, j};
      last_read_ = x;
    }
    for (int c = 0; c < cols_; ++c) {
      const int64_t read_at = x - c;
      if (read_at < 0) continue;
      const PreloadRead& e = pre_log_[pre_slot(read_at)];
      if (!e.valid) continue;  // (cleared at reset, like the log)
      // Shift e.j of the column. The links are kept by the shift that wrote them (after n shifts,
      // link r holds shift n - 1 - r), so a shift writes one value instead of moving R.
      if (e.ws)
        chain_w_[at_chain(e.j, c)] = pre_w_[at_pre(read_at, c)];
      else
        chain_a_[at_chain(e.j, c)] = pre_a_[at_pre(read_at, c)];
      if (e.j == rows_ - 1)  // the chain is full, row r holding shift R - 1 - r: into the shadows
        for (int r = 0; r < rows_; ++r) {
          if (e.ws)
            shadow_prep_.set(at(r, c), chain_w_[at_chain(rows_ - 1 - r, c)]);
          else
            shadow_a_[at(r, c)] = chain_a_[at_chain(rows_ - 1 - r, c)];
        }
    }
  }
  /// A column's chain, by the shift that wrote each link (column-major: a column's links together).
  size_t at_chain(int64_t shift, int c) const { return static_cast<size_t>(c) * rows_ + static_cast<size_t>(shift); }
  size_t at_pre(int64_t cycle, int c) const {
    return pre_slot(cycle) * static_cast<size_t>(cols_) + static_cast<size_t>(c);
  }

  template <bool kWeightStationary>
  bool step_stationary(int64_t x) {
    // Folds whose first element is still crossing the array (the diagonal of PEs switching).
    n_switching_ = 0;
    for (const Fold& f : folds_)
      if (f.first_at >= 0 && x - f.first_at < rows_ + cols_ - 1 && n_switching_ < kSlots)
        switching_[n_switching_++] = f.first_at;
    // Every row's horizontal registers move first, then the products: read right after the
    // shift wrote them, a row's loads would wait for its stores.
    // Most cycles every row takes an element of one fold: its live rows, not each row's entry.
    const Entry& top = logged(x);
    const bool one_fold = fed_since(x, rows_);
    for (int r = rows_ - 1; r >= 0; --r) {
      const bool live = r < (one_fold ? top.live_rows : logged(x - r).live_rows);
      if constexpr (kWeightStationary) {
        uint64_t* a = &a_[at(r, 0)];
        std::copy_backward(a, a + cols_ - 1, a + cols_);
        a[0] = live ? ring_a_[ring_slot(x - r) * rows_ + r] : 0;
      } else {
        Beat* w = &w_[at(r, 0)];
        std::copy_backward(w, w + cols_ - 1, w + cols_);
        w[0] = live ? ring_w_[ring_slot(x - r) * std::max(rows_, cols_) + r] : Beat{};
        shift_in(wp_, r, cols_, w[0]);
      }
    }
    // PEs that a fold's first element reaches this cycle take their shadow (a diagonal; most
    // cycles none), before any row's products.
    for (int k = 0; k < n_switching_; ++k)
      for (int r = 0; r < rows_; ++r) {
        const int64_t c = x - r - switching_[k];
        if (c < 0 || c >= cols_) continue;
        if constexpr (kWeightStationary)
          prepared_.take(at(r, static_cast<int>(c)), shadow_prep_);
        else
          a_[at(r, static_cast<int>(c))] = shadow_a_[at(r, static_cast<int>(c))];
      }
    for (int r = rows_ - 1; r >= 0; --r) {
      int64_t* acc = &acc_[at(r, 0)];
      const int64_t* up = r ? acc - cols_ : zeros_.data();
      const uint64_t* a = &a_[at(r, 0)];
      if constexpr (kWeightStationary) {
        prepared_.row(at(r, 0), a, up, acc, cols_);
      } else {
        wp_.row(at(r, 0), a, up, acc, cols_);
      }
    }
    // Partial sums leaving the bottom row: column c carries what entered R - 1 + c cycles ago.
    const int64_t* bottom = &acc_[at(rows_ - 1, 0)];
    // Column c's partial sum of streamed element t (counted in the layer) leaves for `src`.
    auto leave = [&](OperandSource* src, int64_t t, int64_t col, int c) {
      if constexpr (kWeightStationary)
        src->result(t, col, bottom[c]);
      else
        src->result(col, t, bottom[c]);
    };
    const Entry& newest = logged(x - (rows_ - 1));
    if (fed_since(x - (rows_ - 1), cols_)) {
      // Most cycles: every column carries an element of one fold (its elements enter on
      // consecutive cycles), so the log need not be read per column.
      const FoldJob& j = slots_[newest.slot];
      OperandSource* src = j.src;
      const int64_t t = j.t0 + newest.t, col0 = j.col0;
      for (int c = 0; c < newest.live_cols; ++c) leave(src, t - c, col0 + c, c);
    } else {
      for (int c = 0; c < cols_; ++c) {
        const Entry& e = logged(x - (rows_ - 1) - c);
        if (c >= e.live_cols) continue;
        const FoldJob& j = slots_[e.slot];
        leave(j.src, j.t0 + e.t, j.col0 + c, c);
      }
    }
    return retire(x, rows_ + cols_ - 2);
  }

  size_t n_, depth_;
  std::vector<uint64_t> a_;    ///< OS, WS: activations moving right; IS: active stationary activations
  std::vector<Beat> w_;        ///< OS: weights moving down; IS: weights moving right
  std::vector<int64_t> acc_;   ///< OS: accumulators; WS, IS: partial sums moving down
  std::vector<int64_t> out_;   ///< OS: output registers, shifting down a column to leave
  std::vector<Beat> chain_w_;  ///< WS: the preload chains (at_chain)
  std::vector<uint64_t> chain_a_;
  std::vector<uint64_t> shadow_a_;
  typename StationaryOf<Pe>::type prepared_;     ///< WS: active stationary beats, decoded
  typename StationaryOf<Pe>::type shadow_prep_;  ///< WS: the next fold's, decoded as they land
  std::vector<int64_t> zeros_;
  std::vector<Beat> top_;
  std::vector<Entry> log_;  ///< what entered in each of the last depth_ cycles
  size_t pre_depth_;
  std::vector<PreloadRead> pre_log_;  ///< the preload reads of the last C cycles (at least)
  std::vector<Beat> pre_w_;           ///< ... their values per column (the skew registers)
  std::vector<uint64_t> pre_a_;
  size_t ring_depth_;
  std::vector<uint64_t> ring_a_;  ///< the operands that entered in the last ring_depth_ cycles
  std::vector<Beat> ring_w_;
  std::array<FoldJob, kSlots> slots_{};
  std::deque<Fold> folds_;  ///< in flight, oldest first; the newest is the one being fed
  int next_slot_ = 0;
  int64_t x_ = 0;                            ///< cycles stepped
  int64_t fed_ = 0;                          ///< elements of the newest fold that have entered
  int64_t last_read_ = -(int64_t{1} << 40);  ///< the cycle of the latest preload read
  std::array<int64_t, kSlots> switching_{};  ///< this cycle: folds whose first (WS/IS) or last (OS) beat crosses
  int n_switching_ = 0;
  int64_t prev_last_ = -1;  ///< OS: the cycle the previous fold's last beat entered
  // Allocated last: among the arrays above, they moved the WS stream's arrays to addresses that
  // cost its bench about 10 % (bitsys bench --kind int8 --dataflow ws --schedule overlapped).
  typename StationaryOf<Pe>::type wp_;     ///< OS, IS: the moving weights, decoded as they enter the array
  typename StationaryOf<Pe>::type top_p_;  ///< OS: what enters the top row this cycle, decoded
};

}  // namespace bitsys
