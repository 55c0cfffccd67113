// The tile plan: how a lowered network moves through the buffers and units, as a sequence of
// tiles. It fixes *what* each tile computes and moves (streamed beats, element operations, bytes
// at each operand's precision) and carries no duration: the analytic model (sim/timing) derives
// cycles in closed form, the SystemC model (models/) by running its modules.
// Rules and loop orders: README "Memory system".
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/ir/arch_config.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

enum class Unit : uint8_t { Array, Vector };
enum BufferId { kIfmap = 0, kFilter = 1, kOfmap = 2 };
constexpr int kBuffers = 3;

using PerBuffer = std::array<uint64_t, kBuffers>;

struct Tile {
  uint32_t op = 0;     ///< index into LoweredNetwork::ops
  uint32_t group = 0;  ///< GEMM group
  Unit unit = Unit::Array;
  bool fold_start = false;     ///< the array begins a new fold with this tile
  bool fold_end = false;       ///< the fold completes in this tile
  int64_t row0 = 0, col0 = 0;  ///< the fold's origin in (Sr, Sc)
  int64_t t0 = 0, tlen = -1;   ///< WS/IS: the fold's slice of the streamed dimension (-1 = all)
  /// Array: the streamed time steps (beats) this tile feeds into its fold - OS: reduction beats,
  /// WS/IS: streamed elements of the fold's T. Vector: element operations.
  uint64_t work = 0;
  PerBuffer dram_read{};    ///< DRAM -> buffer bytes, loaded before the tile starts
  uint64_t dram_write = 0;  ///< ofmap buffer -> DRAM bytes, written after the tile ends
  PerBuffer sram_read{};    ///< buffer -> unit bytes
  PerBuffer sram_write{};   ///< bytes written into each buffer (loads, outputs, partial sums)
  PerBuffer hold{};         ///< bytes the tile occupies in one half of each buffer
  PerBuffer fill{};         ///< ifmap, filter: bytes its load puts in its half; ofmap: outputs it writes there
  PerBuffer resident{};     ///< the op's resident region so far: whole tensors loaded once, the partial-sum slab

  uint64_t load_bytes() const { return dram_read[0] + dram_read[1] + dram_read[2]; }
};

/// Per-op facts of the plan, for reports.
struct OpMemoryPlan {
  uint64_t tiles = 0, folds = 0;
  int64_t chunk = 0;             ///< Array: streamed beats per tile (OS), streamed length per fold (WS, IS)
  bool ifmap_resident = false;   ///< input loaded once (fits half the ifmap buffer)
  bool filter_resident = false;  ///< weights loaded once
  bool input_on_chip = false;    ///< input kept on chip by the previous op
  bool output_on_chip = false;   ///< output kept on chip for the next op
  PerBuffer peak{};              ///< peak occupancy over the op's tiles (both halves)
};

using TileSink = std::function<void(const Tile&)>;

/// Emits every tile of the network in execution order; fills `plans` (one per op) when given.
/// InputError when a tile can never fit its buffer.
void plan_network(const ArchConfig& arch, const LoweredNetwork& net, const TileSink& sink,
                  std::vector<OpMemoryPlan>* plans = nullptr);

/// Whole-network tile list (the SystemC model replays it).
std::vector<Tile> plan_tiles(const ArchConfig& arch, const LoweredNetwork& net,
                             std::vector<OpMemoryPlan>* plans = nullptr);

}  // namespace bitsys
