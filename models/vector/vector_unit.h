// The vector unit: computes elementwise ops, pools and upsampling on the values in its input
// regions (sim/values/semantics.h), writing each output element into the fold's ofmap region,
// and spends a cycle for every `lanes` element operations it steps through.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <systemc>

#include "sim/plan/tile_plan.h"
#include "sim/values/semantics.h"

namespace bitsys {

struct TileRegions;

class Region;
struct DramRequest;

/// A fold's post-ops beside the array: the vector unit reads the fold's staged results from its
/// ofmap region and writes the final ones there. `finish` is set as the work starts (the cycle
/// its last lanes are done), `done` notified then.
struct PostJob {
  const Tile* tile = nullptr;  ///< the fold's last tile
  uint64_t fold = 0;
  Region* region = nullptr;
  DramRequest* operands = nullptr;   ///< the load of its post-ops' other operands, if any
  Region* operand_region = nullptr;  ///< ... and where it puts them
  bool started = false;
  sc_core::sc_time finish;
  uint64_t cycles = 0;
  sc_core::sc_event done;
  bool finished_by(const sc_core::sc_time& now) const { return started && finish <= now; }
};

/// A vector tile (`tile`, `where`), or a fold's post-ops (`post`: no `done` is written back).
struct VectorCommand {
  const Tile* tile = nullptr;
  const TileRegions* where = nullptr;
  PostJob* post = nullptr;
};
inline std::ostream& operator<<(std::ostream& os, const VectorCommand&) {
  return os << "vector command";
}

class VectorUnit : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<VectorCommand> work;
  sc_core::sc_fifo_out<uint64_t> done;  ///< cycles it took

  explicit VectorUnit(sc_core::sc_module_name name);
  /// Without a network it only counts each tile's planned operations (no values).
  void configure(int lanes, const LoweredNetwork* net = nullptr, const MemoryMap* map = nullptr);
  const std::string& error() const { return error_; }
  std::function<void(uint32_t, uint64_t, int32_t)> tap;  ///< see ControllerJob::vector_tap

 private:
  void run();
  /// Computes the tile's outputs; returns the element operations stepped through.
  uint64_t compute(const Tile& t, const TileRegions& where);
  /// Applies a fold's post-ops beside the array to its staged results (and an add's other
  /// operand, in the same region); returns the element operations.
  uint64_t compute_post(const PostJob& job);
  uint64_t cycles_for(uint64_t ops) const;
  uint64_t lanes_ = 1;
  const LoweredNetwork* net_ = nullptr;
  const MemoryMap* map_ = nullptr;
  std::map<uint32_t, ChannelParams> params_;
  std::string error_;
};

}  // namespace bitsys
