// bitsys activity: the switching activity of bitsys's synthesized PEs, measured on their gate
// netlists under random operands of each precision, against the activity the technology file
// assumes (configs/tech/README.md, "Activity"), and what it does to a PE beat's energy.
#include <iostream>
#include <map>

#include <boost/program_options.hpp>

#include "app/activity/pe_activity.h"
#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/report/table.h"
#include "sim/cost/energy.h"
#include "sim/cost/tech.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

struct Case {
  const char* kind;
  int lanes;
  ActPrecision a;
  WeightPrecision w;
};

ActPrecision act(int bits, bool is_signed) {
  ActPrecision a;
  a.bits = bits;
  a.is_signed = is_signed;
  return a;
}

/// A run priced twice: with the technology's assumed activities, and with each array layer's
/// measured at its own precisions (PE compute and array data movement change; the rest does not).
int run_with_measured_activity(const std::string& arch_path, const std::string& workload_path, const Tech& t,
                               const ActivityResult& adder, uint64_t beats, uint64_t seed, const std::string& workdir) {
  ArchConfig arch = load_arch(arch_path);
  arch.tech = t.file;
  const RunResult run = run_network(arch, lower(load_workload(workload_path)), RunOptions{});
  const RunCost cost = run_cost(run, t);
  std::map<std::string, ActivityResult> measured;  // by precision pair
  Energy re = cost.total;
  for (size_t i = 0; i < run.layers.size(); ++i) {
    const LayerResult& l = run.layers[i];
    if (l.op.placement != OpPlacement::Array) continue;
    const std::string pair = l.op.act.str() + " x " + l.op.weights.str();
    auto it = measured.find(pair);
    if (it == measured.end())
      it = measured
               .emplace(pair,
                        measure_pe_activity(arch.pe_name(), arch.lanes, l.op.act, l.op.weights, beats, seed, workdir))
               .first;
    const double logic = it->second.logic_activity / adder.logic_activity;  // relative to the calibration
    const double regs = it->second.register_activity / t.register_activity;
    re.pj[kPeCompute] += cost.layers[i].pj[kPeCompute] * (logic - 1);
    re.pj[kArrayMovement] += cost.layers[i].pj[kArrayMovement] * (regs - 1);
  }
  std::cout << run.workload << " on " << arch.name << " (" << arch.summary() << "), " << t.name
            << ": energy with the assumed activities and with each layer's measured one ("
            << plural(measured.size(), "precision pair") << ", " << beats << " beats each)\n";
  using T = TextTable;
  TextTable table({{"component"}, {"assumed", T::kRight}, {"measured", T::kRight}, {"change", T::kRight}});
  for (int p : {kPeCompute, kArrayMovement})
    table.add_row({energy_part_name(p), strf("%.4g uJ", cost.total.pj[p] * 1e-6), strf("%.4g uJ", re.pj[p] * 1e-6),
                   strf("%+.0f%%", 100 * (re.pj[p] / cost.total.pj[p] - 1))});
  table.add_row({"total", strf("%.4g uJ", cost.total.total_pj() * 1e-6), strf("%.4g uJ", re.total_pj() * 1e-6),
                 strf("%+.1f%%", 100 * (re.total_pj() / cost.total.total_pj() - 1))});
  table.print(std::cout);
  return 0;
}

}  // namespace

