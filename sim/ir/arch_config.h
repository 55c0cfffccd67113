// An accelerator configuration. Field meanings and defaults: configs/README.md.
#pragma once
#include <cstdint>
#include <string>

#include "sim/ir/dataflow.h"
#include "sim/ir/output_stage.h"

namespace bitsys {

class PeKind;

enum class FoldSchedule {
  NoOverlap,   ///< folds back to back, none overlapping: 2R + C + T - 2 cycles each (SCALE-Sim paper)
  Overlapped,  ///< a layer's folds follow each other through the array (README "The timing model")
};

/// Whose arithmetic a run follows. ScaleSim reproduces SCALE-Sim v2's code for its reports (README
/// "SCALE-Sim's numbers"): window outputs ceil((H + 2P - F + S) / S), OS folds of R + C + T - 2
/// cycles (no drain), each GEMM layer's total one cycle less than the sum of its folds.
enum class Conventions { Bitsys, ScaleSim };
const char* conventions_name(Conventions c);

/// Where WS/IS partial sums live while a fold's reduction is split over k-blocks.
enum class PsumPolicy {
  FitOfmap,   ///< "fit_ofmap": folds are split along T so partial sums fit half the ofmap buffer
  Unbounded,  ///< "unbounded": never split for partial sums (SCALE-Sim's convention)
};
const char* psum_policy_name(PsumPolicy p);

struct ArchConfig {
  std::string name;
  std::string file;  ///< where it was read from
  int rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::WS;
  const PeKind* pe = nullptr;
  int lanes = 1;
  double clock_mhz = 1000.0;
  FoldSchedule schedule = FoldSchedule::NoOverlap;
  // Memory system and vector unit (README "Memory system").
  double ifmap_kib = 64, filter_kib = 64, ofmap_kib = 64;  ///< SRAM capacities, each double-buffered
  double dram_bytes_per_cycle = 16;                        ///< DRAM channel bandwidth; ignored when dram_unlimited
  bool dram_unlimited = false;                             ///< ideal memory: transfers take no time and no latency
  int dram_latency_cycles = 100;                           ///< from the end of a read's transfer to its data in SRAM
  int vector_lanes = 32;                                   ///< vector-unit element operations per cycle
  /// Bytes each SRAM buffer's read port and write port (to the array and vector unit) move per
  /// cycle; 0 = unlimited (a tile is never slowed by its buffers).
  double sram_port_bytes_per_cycle = 0;
  PsumPolicy psum_policy = PsumPolicy::FitOfmap;
  OutputStageConfig output_stage;  ///< post-ops applied in line, and their pipeline depth
  Conventions conventions = Conventions::Bitsys;
  /// Technology file pricing energy and area (configs/tech/README.md): a path, or one relative to
  /// bitsys's data folder.
  std::string tech = "configs/tech/45nm.json";

  /// The DRAM bandwidth in units of 2^-20 bytes per cycle (at least 1): both timing models count
  /// transferred bytes in these units, so fractional bandwidths add up exactly.
  uint64_t dram_bandwidth_units() const;
  /// The SRAM port width in the same units; 0 when unlimited.
  uint64_t sram_port_units() const;
  static constexpr int kBandwidthFractionBits = 20;
  /// Bytes of one half of a double-buffered SRAM.
  uint64_t half_bytes(double kib) const { return static_cast<uint64_t>(kib * 1024.0) / 2; }
  std::string pe_name() const;
  std::string summary() const;  ///< "32x32 ws int8 L1"
};

const char* schedule_name(FoldSchedule s);

}  // namespace bitsys
