#include "sim/engine/runner.h"

#include <chrono>

#include "models/pe/pe_kind.h"
#include "sim/io/input_error.h"

namespace bitsys {

namespace {

double lane_utilization(const ArchConfig& arch, const LoweredOp& op, uint64_t cycles) {
  if (cycles == 0) return 0;
  const double useful = static_cast<double>(op.macs) * arch.pe->passes(op.act, op.weights);
  return useful / (static_cast<double>(cycles) * arch.rows * arch.cols * arch.lanes);
}

}  // namespace

double RunResult::utilization() const {
  double useful = 0;
  for (const auto& l : layers)
    if (l.op.placement == OpPlacement::Array) useful += l.utilization * static_cast<double>(l.run.cycles);
  return total_cycles ? useful / static_cast<double>(total_cycles) : 0;
}

RunResult run_network(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt, const Progress& progress) {
  Fidelity* fid = find_fidelity(opt.fidelity);
  if (!fid) fail_input("", "", "--fidelity", "unknown fidelity \"" + opt.fidelity + "\" (known: " + fidelity_names() + ")");
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r;
  r.arch = arch;
  r.workload = net.name;
  r.workload_file = net.file;
  r.fidelity = fid->name();
  r.total_macs = net.total_macs;
  r.verified = opt.verify;
  size_t done = 0;
  for (const auto& op : net.ops) {
    if (progress) progress(done, net.ops.size(), op.name);
    LayerResult lr;
    lr.op = op;
    if (op.placement == OpPlacement::Array) {
      lr.run = fid->run(arch, op, opt);
      lr.utilization = lane_utilization(arch, op, lr.run.cycles);
      if (__builtin_add_overflow(r.total_cycles, lr.run.cycles, &r.total_cycles))
        fail_input(net.file, "", "", "total cycle count overflows 64 bits");
      if (opt.verify && !lr.run.verified) throw std::runtime_error("layer '" + op.name + "': SystemC outputs differ from the reference GEMM");
    }
    r.layers.push_back(std::move(lr));
    ++done;
  }
  if (progress) progress(done, net.ops.size(), "");
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace bitsys