static int cmd_activity(const std::vector<std::string>& args) {
  uint64_t beats = 4096, seed = 1;
  std::string workdir = "out/activity", tech_path, arch_path, workload_path;
  po::options_description d("bitsys activity options");
  // clang-format off
  d.add_options()
      ("beats", po::value(&beats)->default_value(4096), "beats simulated per PE and precision")
      ("seed", po::value(&seed)->default_value(1), "operand values")
      ("tech", po::value(&tech_path)->default_value("configs/tech/45nm.json"), "technology whose assumed activities and energies are compared")
      ("workdir", po::value(&workdir)->default_value("out/activity"), "synthesized netlists (reused when present)")
      ("arch,a", po::value(&arch_path), "with --workload: a run's energy with the measured activities of its layers' precisions")
      ("workload,w", po::value(&workload_path), "with --arch: the network");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys activity [options]", d, vm)) return 0;
  if (arch_path.empty() != workload_path.empty()) fail_input("", "", "--arch", "--arch and --workload go together");
  const Tech& t = load_tech(tech_path);
  const ActivityResult adder = measure_adder_activity(beats, seed, workdir);
  if (!arch_path.empty()) return run_with_measured_activity(arch_path, workload_path, t, adder, beats, seed, workdir);
  const std::vector<Case> cases = {
      {"int8", 1, act(8, true), WeightPrecision::twos(8)},
      {"int8", 1, act(8, false), WeightPrecision::twos(8)},
      {"int8", 1, act(4, false), WeightPrecision::twos(4)},
      {"int8", 1, act(2, false), WeightPrecision::twos(2)},
      {"binary", 64, act(1, true), WeightPrecision::twos(1)},
      {"binary", 64, act(2, false), WeightPrecision::twos(2)},
      {"binary", 64, act(4, false), WeightPrecision::twos(4)},
      {"binary", 64, act(8, false), WeightPrecision::twos(8)},
      {"bitserial", 8, act(8, false), WeightPrecision::twos(8)},
      {"bitserial", 8, act(8, false), WeightPrecision::twos(4)},
      {"bitserial", 8, act(8, false), WeightPrecision::twos(2)},
      {"bitserial", 8, act(8, true), WeightPrecision::twos(1)},
  };
  using T = TextTable;
  TextTable table({{"PE"},
                   {"operands"},
                   {"logic act.", T::kRight},
                   {"vs adder", T::kRight},
                   {"reg. act.", T::kRight},
                   {"beat pJ assumed", T::kRight},
                   {"beat pJ measured", T::kRight},
                   {"change", T::kRight}});
  for (const Case& c : cases) {
    const ActivityResult r = measure_pe_activity(c.kind, c.lanes, c.a, c.w, beats, seed, workdir);
    // gate_energy is calibrated on the adder at logic_activity: a PE's logic costs its measured
    // activity relative to the adder's (zero-delay counts: glitching assumed alike in both).
    const double rel = r.logic_activity / adder.logic_activity;
    const double clock = static_cast<double>(r.flip_flops) * t.clock_energy_pj;
    const double assumed = r.logic_nand2 * t.gate_energy_pj * t.logic_activity +
                           static_cast<double>(r.flip_flops) * t.register_activity * t.flip_flop_energy_pj + clock;
    const double measured = r.logic_nand2 * t.gate_energy_pj * t.logic_activity * rel +
                            static_cast<double>(r.flip_flops) * r.register_activity * t.flip_flop_energy_pj + clock;
    table.add_row({std::string(c.kind) + " L" + std::to_string(c.lanes), c.a.str() + " x " + c.w.str(),
                   strf("%.3f", r.logic_activity), strf("%.2f", rel), strf("%.3f", r.register_activity),
                   strf("%.3f", assumed), strf("%.3f", measured), strf("%+.0f%%", 100 * (measured / assumed - 1))});
  }
  std::cout << "switching activity per beat, weight stationary, random operands (" << beats
            << " beats each, every accumulator checked against the golden model); 8-bit adder: "
            << strf("%.3f", adder.logic_activity) << " transitions per NAND2-eq per operation\n";
  table.print(std::cout);
  std::cout << "beat pJ: logic + registers + clock of one PE at " << t.name << " (" << t.file
            << "); assumed = logic_activity " << strf("%g", t.logic_activity) << " and register_activity "
            << strf("%g", t.register_activity) << ", measured = the adder-relative logic activity and the measured "
            << "register activity\n";
  return 0;
}

BITSYS_REGISTER_COMMAND(activity, "activity",
                        "measure the switching activity of the synthesized PEs per precision (gate-level simulation)",
                        cmd_activity);

}  // namespace bitsys
