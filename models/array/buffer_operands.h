// The array's operand path in the SystemC system: it reads each beat's raw values from the
// ifmap and filter buffer regions by DRAM address (im2col address generation for convs), encodes
// them as the PE kind consumes them, and sends results through the output stage (partial sums via
// the slab in the ofmap buffer, final values shifted, saturated and post-op'd) into the fold's
// ofmap region at their DRAM address. A value that is not in the region the tile was given is a
// model error: the plan loaded the wrong slice, or a half was overwritten too early.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/system/controller.h"
#include "sim/pe/grid.h"
#include "sim/values/semantics.h"

namespace bitsys {

class BufferOperands final : public OperandSource {
 public:
  BufferOperands(const ArchConfig& arch, const LoweredNetwork& net, const MemoryMap& map);
  /// A fold of `t`'s op begins (after set_regions for its first tile). Its results go to a sink
  /// that keeps the fold's own output context, so they can land after the next fold has begun.
  FoldJob start_fold(const Tile& t);
  /// The regions the current tile's operands come from and its fold's results go to.
  void set_regions(const TileRegions& where);

  uint64_t a(int64_t m, int64_t kb) override;
  Beat w(int64_t kb, int64_t n) override;
  void result(int64_t m, int64_t n, int64_t value) override { results_[current_].result(m, n, value); }

  /// Called with each final value written (op index, output element NCHW index, value).
  std::function<void(uint32_t, uint64_t, int32_t)> tap;
  const std::string& error() const { return error_; }

 private:
  int32_t act(int64_t m, int64_t k);
  int32_t weight(int64_t k, int64_t n);
  void fail(const std::string& what);
  /// Where one fold's results go and how they combine: fixed when the fold starts.
  struct FoldResults final : OperandSource {
    BufferOperands* owner = nullptr;
    const LoweredOp* op = nullptr;
    uint32_t op_index = 0;
    const TensorPlace* out = nullptr;
    const OutputStage* stage = nullptr;
    Region *region = nullptr, *slab = nullptr;
    int64_t group = 0, t0 = 0, col0 = 0;
    bool first_k = true, last_k = true, has_slab = false, ws = true;
    uint64_t a(int64_t m, int64_t kb) override { return owner->a(m, kb); }
    Beat w(int64_t kb, int64_t n) override { return owner->w(kb, n); }
    void result(int64_t m, int64_t n, int64_t value) override;
  };
  static constexpr size_t kFoldsInFlight = 8;  ///< more than the overlapped schedule keeps in the array
  std::vector<FoldResults> results_ = std::vector<FoldResults>(kFoldsInFlight);
  size_t current_ = 0;
  struct Key;
  template <class T, class Gather, class Encode>
  T* cached(std::vector<Key>& keys, std::vector<T>& store, int64_t x, int64_t chunk, Gather gather, Encode encode);
  const ArchConfig& arch_;
  const LoweredNetwork& net_;
  const MemoryMap& map_;
  // the fold
  const LoweredOp* op_ = nullptr;
  uint32_t op_index_ = 0;
  const TensorPlace *in_ = nullptr, *w_ = nullptr, *out_ = nullptr;
  int64_t group_ = 0, passes_ = 1, Kb_ = 0, lanes_ = 1, t0_ = 0, col0_ = 0, cg_ = 0;
  bool first_k_ = true, last_k_ = true, slab_ = false, ws_ = true;
  std::map<uint32_t, std::unique_ptr<OutputStage>> stages_;
  const OutputStage* stage_ = nullptr;
  std::vector<int32_t> unbounded_slab_;  ///< partial sums under the "unbounded" psum policy
  // the tile
  TileRegions where_;
  // Chunks of lanes encoded into all of their passes, kept in small direct-mapped caches (a chunk
  // of a multi-pass kind feeds `passes` consecutive beats); emptied whenever the regions change.
  static constexpr size_t kCacheSets = 256;
  struct Key {
    int64_t x = -1, y = -1;
    uint64_t gen = 0;
  };
  std::vector<Key> a_keys_, w_keys_;
  std::vector<uint64_t> a_words_;
  std::vector<Beat> w_beats_;
  std::vector<int32_t> vals_;
  uint64_t gen_ = 1;
  std::string error_;
};

}  // namespace bitsys
