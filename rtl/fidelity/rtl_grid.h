// A Grid that steps the verilated bitsys_systolic_array instead of C++ PEs: the array module's
// clocked process calls step() once per cycle, as it does for the C++ grid, and the RTL array
// (built 16 x 16 at the kind's widest lanes, run at the configured size in its top-left corner)
// takes each cycle's operands from the same OperandSource — the SystemC system's buffers. When a
// fold's results are valid comes from the RTL (result_valid, last_done), not from the C++ model.
#pragma once
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "rtl/cosim/pe_model.h"
#include "sim/ir/dataflow.h"
#include "sim/pe/grid.h"

namespace bitsys {

namespace rtl_port {
/// Column c's accumulator (kAccBits wide), sign-extended: Verilator gives ports up to 64 bits as
/// integers and wider ones as arrays of 32-bit words.
template <class W>
int64_t get_acc(const W& port, int c) {
  static_assert(bitsys_rtl::kAccBits == 32, "one 32-bit word per column");
  return bitsys_rtl::wrap_acc(port[c]);
}
inline int64_t get_acc(const uint64_t& port, int c) {  // arrays of one or two columns
  return bitsys_rtl::wrap_acc(port >> (bitsys_rtl::kAccBits * c));
}
inline int64_t get_acc(const uint32_t& port, int) {
  return bitsys_rtl::wrap_acc(port);
}
}  // namespace rtl_port

/// The verilated array's clock, inputs and reset, shared by the grids that drive it.
template <class V>
class RtlArrayPorts {
 public:
  RtlArrayPorts(int rows, int cols)
      : ctx_(std::make_unique<VerilatedContext>()),
        top_(std::make_unique<V>(ctx_.get())),
        active_rows_(rows),
        active_cols_(cols) {
    top_->active_rows = static_cast<uint8_t>(rows);
    top_->active_cols = static_cast<uint8_t>(cols);
    top_->en = 1;
    top_->rst = 1;
    tick();
    top_->rst = 0;
  }
  ~RtlArrayPorts() { top_->final(); }
  V* operator->() { return top_.get(); }

  void tick() {
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
  }
  void set_h(int r, const bitsys_rtl::Operand& o) { bitsys_rtl::put_operand(top_->h_left, r, o); }
  void set_v(int c, const bitsys_rtl::Operand& o) { bitsys_rtl::put_operand(top_->v_top, c, o); }
  void clear_inputs() {
    for (int r = 0; r < active_rows_; ++r) set_h(r, {});
    for (int c = 0; c < active_cols_; ++c) set_v(c, {});
  }

  // What a fold puts on the array's inputs, read from its operand source; zeros where the fold's
  // data does not reach (rows or columns beyond the GEMM).
  /// WS: the weight beats, IS: the activation words of reduction step k, one per column (a preload row).
  void present_stationary_row(const FoldJob& j, int64_t k) {
    const bool ws = j.dataflow == Dataflow::WS;
    for (int c = 0; c < active_cols_; ++c) {
      const int64_t col = j.col0 + c;
      const bool live = k < j.Kb && col < (ws ? j.N : j.M);
      set_v(c, !live ? bitsys_rtl::Operand{} : ws ? operand_of(j.src->w(k, col)) : operand_of(j.src->a(col, k)));
    }
  }
  /// WS: the activations, IS: the weight beats of element t of the fold's stream, one per row.
  void present_streamed(const FoldJob& j, int64_t t) {
    const bool ws = j.dataflow == Dataflow::WS;
    for (int r = 0; r < active_rows_; ++r) {
      const int64_t k = j.row0 + r;
      set_h(r, k >= j.Kb ? bitsys_rtl::Operand{}
               : ws      ? operand_of(j.src->a(j.t0 + t, k))
                         : operand_of(j.src->w(k, j.t0 + t)));
    }
  }
  /// OS: beat t of every row's activations and every column's weights.
  void present_os_beat(const FoldJob& j, int64_t t) {
    for (int r = 0; r < active_rows_; ++r)
      set_h(r, j.row0 + r < j.M ? operand_of(j.src->a(j.row0 + r, t)) : bitsys_rtl::Operand{});
    for (int c = 0; c < active_cols_; ++c)
      set_v(c, j.col0 + c < j.N ? operand_of(j.src->w(t, j.col0 + c)) : bitsys_rtl::Operand{});
  }
  /// The RTL's timing bounds every wait: a handshake that never comes (a broken array) ends the
  /// run with an error instead of a hang. The longest legal wait, an overlapped OS fold whose last
  /// beat waits 2R cycles for the previous fold's results, is T + 4R + C - 4.
  void watchdog(int64_t waited, int64_t T, const char* what) const {
    const int64_t bound = T + 5 * active_rows_ + 3 * active_cols_ + 8;
    if (waited > bound)
      throw std::runtime_error("RTL array: " + std::string(what) + " did not come within " + std::to_string(bound) +
                               " cycles of a " + std::to_string(T) + "-element stream on " +
                               std::to_string(active_rows_) + " x " + std::to_string(active_cols_));
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<V> top_;
  int active_rows_, active_cols_;
};

/// Folds one at a time (the no_overlap schedule).
template <class V>
class RtlGrid final : public Grid {
 public:
  RtlGrid(int rows, int cols) : Grid(rows, cols), io_(rows, cols) {}

