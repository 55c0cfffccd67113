// The SystemC fidelity: the network's tile plan replayed on the cycle-accurate system
// (controller, DRAM channel, array, vector unit). GEMMs compute real values from seeded random
// operands of each layer's precision, or from tensors the user supplies (--tensors); cycles are
// what the simulation measured.
#include <unistd.h>
#include <functional>

#include "models/system/systemc_engine.h"
#include "sim/fidelity/fidelity.h"
#include "sim/io/input_error.h"
#include "sim/io/npy.h"
#include "sim/lowering/im2col.h"
#include "sim/pe/operand_encoding.h"
#include "sim/timing/analytic.h"

namespace bitsys {
namespace {

/// Operands and outputs of the GEMM group being computed; groups run one after another.
class GroupOperands {
 public:
  GroupOperands(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt)
      : arch_(arch), net_(net), opt_(opt) {}

  FoldJob fold_of(const Tile& t) {
    if (!live_ || t.op != op_ || t.group != group_) begin(t.op, t.group);
    return FoldJob{arch_.dataflow, beats_.A.data(), beats_.W.data(), out_.data(), beats_.M, beats_.Kb,
                   beats_.N,       t.row0,          t.col0,          t.t0,        t.tlen};
  }

  /// Checks the group just computed; false when its outputs differ from the reference. With
  /// supplied tensors and write_outputs, the layer's output file is written after its last group.
  bool finish() {
    const bool ok = !live_ || !opt_.verify || out_ == reference_gemm(ints_);
    if (live_ && supplied_ && opt_.write_outputs) {
      const LoweredOp& o = net_.ops[op_];
      scatter_outputs(o, net_.batch, group_, out_, layer_out_);
      if (group_ + 1 == static_cast<uint32_t>(o.gemm.groups))
        write_npy(opt_.tensors_dir + "/" + o.name + ".output.npy", output_shape(o, net_.batch), layer_out_);
    }
    live_ = false;
    return ok;
  }

  /// Forgets the current group without checking or writing it (for the up-front check).
  void discard() { live_ = false; }

  bool all_equal = true;
  uint64_t layers_from_tensors = 0;

 private:
  void begin(uint32_t op, uint32_t group) {
    all_equal = finish() && all_equal;
    const LoweredOp& o = net_.ops[op];
    supplied_ = load_tensors(op);
    std::string files;
    if (supplied_) {
      ints_ = gemm_operands(o, net_.batch, group, input_, in_file_, weights_, w_file_);
      files = in_file_ + " / " + w_file_;
    } else {
      const uint64_t seed =
          opt_.seed ^ std::hash<std::string>{}(o.name) ^ (static_cast<uint64_t>(group) * 0x9E3779B97F4A7C15ull);
      ints_ = random_gemm(o.gemm.M, o.gemm.K, o.gemm.N, o.act, o.weights, seed);
    }
    try {
      beats_ = encode_gemm(*arch_.pe, arch_.lanes, o.act, o.weights, ints_);
    } catch (const std::invalid_argument& e) {
      if (!supplied_) throw;
      fail_input(files, "layer '" + o.name + "'", "", e.what());  // a supplied value outside the layer's precision
    }
    out_.assign(static_cast<size_t>(beats_.M * beats_.N), 0);
    op_ = op;
    group_ = group;
    live_ = true;
  }

  /// Loads <layer>.input.npy and <layer>.weights.npy once per layer; false when neither exists.
  bool load_tensors(uint32_t op) {
    if (opt_.tensors_dir.empty()) return false;
    const LoweredOp& o = net_.ops[op];
    if (loaded_ == static_cast<int64_t>(op)) return true;
    in_file_ = opt_.tensors_dir + "/" + o.name + ".input.npy";
    w_file_ = opt_.tensors_dir + "/" + o.name + ".weights.npy";
    const bool has_in = access(in_file_.c_str(), R_OK) == 0, has_w = access(w_file_.c_str(), R_OK) == 0;
    if (!has_in && !has_w) return false;
    if (has_in != has_w)
      fail_input(has_in ? in_file_ : w_file_, "layer '" + o.name + "'", "",
                 "comes without its " + std::string(has_in ? "weights" : "input") + " file");
    input_ = read_npy(in_file_);
    weights_ = read_npy(w_file_);
    loaded_ = op;
    ++layers_from_tensors;
    if (opt_.write_outputs) {
      uint64_t n = 1;
      for (int64_t d : output_shape(o, net_.batch)) n *= static_cast<uint64_t>(d);
      layer_out_.assign(n, 0);
    }
    return true;
  }

  const ArchConfig& arch_;
  const LoweredNetwork& net_;
  const RunOptions& opt_;
  bool supplied_ = false;
  int64_t loaded_ = -1;
  std::string in_file_, w_file_;
  NpyArray input_, weights_;
  std::vector<int64_t> layer_out_;
  IntGemm ints_;
  BeatGemm beats_;
  std::vector<int64_t> out_;
  uint32_t op_ = 0, group_ = 0;
  bool live_ = false;
};

class SystemCFidelity final : public Fidelity {
 public:
  std::string name() const override { return "systemc"; }
  std::string summary() const override {
    return "cycle-accurate SystemC system (array computing real values, DRAM, vector unit)";
  }
  bool computes_values() const override { return true; }

  NetworkTiming run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) override {
    // The closed form sizes the job first, so a run that would take hours is refused up front.
    double updates = 0;
    for (const auto& op : net.ops)
      if (op.placement == OpPlacement::Array)
        updates += static_cast<double>(analytic_gemm(arch, op).cycles) * arch.rows * arch.cols;
    if (updates > opt.max_pe_updates)
      fail_input(arch.file, "", "",
                 "the network needs " + std::to_string(updates) + " PE-cycles, above the SystemC limit " +
                     std::to_string(opt.max_pe_updates) + " (use --fidelity analytic, or raise --max-pe-updates)");
    NetworkTiming out;
    out.ops.resize(net.ops.size());
    const std::vector<Tile> tiles = plan_tiles(arch, net, &out.plans);
    if (!opt.tensors_dir.empty()) {
      // Supplied tensors are checked whole before the simulation starts, so a bad file is a clean
      // input error rather than a failure inside a SystemC process.
      GroupOperands check(arch, net, opt);
      for (uint32_t i = 0; i < net.ops.size(); ++i)
        if (net.ops[i].placement == OpPlacement::Array)
          for (int64_t g = 0; g < net.ops[i].gemm.groups; ++g) {
            Tile t;
            t.op = i;
            t.group = static_cast<uint32_t>(g);
            check.fold_of(t);
            check.discard();
          }
    }
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
    const bool last_group_ok = operands.finish();  // also writes the last layer's output file
    out.verified = opt.verify && last_group_ok && operands.all_equal;
    out.layers_from_tensors = operands.layers_from_tensors;
    uint64_t accounted = 0;
    for (size_t i = 0; i < tiles.size(); ++i) {
      OpTiming& o = out.ops[tiles[i].op];
      attribute_stall(tiles[i], job.stall[i], job.load_bound[i], o);
      o.compute += job.busy[i];
      account_tile(tiles[i], o);
      accounted += job.stall[i] + job.busy[i];
    }
    if (!tiles.empty()) {  // the final writes
      out.ops[tiles.back().op].stall += job.total_cycles - accounted;
      out.ops[tiles.back().op].stall_by[kStallWriteback] += job.total_cycles - accounted;
    }
    out.total_cycles = job.total_cycles;
    return out;
  }
};

}  // namespace

BITSYS_REGISTER_FIDELITY(SystemCFidelity);

}  // namespace bitsys
