#include "sim/engine/runner.h"

#include <chrono>

#include "sim/io/input_error.h"
#include "sim/io/text_util.h"
#include "sim/pe/pe_kind.h"
#include "sim/values/supplied_params.h"

namespace bitsys {

namespace {

double useful_lane_products(const ArchConfig& arch, const LoweredOp& op) {
  return static_cast<double>(op.macs) * arch.pe->passes(op.act, op.weights);
}

}  // namespace

uint64_t RunResult::stall_cycles() const {
  uint64_t s = 0;
  for (const auto& l : layers) s += l.timing.stall;
  return s;
}

uint64_t RunResult::array_cycles() const {
  uint64_t s = 0;
  for (const auto& l : layers)
    if (l.op.placement == OpPlacement::Array) s += l.timing.compute;
  return s;
}

uint64_t RunResult::vector_cycles() const {
  uint64_t s = 0;
  for (const auto& l : layers)
    if (l.op.placement == OpPlacement::Vector) s += l.timing.compute;
  return s;
}

uint64_t RunResult::beside_cycles() const {
  uint64_t s = 0;
  for (const auto& l : layers) s += l.timing.beside;
  return s;
}

double RunResult::utilization() const {
  double useful = 0;
  for (const auto& l : layers)
    if (l.op.placement == OpPlacement::Array) useful += useful_lane_products(arch, l.op);
  return total_cycles ? useful / (static_cast<double>(total_cycles) * arch.rows * arch.cols * arch.lanes) : 0;
}

RunResult run_network(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt,
                      const Progress& progress) {
  Fidelity* fid = find_fidelity(opt.fidelity);
  if (!fid) fail_input("", "", "--fidelity", unknown_name("fidelity", opt.fidelity, fidelity_names()));
  if (opt.verify && !fid->computes_values())
    fail_input("", "", "--verify",
               "the " + fid->name() + " fidelity computes no values to verify (use --fidelity systemc)");
  if (!opt.tensors_dir.empty() && !fid->computes_values())
    fail_input("", "", "--tensors", "the " + fid->name() + " fidelity computes no values (use --fidelity systemc)");
  const auto t0 = std::chrono::steady_clock::now();
  RunOptions o = opt;
  o.progress = progress;
  // Trained per-channel parameters beside the tensors (imported networks) hold for this run only.
  const SuppliedParamsScope params(net, read_supplied_params(net, opt.tensors_dir));
  const NetworkTiming timing = fid->run(arch, net, o);
  if (progress) progress(net.ops.size(), net.ops.size(), "");
  RunResult r;
  r.arch = arch;
  r.workload = net.name;
  r.workload_file = net.file;
  r.fidelity = fid->name();
  r.total_macs = net.total_macs;
  r.batch = net.batch;
  r.total_cycles = timing.total_cycles;
  r.dram_read = timing.dram_read;
  r.dram_written = timing.dram_written;
  r.verified = timing.verified;
  r.layers_from_tensors = timing.layers_from_tensors;
  if (opt.verify && !timing.verified)
    throw std::runtime_error(net.name + ": SystemC outputs differ from the reference: " + timing.mismatch);
  for (size_t i = 0; i < net.ops.size(); ++i) {
    LayerResult lr;
    lr.op = net.ops[i];
    lr.timing = timing.ops[i];
    lr.memory = timing.plans[i];
    if (lr.op.placement == OpPlacement::Array) {
      lr.shape = analytic_gemm(arch, lr.op);
      const uint64_t c = lr.timing.cycles();
      lr.utilization =
          c ? useful_lane_products(arch, lr.op) / (static_cast<double>(c) * arch.rows * arch.cols * arch.lanes) : 0;
    }
    r.layers.push_back(std::move(lr));
  }
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace bitsys