  void start(const FoldJob& job) override {
    job_ = job;
    os_ = job.dataflow == Dataflow::OS;
    ws_ = job.dataflow == Dataflow::WS;
    T_ = os_ ? job.Kb : job.tlen >= 0 ? job.tlen : ws_ ? job.M : job.N;
    phase_ = os_ ? Phase::Stream : Phase::Preload;
    cycle_ = 0;
    delivered_ = 0;
    io_->df = os_ ? 0 : ws_ ? 1 : 2;
  }

  int64_t fed() const override {
    if (phase_ == Phase::Preload) return 0;
    if (phase_ == Phase::Drain) return job_.Kb;
    return std::min(cycle_, T_);
  }

  bool step() override {
    switch (phase_) {
      case Phase::Preload:
        return preload();
      case Phase::Stream:
        return os_ ? stream_os() : stream_stationary();
      case Phase::Drain:
        return drain_os();
    }
    return true;
  }

  /// The RTL's registers are not mirrored in C++: a trace of the rtl fidelity shows zeros.
  CellRefs cell(int, int) override { return {&dummy_a_, &dummy_w_, &dummy_acc_}; }

 private:
  enum class Phase { Preload, Stream, Drain };

  // WS: weight beats, IS: activation words enter at the top, deepest row first: R cycles.
  bool preload() {
    io_.present_stationary_row(job_, job_.row0 + (rows_ - 1 - cycle_++));
    io_->load = 1;
    io_.tick();
    io_->load = 0;
    if (cycle_ == rows_) {
      io_.clear_inputs();
      phase_ = Phase::Stream;
      cycle_ = 0;
    }
    return false;
  }

  bool stream_stationary() {
    const int64_t s = cycle_++;
    if (s < T_)
      io_.present_streamed(job_, s);
    else
      io_.clear_inputs();
    io_->valid_in = s < T_;
    io_.tick();
    watchdog(s);
    if (io_->result_valid) {
      const int64_t t = job_.t0 + delivered_++, span = ws_ ? job_.N : job_.M;
      for (int c = 0; c < cols_; ++c) {
        const int64_t col = job_.col0 + c;
        if (col >= span) continue;
        const int64_t v = rtl_port::get_acc(io_->result, c);
        if (ws_)
          job_.src->result(t, col, v);
        else
          job_.src->result(col, t, v);
      }
    }
    if (delivered_ < T_) return false;
    io_->valid_in = 0;
    return true;
  }

  bool stream_os() {
    const int64_t t = cycle_++;
    if (t < job_.Kb)
      io_.present_os_beat(job_, t);
    else
      io_.clear_inputs();
    io_->last_in = t == job_.Kb - 1;
    io_.tick();
    watchdog(t);
    io_->last_in = 0;
    if (io_->last_done) {
      io_.clear_inputs();
      phase_ = Phase::Drain;
      cycle_ = 0;
    }
    return false;
  }

  // The RTL's timing is T + R + C - 2 cycles a stream.
  void watchdog(int64_t step) const { io_.watchdog(step, T_, os_ ? "last_done" : "the fold's last result_valid"); }

  // Accumulators shift down one row a cycle and leave at the bottom row in use: R cycles.
  bool drain_os() {
    io_->drain = 1;
    io_->eval();
    const int64_t m = job_.row0 + (rows_ - 1 - cycle_++);
    for (int c = 0; c < cols_; ++c)
      if (m < job_.M && job_.col0 + c < job_.N) job_.src->result(m, job_.col0 + c, rtl_port::get_acc(io_->result, c));
    io_.tick();
    io_->drain = 0;
    return cycle_ == rows_;
  }

  RtlArrayPorts<V> io_;
  FoldJob job_;
  bool os_ = true, ws_ = false;
  int64_t T_ = 0, cycle_ = 0, delivered_ = 0;
  Phase phase_ = Phase::Stream;
  uint64_t dummy_a_ = 0;
  Beat dummy_w_;
  int64_t dummy_acc_ = 0;
};

}  // namespace bitsys
