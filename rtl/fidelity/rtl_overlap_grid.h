// The verilated array under the overlapped schedule: a Grid whose folds follow each other through
// the RTL's shadow registers (WS/IS) and output registers (OS) without waiting for the previous
// fold to leave (rtl/README.md, "Overlapped folds"). It is the controller the RTL array needs and
// nothing more: what to present each cycle (the next fold's preload rows while the current one
// streams; the next element as soon as the array allows). When a result is valid and when an OS
// fold's last beat may enter come from the RTL (result_valid, result_cols, ready), so the SystemC
// grid's schedule (sim/pe/pipelined_grid.h) is checked against the registers, not restated.
#pragma once
#include <deque>
#include <stdexcept>
#include <vector>

#include "rtl/fidelity/rtl_grid.h"

namespace bitsys {

template <class V>
class RtlOverlapGrid final : public Grid {
 public:
  /// V: the array built with BITSYS_OVERLAP.
  RtlOverlapGrid(int rows, int cols) : Grid(rows, cols), io_(rows, cols) { io_->overlap = 1; }

  void start(const FoldJob& job) override {
    if (!folds_.empty() && folds_.front().job.dataflow != job.dataflow)
      throw std::logic_error("RTL array: a fold of another dataflow started before the array emptied");
    Fold f;
    f.job = job;
    f.os = job.dataflow == Dataflow::OS;
    f.ws = job.dataflow == Dataflow::WS;
    f.T = f.os ? job.Kb : job.tlen >= 0 ? job.tlen : f.ws ? job.M : job.N;
    f.begin = x_;  // the first step after start() is cycle x_
    f.stream_at = f.os ? x_ : x_ + rows_;
    f.reads.assign(static_cast<size_t>(cols_), 0);
    folds_.push_back(f);
    fed_ = 0;
    io_->df = f.os ? 0 : f.ws ? 1 : 2;
    io_->eval();  // outputs read before the next edge (ready, result_cols) follow df
  }

  int64_t fed() const override { return fed_; }

  bool step() override {
    const int64_t x = x_++;
    const bool os = folds_.front().os;
    io_.clear_inputs();
    io_->load = io_->load_last = io_->last_in = io_->first_in = io_->valid_in = 0;
    if (!os)
      for (const Fold& f : folds_) preload(f, x - f.begin);
    feed(folds_.back(), x);
    if (os) take_os_results();  // read before the edge: the output registers as they shift
    io_.tick();
    if (!os && io_->result_valid) take_stationary_result();
    Fold& oldest = folds_.front();
    if (oldest.done(rows_, cols_)) {
      folds_.pop_front();
      return true;
    }
    io_.watchdog(x - oldest.begin, oldest.T,
                 os ? "an OS fold's last result_col_valid" : "the fold's last result_valid");
    return false;
  }

  /// The RTL's registers are not mirrored in C++: a trace of the rtl fidelity shows zeros.
  CellRefs cell(int, int) override { return {&dummy_a_, &dummy_w_, &dummy_acc_}; }

 private:
  struct Fold {
    FoldJob job;
    bool os = true, ws = false;
    int64_t T = 0, begin = 0, stream_at = 0, injected = 0, delivered = 0;
    std::vector<int> reads;  ///< OS: results taken from each column's output registers
    bool done(int rows, int cols) const {
      if (!os) return delivered == T;
      for (int c = 0; c < cols; ++c)
        if (reads[static_cast<size_t>(c)] < rows) return false;
      return true;
    }
  };

  // WS/IS: row j (counted from the bottom) of the fold's stationary operands enters the chains;
  // with the last row the chains are full and fill the shadows.
  void preload(const Fold& f, int64_t j) {
    if (j < 0 || j >= rows_) return;
    io_.present_stationary_row(f.job, f.job.row0 + (rows_ - 1 - j));
    io_->load = 1;
    io_->load_last = j == rows_ - 1;
  }

  // The newest fold's next element, unless its preload is still running or (OS) its last beat
  // must wait for the previous fold's results to leave the output registers.
  void feed(Fold& f, int64_t x) {
    if (x < f.stream_at || f.injected == f.T) return;
    const int64_t t = f.injected;
    const bool last = t == f.T - 1;
    if (f.os && last && !io_->ready) return;  // a bubble
    if (f.os) {
      io_.present_os_beat(f.job, t);
      io_->last_in = last;
    } else {
      io_.present_streamed(f.job, t);
      io_->first_in = t == 0;
    }
    io_->valid_in = 1;
    fed_ = ++f.injected;
  }

  // OS: column c's output registers shift out bottom row first, one column a cycle later than the
  // column before; each column's results belong to the oldest fold it has not finished.
  void take_os_results() {
    for (int c = 0; c < cols_; ++c) {
      if (!((io_->result_col_valid >> c) & 1U)) continue;
      for (Fold& f : folds_) {
        int& k = f.reads[static_cast<size_t>(c)];
        if (k == rows_) continue;
        const int64_t m = f.job.row0 + (rows_ - 1 - k++), n = f.job.col0 + c;
        if (m < f.job.M && n < f.job.N) f.job.src->result(m, n, rtl_port::get_acc(io_->result, c));
        break;
      }
    }
  }

  // WS/IS: one output row (WS) or column (IS) a cycle, de-skewed, in the order elements entered.
  void take_stationary_result() {
    for (Fold& f : folds_) {
      if (f.delivered == f.T) continue;
      const int64_t t = f.job.t0 + f.delivered++, span = f.ws ? f.job.N : f.job.M;
      for (int c = 0; c < cols_; ++c) {
        const int64_t col = f.job.col0 + c;
        if (col >= span) continue;
        const int64_t v = rtl_port::get_acc(io_->result, c);
        if (f.ws)
          f.job.src->result(t, col, v);
        else
          f.job.src->result(col, t, v);
      }
      return;
    }
  }

  RtlArrayPorts<V> io_;
  std::deque<Fold> folds_;  ///< in flight, oldest first; the newest is the one being fed
  int64_t x_ = 0, fed_ = 0;
  uint64_t dummy_a_ = 0;
  Beat dummy_w_;
  int64_t dummy_acc_ = 0;
};

}  // namespace bitsys
