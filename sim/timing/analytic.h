// The analytic model: cycles, stalls and traffic of a network from its tile plan, by a
// recurrence over tiles that equals the SystemC model's event timing (README "Memory system").
#pragma once
#include "sim/fidelity/fidelity.h"

namespace bitsys {

/// Cycles of one fold under the no-overlap schedule: 2R + C + T - 2 (SCALE-Sim's paper model).
uint64_t fold_cycles(const ArchConfig& arch, int64_t T);

/// Cycles a tile keeps its unit busy, in closed form: ceil(element operations / vector lanes)
/// on the vector unit; on the array the tile's beats plus the fold's preload (WS/IS, first tile)
/// and skew and drain (last tile), so a fold's tiles add up to fold_cycles; with limited SRAM
/// ports, at least ceil(bytes / port width) for what the unit reads from and writes into each
/// buffer. A fold's last tile also waits `output_latency` cycles for its output stage's pipeline.
uint64_t tile_cycles(const ArchConfig& arch, const Tile& t, int output_latency = 0);
/// Cycles the DRAM channel is busy moving `bytes`: ceil(bytes / bandwidth), 0 for ideal memory.
uint64_t transfer_cycles(const ArchConfig& arch, uint64_t bytes);

/// Beats, fold space, folds and stall-free cycles of one GEMM layer; InputError when the PE
/// kind refuses the layer's precision or the count overflows.
struct GemmShapeTiming {
  int64_t Kb = 0;
  FoldSpace space;
  uint64_t folds = 0, cycles = 0;
};
GemmShapeTiming analytic_gemm(const ArchConfig& arch, const LoweredOp& op);

/// Times a network: the recurrence of README "Memory system" over plan_network's tiles.
NetworkTiming analytic_network(const ArchConfig& arch, const LoweredNetwork& net);

}  // namespace bitsys
