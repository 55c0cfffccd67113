// The controller replays a tile plan: it issues each tile's loads to the DRAM channel when the
// buffer halves they fill are free, starts the tile on the array or vector unit once its data
// has arrived, and issues its fold's write-back when the fold ends. Loads and writes carry the
// plan's spans; the channel moves their bytes between DRAM and the buffers' regions. Timing comes
// from the modules' events; the controller contains no cycle formula. Jobs come from the host
// between sc_start() calls.
#pragma once
#include <array>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>

#include "models/array/array_module.h"
#include "models/memory/dram_channel.h"
#include "models/memory/sram_buffer.h"
#include "models/vector/vector_unit.h"
#include "sim/plan/tile_plan.h"

namespace bitsys {

/// The buffer regions a tile's unit reads and writes.
struct TileRegions {
  Region* a = nullptr;      ///< activations (ifmap: the tile's half, or the op's resident / kept tensor)
  Region* w = nullptr;      ///< weights (filter: the tile's half, or the op's resident tensor)
  Region* out = nullptr;    ///< the fold's results (ofmap)
  Region* slab = nullptr;   ///< partial sums (ofmap), when the op has them
  std::vector<Region*> in;  ///< vector tiles: one region per input
};

struct ControllerJob {
  const std::vector<Tile>* tiles = nullptr;
  /// With a network and its memory map, tiles move real bytes (tile_transfers); without, only
  /// occupancy is checked and nothing moves (array-only runs).
  const ArchConfig* arch = nullptr;
  const LoweredNetwork* net = nullptr;
  const MemoryMap* map = nullptr;
  /// Operands of an array tile's fold (called when a fold starts).
  std::function<FoldJob(const Tile&)> fold_of;
  /// Called before each tile starts with where its data is (host-side hook: progress, operands).
  std::function<void(size_t, const TileRegions&)> on_tile;
  /// Called with every value the vector unit writes (op index, output element, value): host-side
  /// bookkeeping for --verify and --write-outputs, not part of the model.
  std::function<void(uint32_t, uint64_t, int32_t)> vector_tap;
  /// The array's grids (null: the PE kind's C++ grid).
  const GridSource* grids = nullptr;
  FoldSchedule schedule = FoldSchedule::NoOverlap;  ///< set by the engine from the architecture
  // results
  std::vector<uint64_t> stall, busy;  ///< per tile: cycles waited before it, cycles it ran
  std::vector<bool> load_bound;       ///< per tile: its operands arrived no earlier than its output half freed
  std::vector<uint64_t> post_cycles;  ///< per tile: the vector unit's cycles on its fold's post-ops beside the array
  uint64_t total_cycles = 0;          ///< first tile's start to the last write's end
  std::string error;                  ///< a model inconsistency, if any
  std::exception_ptr failure;         ///< an exception the job's callbacks threw, rethrown by the engine
};

class Controller : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_out<DramRequest*> dram;
  sc_core::sc_fifo_out<ArrayCommand> array_cmd;
  sc_core::sc_fifo_in<ArrayDone> array_done;
  sc_core::sc_fifo_out<VectorCommand> vector_work;
  sc_core::sc_fifo_in<uint64_t> vector_done;
  /// The ifmap, filter and ofmap buffers whose halves the controller hands to tiles.
  std::array<SramBuffer*, kBuffers> buffers{};

  explicit Controller(sc_core::sc_module_name name);
  void submit(ControllerJob* job) { pending_ = job; }
  bool busy() const { return pending_ != nullptr; }
  void trace(sc_core::sc_trace_file* tf) {
    sc_core::sc_trace(tf, tile_, "controller.tile");
    sc_core::sc_trace(tf, waiting_, "controller.waiting_for_data");
  }

 private:
  void run();
  void execute(ControllerJob& job);
  ControllerJob* pending_ = nullptr;
  sc_dt::uint64 tile_ = 0;  ///< traced: the tile running
  bool waiting_ = false;    ///< traced: stalled until a load or write completes
};

}  // namespace bitsys
