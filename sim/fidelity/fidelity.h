// A fidelity times a whole lowered network on an architecture: cycles, stalls and data movement
// per op. Implementations register themselves (analytic in sim/timing, systemc in models/); the
// runner only names them. Both replay the same tile plan (sim/plan/tile_plan.h).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/ir/arch_config.h"
#include "sim/lowering/lowered.h"
#include "sim/plan/tile_plan.h"

namespace bitsys {

/// What a stall waited for: a tile's operands arriving (ifmap, filter, partial sums read back
/// into the ofmap buffer), or the output half it writes into being drained to DRAM.
enum StallCause { kStallIfmap = 0, kStallFilter = 1, kStallOfmap = 2, kStallWriteback = 3 };
constexpr int kStallCauses = 4;
const char* stall_cause_name(int c);

struct OpTiming {
  uint64_t compute = 0;  ///< cycles its tiles kept the array or vector unit busy
  uint64_t stall = 0;    ///< cycles its tiles waited for data (and, for the last op, the final writes)
  uint64_t beside = 0;   ///< vector-unit cycles applying its post-ops beside the array (in neither of the above)
  std::array<uint64_t, kStallCauses> stall_by{};  ///< stall split by cause (sums to stall)
  uint64_t cycles() const { return compute + stall; }
  PerBuffer dram_read{};    ///< bytes DRAM -> each buffer
  uint64_t dram_write = 0;  ///< bytes ofmap buffer -> DRAM
  PerBuffer sram_read{}, sram_write{};
  uint64_t dram_bytes() const { return dram_read[0] + dram_read[1] + dram_read[2] + dram_write; }
};

struct NetworkTiming {
  std::vector<OpTiming> ops;  ///< one per LoweredNetwork op (zeros for fused and free ops)
  std::vector<OpMemoryPlan> plans;
  uint64_t total_cycles = 0;
  uint64_t dram_read = 0, dram_written = 0;  ///< bytes the DRAM channel moved, whole network
  uint64_t layers_from_tensors = 0;          ///< systemc: GEMM layers computed on supplied tensors
  bool verified = false;                     ///< systemc --verify: every layer's output equal to the reference
  std::string mismatch;                      ///< the first difference when not verified
};

struct RunOptions {
  std::string fidelity = "analytic";
  bool verify = false;           ///< systemc: compare every layer's output with the whole-network reference
  uint64_t seed = 1;             ///< operand values (systemc)
  double max_pe_updates = 5e10;  ///< systemc: refuse networks beyond this many PE-cycles (~1.5 min)
  std::string tensors_dir;       ///< systemc: <layer>.input.npy / <layer>.weights.npy replace random operands
  bool write_outputs = false;    ///< systemc: write every layer's <layer>.output.npy into tensors_dir
  /// Called as layers start (done, total, layer name); done == total at the end.
  std::function<void(size_t, size_t, const std::string&)> progress;
};

class Fidelity {
 public:
  virtual ~Fidelity() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual bool computes_values() const = 0;  ///< whether --verify means anything
  virtual NetworkTiming run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) = 0;
};

void register_fidelity(std::unique_ptr<Fidelity> f);
Fidelity* find_fidelity(const std::string& name);
std::string fidelity_names();

/// A network must be lowered for the architecture's output stage (which post-ops are fused):
/// std::logic_error otherwise, a caller's bug (lower_for(net, arch)).
void check_lowered_for(const ArchConfig& arch, const LoweredNetwork& net);

/// Adds a tile's data movement to its op's counters (shared bookkeeping of both fidelities).
void account_tile(const Tile& t, OpTiming& op);
/// Adds `stall` cycles spent before tile t started. Load-bound stalls (the tile's operands came
/// last) are split over its operands in proportion to their bytes in the load; the others waited
/// for the output write-back.
void attribute_stall(const Tile& t, uint64_t stall, bool load_bound, OpTiming& op);

}  // namespace bitsys

#define BITSYS_REGISTER_FIDELITY(Class) \
  static const bool bitsys_registered_##Class = (::bitsys::register_fidelity(std::make_unique<Class>()), true)
