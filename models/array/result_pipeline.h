// The output stage's pipeline registers between the array and the output buffer: every result
// leaving the array in a cycle lands in the buffer `depth` cycles later (the post-ops fused into
// the stage, each with its configured latency). The fold's last-output flag travels with the
// results, so a fold ends `depth` cycles after the array finished it, whether or not its last
// column held real outputs. Operands pass through untouched.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/pe/grid.h"

namespace bitsys {

class ResultPipeline final : public OperandSource {
 public:
  /// Starts a fold whose results go to `out` through `depth` registers (nothing may be in flight).
  void start(OperandSource* out, int depth) {
    out_ = out;
    slots_.assign(static_cast<size_t>(depth) + 1, {});
    head_ = 0;
    last_at_ = -1;
  }
  uint64_t a(int64_t m, int64_t kb) override { return out_->a(m, kb); }
  Beat w(int64_t kb, int64_t n) override { return out_->w(kb, n); }
  void result(int64_t m, int64_t n, int64_t value) override { slots_[head_].push_back({m, n, value}); }
  /// The array's last output of the fold entered this cycle.
  void last() { last_at_ = static_cast<int64_t>(head_); }
  /// The clock edge: what entered `depth` cycles ago lands in the buffer. True when that was
  /// the fold's last output.
  bool clock() {
    head_ = (head_ + 1) % slots_.size();
    for (const Entry& e : slots_[head_]) out_->result(e.m, e.n, e.value);
    slots_[head_].clear();
    if (last_at_ != static_cast<int64_t>(head_)) return false;
    last_at_ = -1;
    return true;
  }

 private:
  struct Entry {
    int64_t m, n, value;
  };
  OperandSource* out_ = nullptr;
  std::vector<std::vector<Entry>> slots_{1};  ///< slot head_ collects this cycle's results
  size_t head_ = 0;
  int64_t last_at_ = -1;  ///< the slot holding the last-output flag, -1 when none is in flight
};

}  // namespace bitsys
