// Runs jobs on one elaborated SystemC simulation per process. SystemC cannot elaborate twice,
// so the top (controller, DRAM channel, array, vector unit) is built once and reconfigured per
// job; each run resumes the simulation.
#pragma once
#include <cstdint>
#include <vector>

#include "models/system/controller.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

struct ArrayShape {
  int rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::WS;
  const PeKind* kind = nullptr;
  FoldSchedule schedule = FoldSchedule::NoOverlap;
};

struct GemmRunResult {
  uint64_t cycles = 0, folds = 0;
};

class SystemCEngine {
 public:
  static SystemCEngine& instance();
  /// Replays a tile plan under `arch`'s memory timing; fills the job's results.
  void run(const ArchConfig& arch, ControllerJob& job, uint64_t* dram_read = nullptr, uint64_t* dram_written = nullptr);
  /// One encoded GEMM on the array alone (ideal memory): fills `out` (M x N).
  GemmRunResult run_gemm(const ArrayShape& shape, const BeatGemm& gemm, std::vector<int64_t>& out);
  uint64_t pe_updates() const;
  /// The DRAM's contents (the host writes a network's inputs and weights here before a run).
  DramMemory& dram_memory();
  /// Opens a VCD of the array (every PE's registers) and the handshakes for `arch`'s array.
  /// Only before the first run: SystemC cannot add traces once simulation has started.
  void open_trace(const std::string& path, const ArchConfig& arch);
  void close_trace();

 private:
  SystemCEngine();
  struct Top;
  Top* top_;
  bool started_ = false;
  sc_core::sc_trace_file* trace_ = nullptr;
};

}  // namespace bitsys
