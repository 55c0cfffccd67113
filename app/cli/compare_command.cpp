// bitsys compare: a plan of (architecture, workload) cases in one table.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include <map>
#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/io/input_error.h"

#include <nlohmann/json.hpp>

#include "app/cli/progress.h"
#include "app/report/report.h"
#include "app/report/table.h"
#include "sim/cost/energy.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/atomic_file.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

struct PlanCase {
  std::string label, arch, workload, baseline;
};

std::vector<PlanCase> load_plan(const std::string& file) {
  JsonDocument doc = JsonDocument::load(file, "plan", false);
  JsonFields& f = doc.fields();
  const auto& cases = f.raw("cases");
  if (!cases.is_array() || cases.empty()) f.fail("cases", "must be a non-empty array");
  std::vector<PlanCase> out;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < cases.size(); ++i) {
    JsonFields c(cases[i], file, "case #" + std::to_string(i));
    PlanCase p;
    p.label = c.string("label");
    p.arch = resolve_relative(file, c.string("arch"));
    p.workload = resolve_relative(file, c.string("workload"));
    p.baseline = c.string("baseline", "");
    c.finish();
    if (index.count(p.label)) c.fail("label", "duplicate label '" + p.label + "'");
    if (!p.baseline.empty() && !index.count(p.baseline))
      c.fail("baseline", "no earlier case labelled '" + p.baseline + "'");
    index[p.label] = out.size();
    out.push_back(p);
  }
  f.finish();
  return out;
}

}  // namespace

static int cmd_compare(const std::vector<std::string>& args) {
  std::string plan_path, json_path, csv_path;
  bool quiet = false;
  RunOptions opt;
  po::options_description d("bitsys compare options");
  // clang-format off
  d.add_options()
      ("plan,p", po::value(&plan_path)->required(), "comparison plan: JSON list of {label, arch, workload, baseline}")
      ("json", po::value(&json_path), "write all runs as JSON")
      ("csv", po::value(&csv_path), "write the summary as CSV")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  // clang-format on
  add_run_options(d, opt);
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys compare --plan PLAN [options]", d, vm)) return 0;
  check_output_path(json_path);
  check_output_path(csv_path);

  const auto plan = load_plan(plan_path);
  std::vector<std::pair<ArchConfig, LoweredNetwork>> inputs;
  for (const auto& c : plan) {
    ArchConfig a = load_arch(c.arch);
    LoweredNetwork net = lower_for(load_workload(c.workload), a);
    inputs.emplace_back(std::move(a), std::move(net));
    cost_model(inputs.back().first, load_tech(inputs.back().first.tech));  // a bad technology file, before any run
  }

  std::vector<RunResult> runs;
  std::map<std::string, size_t> by_label;
  for (size_t i = 0; i < plan.size(); ++i) {
    runs.push_back(run_network(inputs[i].first, inputs[i].second, opt, terminal_progress(plan[i].label, !quiet)));
    by_label[plan[i].label] = i;
  }

  nlohmann::json all = nlohmann::json::array();
  std::string csv =
      "label,workload,arch,pe_kind,dataflow,rows,cols,macs,cycles,stall_cycles,vector_cycles,dram_bytes,milliseconds,"
      "utilization,baseline,speedup,energy_j,area_mm2,power_w,edp_js\n";
  using T = TextTable;
  TextTable table({{"case"},
                   {"workload"},
                   {"architecture"},
                   {"MACs", T::kRight},
                   {"cycles", T::kRight},
                   {"vector", T::kRight},
                   {"stalls", T::kRight},
                   {"DRAM MB", T::kRight},
                   {"ms", T::kRight},
                   {"util%", T::kRight},
                   {"speed-up", T::kRight},
                   {"mJ", T::kRight},
                   {"mm2", T::kRight}});
  for (size_t i = 0; i < plan.size(); ++i) {
    const RunResult& r = runs[i];
    const RunResult* base = plan[i].baseline.empty() ? nullptr : &runs[by_label[plan[i].baseline]];
    const Report rep{&r, base};
    const RunCost cost = run_cost(r, load_tech(r.arch.tech));
    table.add_row({plan[i].label, r.workload, r.arch.summary(), human_count(static_cast<double>(r.total_macs)),
                   with_commas(r.total_cycles), with_commas(r.vector_cycles()), with_commas(r.stall_cycles()),
                   strf("%.2f", static_cast<double>(r.dram_read + r.dram_written) / 1e6),
                   strf("%.3f", r.milliseconds()), strf("%.1f", 100 * r.utilization()),
                   base ? strf("%.2fx", rep.speedup()) : "-", strf("%.3g", cost.energy_j() * 1e3),
                   strf("%.3g", cost.model.area_mm2())});
    auto j = nlohmann::json::parse(render_json(rep));
    j["label"] = plan[i].label;
    j["baseline_label"] = plan[i].baseline;
    all.push_back(j);
    csv += strf("%s,%s,%s,%s,%s,%d,%d,%llu,%llu,%llu,%llu,%llu,%.6f,%.6f,%s,%s,%.6g,%.6g,%.6g,%.6g\n",
                plan[i].label.c_str(), r.workload.c_str(), r.arch.name.c_str(), r.arch.pe_name().c_str(),
                dataflow_info(r.arch.dataflow).name, r.arch.rows, r.arch.cols,
                static_cast<unsigned long long>(r.total_macs), static_cast<unsigned long long>(r.total_cycles),
                static_cast<unsigned long long>(r.stall_cycles()), static_cast<unsigned long long>(r.vector_cycles()),
                static_cast<unsigned long long>(r.dram_read + r.dram_written), r.milliseconds(), r.utilization(),
                plan[i].baseline.c_str(), base ? std::to_string(rep.speedup()).c_str() : "", cost.energy_j(),
                cost.model.area_mm2(), cost.power_w(), cost.edp_js());
  }
  if (!quiet) {
    std::printf("bitsys compare (%s fidelity): %s\n", opt.fidelity.c_str(), plan_path.c_str());
    table.print(std::cout);
    std::printf(
        "cycles include the vector unit and stalls; speed-up = baseline cycles / case cycles; mJ = energy of the run, "
        "mm2 = silicon area (README \"Energy and area\")\n");
    if (opt.verify) std::printf("every layer of every case equals the whole-network reference\n");
  }
  if (!json_path.empty()) write_file_atomically(json_path, all.dump(2) + "\n");
  if (!csv_path.empty()) write_file_atomically(csv_path, csv);
  return 0;
}

BITSYS_REGISTER_COMMAND(compare, "compare",
                        "run a plan of (architecture, workload) cases and print one comparison table", cmd_compare);

}  // namespace bitsys
