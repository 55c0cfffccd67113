#include "sim/timing/analytic.h"

#include "models/pe/pe_kind.h"
#include "sim/io/input_error.h"

namespace bitsys {

uint64_t fold_cycles(const ArchConfig& arch, int64_t T) {
  return static_cast<uint64_t>(2 * arch.rows + arch.cols) + static_cast<uint64_t>(T) - 2;
}

GemmRun analytic_gemm(const ArchConfig& arch, const LoweredOp& op) {
  const std::string why = arch.pe->check(op.act, op.weights);
  if (!why.empty()) fail_input(arch.file, "layer '" + op.name + "'", "pe.kind", arch.pe_name() + " cannot run " + op.act.str() + " x " + op.weights.str() + ": " + why);
  const GemmShape& g = op.gemm;
  GemmRun r;
  r.Kb = beats_for(*arch.pe, g.K, arch.lanes, op.act, op.weights);
  r.space = dataflow_info(arch.dataflow).map(g.M, r.Kb, g.N);
  const uint64_t per_group = static_cast<uint64_t>((r.space.Sr + arch.rows - 1) / arch.rows) *
                             static_cast<uint64_t>((r.space.Sc + arch.cols - 1) / arch.cols);
  unsigned __int128 folds = static_cast<unsigned __int128>(per_group) * static_cast<uint64_t>(g.groups);
  unsigned __int128 cycles = folds * fold_cycles(arch, r.space.T);
  if (cycles >> 64) fail_input(arch.file, "layer '" + op.name + "'", "", "cycle count overflows 64 bits");
  r.folds = static_cast<uint64_t>(folds);
  r.cycles = static_cast<uint64_t>(cycles);
  return r;
}

namespace {

class AnalyticFidelity final : public Fidelity {
 public:
  std::string name() const override { return "analytic"; }
  std::string summary() const override { return "closed-form cycles, equal to the SystemC model's"; }
  GemmRun run(const ArchConfig& arch, const LoweredOp& op, const RunOptions&) override { return analytic_gemm(arch, op); }
};

}  // namespace

BITSYS_REGISTER_FIDELITY(AnalyticFidelity);

}  // namespace bitsys
