// The tile plan: how a lowered network moves through the buffers and units, as a sequence of
// tiles. It fixes *what* each tile computes and moves (streamed beats, element operations, bytes
// at each operand's precision) and carries no duration: the analytic model (sim/timing) derives
// cycles in closed form, the SystemC model (models/) by running its modules.
// Rules and loop orders: README "Memory system".
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/ir/arch_config.h"
#include "sim/lowering/lowered.h"
#include "sim/plan/memory_map.h"

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
  /// The GEMM regions the tile touches (group `group`): A rows [m0, m1) x K [k0, k1), W K [k0, k1)
  /// x columns [n0, n1), results [m0, m1) x [n0, n1). Vector tiles: output elements [m0, m1).
  int64_t m0 = 0, m1 = 0, k0 = 0, k1 = 0, n0 = 0, n1 = 0;
  /// Its fold's results [om0, om1) x [on0, on1) (set on every tile of a fold that emits results);
  /// the fold's last tile writes them back (vector tiles: output elements [om0, om1)).
  int64_t om0 = 0, om1 = 0, on0 = 0, on1 = 0;
  bool load_a = false, load_w = false;  ///< its A / W region comes from DRAM into its halves
  uint8_t load_resident = 0;            ///< bit b: it brings buffer b's resident tensor (the op's first tile)
  bool emits = false;                   ///< its fold produces final results (written back by the fold's last tile)
  bool keep = false;                    ///< ... kept on chip for the next op instead of written to DRAM
  bool after_previous = false;          ///< its load reads what the previous tile writes: issued after that write
  uint32_t in_mask = 0;                 ///< vector tiles: inputs loaded from DRAM (bit k = input k)
  /// A fold's last tile, when its op's last post-ops run beside the array: the vector unit's
  /// element operations on the fold's staged results, and the ofmap-buffer bytes it reads
  /// (staged) and writes (final) doing them.
  uint64_t post_work = 0, post_read = 0, post_write = 0;
  /// A fold's first tile: bytes of the post-ops' other operands (an add's) for the fold's
  /// results, loaded from DRAM into the fold's room in the ofmap buffer as the fold starts.
  uint64_t post_load = 0;
  /// Array: the streamed time steps (beats) this tile feeds into its fold - OS: reduction beats,
  /// WS/IS: streamed elements of the fold's T. Vector: element operations.
  uint64_t work = 0;
  PerBuffer dram_read{};    ///< DRAM -> buffer bytes, loaded before the tile starts
  uint64_t dram_write = 0;  ///< ofmap buffer -> DRAM bytes, written after the tile ends
  PerBuffer sram_read{};    ///< buffer -> unit bytes
  PerBuffer sram_write{};   ///< bytes written into each buffer (loads, outputs, partial sums)
  PerBuffer hold{};         ///< bytes the tile occupies in one half of each buffer
  PerBuffer
      fill{};  ///< ifmap, filter: bytes its load puts in its half; ofmap (a fold's first tile): the fold's results
  PerBuffer resident{};  ///< the op's resident region so far: whole tensors loaded once, the partial-sum slab

  uint64_t load_bytes() const { return dram_read[0] + dram_read[1] + dram_read[2]; }
};

/// The spans a tile moves: per buffer, into its half and into the op's resident region, and from
/// its ofmap half to DRAM. One definition for both fidelities: the plan counts their bytes, the
/// SystemC model moves them.
struct TileTransfers {
  bool keep_spans = true;  ///< false: count bytes only
  std::vector<Span> half[kOfmap], resident[kOfmap], store;
  std::vector<Span> results;   ///< where the fold's results go (a fold's tiles; spans kept only)
  std::vector<Span> staged;    ///< ... and where the stage leaves them for the vector unit beside the array
  std::vector<Span> operands;  ///< a fold's first tile: its post-ops' other operands (post_load)
  uint64_t half_bytes[kOfmap] = {}, resident_bytes[kOfmap] = {}, store_bytes = 0;
  /// The byte ranges each load and the store lie within, to find a load that reads a write.
  std::vector<std::pair<uint64_t, uint64_t>> load_hulls;
  std::pair<uint64_t, uint64_t> store_hull{UINT64_MAX, 0};
  void clear();
  void note_load(const SpanList& l) { load_hulls.emplace_back(l.lo(), l.hi()); }
};
void tile_transfers(const ArchConfig& arch, const LoweredNetwork& net, const MemoryMap& map, const Tile& t,
                    TileTransfers& out);

/// WS/IS partial sums of a column block `cols` wide (of `span` columns in all) lie in the slab
/// row by row, `slab_stride` entries a row. Folds one after another: the block's width. Folds
/// overlapping: the widest block's, for every block, since the next block's first fold writes
/// its first rows while this block's last fold still reads its own; at one stride the same
/// entry is the same row and column, written T + R cycles after it was read.
inline int64_t slab_stride(const ArchConfig& arch, int64_t span, int64_t cols) {
  return arch.schedule == FoldSchedule::Overlapped ? std::min<int64_t>(arch.cols, span) : cols;
}

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
