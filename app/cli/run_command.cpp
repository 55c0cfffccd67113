// bitsys run: one workload on one architecture, optionally against a baseline.
#include <sys/stat.h>
#include <cerrno>
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/cli/progress.h"
#include "app/report/report.h"
#include "app/report/table.h"
#include "models/system/systemc_engine.h"
#include "sim/cost/energy.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/atomic_file.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/timing/analytic.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_run(const std::vector<std::string>& args) {
  std::string arch_path, workload_path, baseline_path, baseline_workload, json_path, csv_path, scalesim_dir, vcd_path,
      conventions, tech_path;
  double vcd_max_mb = 200;
  bool quiet = false;
  RunOptions opt;
  po::options_description d("bitsys run options");
  // clang-format off
  d.add_options()
      ("arch,a", po::value(&arch_path)->required(), "architecture: bitsys JSON or SCALE-Sim .cfg")
      ("workload,w", po::value(&workload_path)->required(), "network: bitsys JSON or SCALE-Sim topology CSV")
      ("baseline,b", po::value(&baseline_path), "baseline architecture to compare against")
      ("baseline-workload", po::value(&baseline_workload), "workload for the baseline (default: the same workload)")
      ("json", po::value(&json_path), "write the report as JSON")
      ("csv", po::value(&csv_path), "write the report as CSV")
      ("scalesim-report", po::value(&scalesim_dir), "write COMPUTE_REPORT.csv in SCALE-Sim's layout into this directory")
      ("conventions", po::value(&conventions), "bitsys (default) or scalesim: SCALE-Sim v2's output sizes and report arithmetic (analytic)")
      ("vcd", po::value(&vcd_path), "systemc: waveform of every PE's registers and the handshakes")
      ("tech", po::value(&tech_path), "technology file pricing energy and area (default: the architecture's tech, configs/tech/45nm.json unless it names another)")
      ("vcd-max-mb", po::value(&vcd_max_mb)->default_value(200), "refuse a waveform estimated larger than this")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  // clang-format on
  add_run_options(d, opt);
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys run --arch CONFIG --workload NETWORK [options]", d, vm)) return 0;
  check_output_path(json_path);
  check_output_path(csv_path);
  // --scalesim-report names a directory, as SCALE-Sim's run directory; it is created with the report.
  const std::string scalesim_report = scalesim_dir.empty() ? "" : scalesim_dir + "/COMPUTE_REPORT.csv";
  check_output_path(scalesim_report);

  // Read and check every input before simulating anything.
  ArchConfig arch = load_arch(arch_path);
  if (!conventions.empty()) {
    if (conventions != "bitsys" && conventions != "scalesim")
      fail_input("", "", "--conventions", unknown_name("conventions", conventions, "bitsys, scalesim"));
    arch.conventions = conventions == "scalesim" ? Conventions::ScaleSim : Conventions::Bitsys;
  }
  if (!tech_path.empty()) arch.tech = tech_path;
  cost_model(arch, load_tech(arch.tech));  // a bad technology file stops the run before it starts
  const Network workload = load_workload(workload_path);
  const LoweredNetwork net = lower_for(workload, arch);
  ArchConfig base_arch;
  LoweredNetwork base_net;
  if (!baseline_path.empty()) {
    base_arch = load_arch(baseline_path);
    if (!tech_path.empty()) base_arch.tech = tech_path;
    cost_model(base_arch, load_tech(base_arch.tech));
    base_net = lower_for(baseline_workload.empty() ? workload : load_workload(baseline_workload), base_arch);
  } else if (!baseline_workload.empty()) {
    fail_input("", "", "--baseline-workload", "needs --baseline");
  }

  if (!vcd_path.empty()) {
    if (opt.fidelity != "systemc")
      fail_input("", "", "--vcd", "waveforms come from the systemc fidelity (add --fidelity systemc)");
    check_output_path(vcd_path);
    // Every cycle can change each PE's 4 registers: about 4 x 24 bytes of VCD per PE per cycle.
    const double mb =
        static_cast<double>(analytic_network(arch, net).total_cycles) * arch.rows * arch.cols * 4 * 24 / 1e6;
    if (mb > vcd_max_mb)
      fail_input(vcd_path, "", "--vcd",
                 "the waveform would be about " + std::to_string(static_cast<long long>(mb)) + " MB (" +
                     arch.summary() + "), above --vcd-max-mb " + strf("%g", vcd_max_mb) +
                     "; trace a smaller workload or array");
    if (!make_parent_directories(vcd_path)) fail_input(vcd_path, "", "--vcd", "cannot create its folder");
    SystemCEngine::instance().open_trace(vcd_path, arch);
  }
  const RunResult run = run_network(arch, net, opt, terminal_progress(arch.name, !quiet));
  if (!vcd_path.empty()) SystemCEngine::instance().close_trace();
  RunResult base;
  Report report{&run, nullptr};
  if (!baseline_path.empty()) {
    base = run_network(base_arch, base_net, opt, terminal_progress(base_arch.name, !quiet));
    report.baseline = &base;
  }
  if (!quiet) print_table(std::cout, report);
  if (!json_path.empty()) write_file_atomically(json_path, render_json(report));
  if (!csv_path.empty()) write_file_atomically(csv_path, render_csv(report));
  if (!scalesim_report.empty()) write_file_atomically(scalesim_report, render_scalesim_compute_report(run));
  return 0;
}

BITSYS_REGISTER_COMMAND(run, "run", "simulate a workload on an architecture (optionally against a baseline)", cmd_run);

}  // namespace bitsys
