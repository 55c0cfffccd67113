// The SystemC fidelity: every GEMM layer runs on the cycle-accurate array with seeded random
// operands of the layer's precision; cycles are what the simulation measured.
#include <functional>

#include "models/array/systemc_engine.h"
#include "models/pe/operand_encoding.h"
#include "sim/engine/fidelity.h"
#include "sim/io/input_error.h"
#include "sim/timing/analytic.h"

namespace bitsys {
namespace {

class SystemCFidelity final : public Fidelity {
 public:
  std::string name() const override { return "systemc"; }
  std::string summary() const override { return "cycle-accurate SystemC array computing real values"; }

  GemmRun run(const ArchConfig& arch, const LoweredOp& op, const RunOptions& opt) override {
    // The closed form sizes the job first, so a run that would take hours is refused up front.
    const GemmRun estimate = analytic_gemm(arch, op);
    const double updates = static_cast<double>(estimate.cycles) * arch.rows * arch.cols;
    if (updates > opt.max_pe_updates)
      fail_input(arch.file, "layer '" + op.name + "'", "",
                 "needs " + std::to_string(updates) + " PE-cycles, above the SystemC limit " + std::to_string(opt.max_pe_updates) +
                     " (use --fidelity analytic, or raise --max-pe-updates)");
    const GemmShape& g = op.gemm;
    GemmRun r;
    r.verified = opt.verify;
    std::vector<int64_t> out;
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const uint64_t seed = opt.seed ^ std::hash<std::string>{}(op.name) ^ (static_cast<uint64_t>(grp) * 0x9E3779B97F4A7C15ull);
      const IntGemm ints = random_gemm(g.M, g.K, g.N, op.act, op.weights, seed);
      const BeatGemm beats = encode_gemm(*arch.pe, arch.lanes, op.act, op.weights, ints);
      const ArrayJob job = SystemCEngine::instance().run({arch.rows, arch.cols, arch.dataflow, arch.pe}, beats, out);
      r.Kb = beats.Kb;
      r.space = dataflow_info(arch.dataflow).map(g.M, beats.Kb, g.N);
      r.folds += job.folds;
      r.cycles += job.cycles;
      if (opt.verify && out != reference_gemm(ints)) r.verified = false;
    }
    return r;
  }
};

}  // namespace

BITSYS_REGISTER_FIDELITY(SystemCFidelity);

}  // namespace bitsys
