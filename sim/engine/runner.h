// Runs a lowered network on an architecture at one fidelity: layer results and totals.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sim/fidelity/fidelity.h"
#include "sim/timing/analytic.h"

namespace bitsys {

struct LayerResult {
  LoweredOp op;
  GemmShapeTiming shape;   ///< Array ops: beats, fold space, folds, stall-free cycles
  OpTiming timing;         ///< cycles, stalls, traffic
  OpMemoryPlan memory;     ///< tiling and reuse decisions, peak occupancy
  double utilization = 0;  ///< Array ops: useful lane-products / (cycles * R * C * lanes)
};

struct RunResult {
  ArchConfig arch;
  std::string workload, workload_file;
  std::string fidelity;
  std::vector<LayerResult> layers;
  uint64_t total_cycles = 0;
  uint64_t total_macs = 0;
  int64_t batch = 1;  ///< inferences the workload runs at once
  uint64_t dram_read = 0, dram_written = 0;
  bool verified = false;             ///< every layer's outputs checked against the whole-network reference and equal
  uint64_t layers_from_tensors = 0;  ///< GEMM layers computed on tensors the user supplied
  double wall_seconds = 0;

  uint64_t stall_cycles() const;
  uint64_t array_cycles() const;   ///< cycles the array computed
  uint64_t vector_cycles() const;  ///< cycles the vector unit computed in its own turns
  uint64_t beside_cycles() const;  ///< ... and beside the array, on folds' post-ops
  double utilization() const;
  double milliseconds() const { return static_cast<double>(total_cycles) / (arch.clock_mhz * 1e3); }
};

using Progress = std::function<void(size_t done, size_t total, const std::string& layer)>;

RunResult run_network(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt,
                      const Progress& progress = {});

}  // namespace bitsys
