// Sequences a GEMM's folds onto the array, back to back with no overlap, and measures the cycles
// between the first fold's first edge and the last fold's last edge. Jobs come from the host
// between sc_start() calls; with none pending the controller pauses the simulation.
#pragma once
#include <systemc>

#include "models/array/array_module.h"
#include "models/pe/operand_encoding.h"

namespace bitsys {

struct ArrayShape {
  int rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::WS;
  const PeKind* kind = nullptr;
};

struct ArrayJob {
  ArrayShape shape;
  const BeatGemm* gemm = nullptr;
  std::vector<int64_t>* out = nullptr;  ///< M x N, zeroed by the controller
  // results
  uint64_t cycles = 0;  ///< measured from simulated time
  uint64_t folds = 0;
  uint64_t steps = 0;   ///< sum of per-fold grid steps (equals cycles when folds are back to back)
};

class Controller : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_fifo_out<FoldJob> cmd;
  sc_core::sc_fifo_in<FoldDone> done;

  Controller(sc_core::sc_module_name name, ArrayModule& array, sc_core::sc_time period);
  /// Hands over a job for the next sc_start(); the controller clears it when finished.
  void submit(ArrayJob* job) { pending_ = job; }
  bool busy() const { return pending_ != nullptr; }

 private:
  void run();
  void execute(ArrayJob& job);
  ArrayModule& array_;
  sc_core::sc_time period_;
  ArrayJob* pending_ = nullptr;
};

}  // namespace bitsys
