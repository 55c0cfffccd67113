// The SystemC fidelity: the network's tile plan replayed on the cycle-accurate system
// (controller, DRAM channel, array, vector unit). GEMMs compute real values from seeded random
// operands of each layer's precision; cycles are what the simulation measured.
#include <functional>

#include "models/pe/operand_encoding.h"
#include "models/system/systemc_engine.h"
#include "sim/engine/fidelity.h"
#include "sim/io/input_error.h"
#include "sim/timing/analytic.h"

namespace bitsys {
namespace {

/// Operands and outputs of the GEMM group being computed; groups run one after another.
class GroupOperands {
 public:
  GroupOperands(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) : arch_(arch), net_(net), opt_(opt) {}

  FoldJob fold_of(const Tile& t) {
    if (!live_ || t.op != op_ || t.group != group_) begin(t.op, t.group);
    return FoldJob{arch_.dataflow, beats_.A.data(), beats_.W.data(), out_.data(), beats_.M, beats_.Kb, beats_.N, t.row0, t.col0, t.t0, t.tlen};
  }

  /// Checks the group just computed; false when its outputs differ from the reference.
  bool finish() {
    const bool ok = !live_ || !opt_.verify || out_ == reference_gemm(ints_);
    live_ = false;
    return ok;
  }

  bool all_equal = true;

 private:
  void begin(uint32_t op, uint32_t group) {
    all_equal = finish() && all_equal;
    const LoweredOp& o = net_.ops[op];
    const uint64_t seed = opt_.seed ^ std::hash<std::string>{}(o.name) ^ (static_cast<uint64_t>(group) * 0x9E3779B97F4A7C15ull);
    ints_ = random_gemm(o.gemm.M, o.gemm.K, o.gemm.N, o.act, o.weights, seed);
    beats_ = encode_gemm(*arch_.pe, arch_.lanes, o.act, o.weights, ints_);
    out_.assign(static_cast<size_t>(beats_.M * beats_.N), 0);
    op_ = op;
    group_ = group;
    live_ = true;
  }

  const ArchConfig& arch_;
  const LoweredNetwork& net_;
  const RunOptions& opt_;
  IntGemm ints_;
  BeatGemm beats_;
  std::vector<int64_t> out_;
  uint32_t op_ = 0, group_ = 0;
  bool live_ = false;
};

class SystemCFidelity final : public Fidelity {
 public:
  std::string name() const override { return "systemc"; }
  std::string summary() const override { return "cycle-accurate SystemC system (array computing real values, DRAM, vector unit)"; }
  bool computes_values() const override { return true; }

  NetworkTiming run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) override {
    // The closed form sizes the job first, so a run that would take hours is refused up front.
    double updates = 0;
    for (const auto& op : net.ops)
      if (op.placement == OpPlacement::Array) updates += static_cast<double>(analytic_gemm(arch, op).cycles) * arch.rows * arch.cols;
    if (updates > opt.max_pe_updates)
      fail_input(arch.file, "", "", "the network needs " + std::to_string(updates) + " PE-cycles, above the SystemC limit " +
                                        std::to_string(opt.max_pe_updates) + " (use --fidelity analytic, or raise --max-pe-updates)");
    NetworkTiming out;
    out.ops.resize(net.ops.size());
    const std::vector<Tile> tiles = plan_tiles(arch, net, &out.plans);
    GroupOperands operands(arch, net, opt);
    ControllerJob job;
    job.tiles = &tiles;
    job.fold_of = [&](const Tile& t) { return operands.fold_of(t); };
    uint32_t shown = UINT32_MAX;
    job.on_tile = [&](size_t i) {
      if (!opt.progress || tiles[i].op == shown) return;
      shown = tiles[i].op;
      opt.progress(shown, net.ops.size(), net.ops[shown].name);
    };
    SystemCEngine::instance().run(arch, job, &out.dram_read, &out.dram_written);
    out.verified = opt.verify && operands.finish() && operands.all_equal;
    uint64_t accounted = 0;
    for (size_t i = 0; i < tiles.size(); ++i) {
      OpTiming& o = out.ops[tiles[i].op];
      o.stall += job.stall[i];
      o.compute += job.busy[i];
      account_tile(tiles[i], o);
      accounted += job.stall[i] + job.busy[i];
    }
    if (!tiles.empty()) out.ops[tiles.back().op].stall += job.total_cycles - accounted;  // the final writes
    out.total_cycles = job.total_cycles;
    return out;
  }
};

}  // namespace

BITSYS_REGISTER_FIDELITY(SystemCFidelity);

}  // namespace bitsys
