// The controller replays a tile plan: it issues each tile's loads to the DRAM channel when the
// buffer halves they fill are free, starts the tile on the array or vector unit once its data
// has arrived, and issues its writes when it ends. Timing comes from the modules' events; the
// controller contains no cycle formula. Jobs come from the host between sc_start() calls.
#pragma once
#include <array>
#include <exception>
#include <functional>
#include <vector>

#include <systemc>

#include "models/array/array_module.h"
#include "models/memory/dram_channel.h"
#include "models/memory/sram_buffer.h"
#include "sim/plan/tile_plan.h"

namespace bitsys {

struct ControllerJob {
  const std::vector<Tile>* tiles = nullptr;
  /// Operands of an array tile's fold (called when a fold starts).
  std::function<FoldJob(const Tile&)> fold_of;
  /// Called before each tile starts (host-side hook: progress).
  std::function<void(size_t)> on_tile;
  // results
  std::vector<uint64_t> stall, busy;  ///< per tile: cycles waited before it, cycles it ran
  std::vector<bool> load_bound;       ///< per tile: its operands arrived no earlier than its output half freed
  uint64_t total_cycles = 0;          ///< first tile's start to the last write's end
  std::string error;                  ///< a model inconsistency, if any
  std::exception_ptr failure;         ///< an exception the job's callbacks threw, rethrown by the engine
};

class Controller : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_out<DramRequest*> dram;
  sc_core::sc_fifo_out<ArrayCommand> array_cmd;
  sc_core::sc_fifo_in<ArrayDone> array_done;
  sc_core::sc_fifo_out<uint64_t> vector_work;
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
