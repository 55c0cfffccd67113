// Energy and area of a run: a pure function of the action counts both fidelities produce (PE beats,
// array busy cycles, SRAM and DRAM bytes, vector-unit element operations, cycles) priced by a
// technology description, so equal counts give equal energy. Model: configs/tech/README.md.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cost/tech.h"
#include "sim/engine/runner.h"

namespace bitsys {

/// What one op (or a whole run) did, counted in actions.
struct ActionCounts {
  uint64_t pe_beats = 0;      ///< beats formed by PEs: M * N * groups * Kb per GEMM
  uint64_t array_cycles = 0;  ///< cycles the array computed (every PE clocked)
  PerBuffer sram_read{}, sram_write{};
  uint64_t dram_bytes = 0;  ///< read and written
  uint64_t vector_ops = 0;  ///< vector-unit element operations
  uint64_t cycles = 0;      ///< wall cycles (leakage)
  ActionCounts& operator+=(const ActionCounts& o);
};

/// Energy components, in the order reports list them.
enum EnergyPart {
  kPeCompute,
  kArrayMovement,
  kArrayClock,
  kSramReadIfmap,
  kSramReadFilter,
  kSramReadOfmap,
  kSramWriteIfmap,
  kSramWriteFilter,
  kSramWriteOfmap,
  kDram,
  kVectorUnit,
  kLeakage,
  kEnergyParts
};
/// "pe_compute", "array_movement", "sram_read_ifmap", ... (JSON and CSV keys).
const char* energy_part_name(int p);

struct Energy {
  std::array<double, kEnergyParts> pj{};
  double total_pj() const;
  Energy& operator+=(const Energy& o);
};

enum AreaPart { kAreaPeArray, kAreaIfmap, kAreaFilter, kAreaOfmap, kAreaVectorUnit, kAreaParts };
const char* area_part_name(int p);

/// Per-action prices of one architecture in one technology.
struct CostModel {
  std::string tech_name, tech_file;
  PeSynthesis pe;
  double pe_beat_pj = 0;      ///< PE logic per beat: transistors / 4 x gate energy x logic activity
  double pe_move_pj = 0;      ///< PE registers per beat: flip-flops x register activity x flip-flop energy
  double array_cycle_pj = 0;  ///< clocking every PE's flip-flops for one array cycle
  /// By buffer, at the capacity of one half (each half of a double buffer is a bank).
  std::array<double, kBuffers> sram_read_pj_per_byte{}, sram_write_pj_per_byte{};
  double dram_pj_per_byte = 0, vector_op_pj = 0;
  double leakage_pj_per_cycle = 0;  ///< whole-chip area x leakage density / clock
  std::array<double, kAreaParts> area_um2{};
  double pe_area_um2 = 0;
  double pe_max_clock_mhz = 0;  ///< 1 / (PE logic depth x gate delay); reported, not enforced
  double area_mm2() const;
};

CostModel cost_model(const ArchConfig& arch, const Tech& tech);
/// Prices counts: pure, the same counts always give the same energy.
Energy energy_of(const CostModel& m, const ActionCounts& c);
/// The counts of one op (zeros for fused and free ops): PE beats from the op's GEMM and the PE
/// kind's beats per K-vector, everything else from its timing.
ActionCounts actions_of(const ArchConfig& arch, const LoweredOp& op, const OpTiming& t);
/// The whole network's energy from a fidelity's timing (sweeps: no RunResult needed).
Energy network_energy(const CostModel& m, const ArchConfig& arch, const LoweredNetwork& net, const NetworkTiming& t);

/// A run's energy and area: per layer, by component, and totals.
struct RunCost {
  CostModel model;
  std::vector<Energy> layers;  ///< one per RunResult layer
  Energy total;
  double seconds = 0;          ///< total cycles at the configured clock
  double energy_j() const;     ///< whole run
  double per_inference_j = 0;  ///< energy_j / batch
  double power_w() const;      ///< average over the run
  double edp_js() const;       ///< energy x delay
};

RunCost run_cost(const RunResult& run, const Tech& tech);

}  // namespace bitsys
