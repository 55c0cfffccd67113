// An accelerator configuration. Field meanings and defaults: configs/README.md.
#pragma once
#include <string>

#include "models/array/dataflow.h"

namespace bitsys {

class PeKind;

enum class FoldSchedule {
  NoOverlap,  ///< folds back to back, none overlapping: 2R + C + T - 2 cycles each (SCALE-Sim paper)
};

struct ArchConfig {
  std::string name;
  std::string file;  ///< where it was read from
  int rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::WS;
  const PeKind* pe = nullptr;
  int lanes = 1;
  double clock_mhz = 1000.0;
  FoldSchedule schedule = FoldSchedule::NoOverlap;
  // Memory system and vector unit: read and checked here, used by the memory model (issue #3).
  double ifmap_kib = 64, filter_kib = 64, ofmap_kib = 64;
  double dram_bytes_per_cycle = 16;  ///< 0 = unlimited
  int dram_latency_cycles = 100;
  int vector_lanes = 32;
  bool from_scalesim = false;  ///< read from a SCALE-Sim .cfg: 8-bit words, SCALE-Sim conventions
  std::string scalesim_interface_bandwidth;  ///< CALC or USER when from_scalesim

  std::string pe_name() const;
  std::string summary() const;  ///< "32x32 ws int8 L1"
};

const char* schedule_name(FoldSchedule s);

/// Reads a bitsys JSON or SCALE-Sim .cfg config, told apart by content.
ArchConfig load_arch(const std::string& path);
ArchConfig parse_arch_json(const std::string& text, const std::string& file);
ArchConfig parse_scalesim_cfg(const std::string& text, const std::string& file);

}  // namespace bitsys
