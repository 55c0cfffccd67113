// The output stage's pipeline registers between the array and the output buffer: every result
// leaving the array in a cycle lands in the buffer `depth` cycles later (the post-ops fused into
// the stage, each with its configured latency). A fold's last-output flag travels with the
// results, so a fold ends `depth` cycles after the array finished it, whether or not its last
// column held real outputs. Under the overlapped schedule results of two folds may be in the
// registers at once; each keeps the sink of its fold.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/pe/grid.h"

namespace bitsys {

class ResultPipeline {
 public:
  /// Only while nothing is in the registers (folds of one layer share a depth).
  void set_depth(int depth) {
    if (depth == depth_) return;
    if (!idle()) throw std::logic_error("output stage depth changed with results in flight");
    depth_ = depth;
    slots_.assign(static_cast<size_t>(depth) + 1, {});
    marks_.assign(slots_.size(), 0);
    head_ = 0;
  }
  bool idle() const { return in_flight_ == 0 && marks_in_flight_ == 0; }
  int depth() const { return depth_; }

  /// What the grid sends a fold's results to: `sink` directly when there are no registers.
  OperandSource* front_for(OperandSource* sink) {
    if (depth_ == 0) return sink;
    Tap& t = taps_[next_tap_++ % taps_.size()];
    t.pipe = this;
    t.sink = sink;
    return &t;
  }
  /// A fold's last output entered this cycle.
  void last() {
    ++marks_[head_];
    ++marks_in_flight_;
  }
  /// The clock edge: what entered `depth` cycles ago lands in the buffer. Returns how many folds
  /// had their last output among it.
  int clock() {
    head_ = (head_ + 1) % slots_.size();
    for (const Entry& e : slots_[head_]) e.sink->result(e.m, e.n, e.value);
    in_flight_ -= slots_[head_].size();
    slots_[head_].clear();
    const int done = marks_[head_];
    marks_[head_] = 0;
    marks_in_flight_ -= static_cast<uint64_t>(done);
    return done;
  }

 private:
  struct Entry {
    OperandSource* sink;
    int64_t m, n, value;
  };
  /// One fold's front: operands pass through, results enter the registers.
  struct Tap final : OperandSource {
    ResultPipeline* pipe = nullptr;
    OperandSource* sink = nullptr;
    uint64_t a(int64_t m, int64_t kb) override { return sink->a(m, kb); }
    Beat w(int64_t kb, int64_t n) override { return sink->w(kb, n); }
    void result(int64_t m, int64_t n, int64_t value) override {
      pipe->slots_[pipe->head_].push_back({sink, m, n, value});
      ++pipe->in_flight_;
    }
  };
  int depth_ = 0;
  std::vector<std::vector<Entry>> slots_{1};  ///< slot head_ collects this cycle's results
  std::vector<int> marks_ = std::vector<int>(1, 0);
  size_t head_ = 0;
  uint64_t in_flight_ = 0, marks_in_flight_ = 0;
  std::vector<Tap> taps_ = std::vector<Tap>(8);
  size_t next_tap_ = 0;
};

}  // namespace bitsys
