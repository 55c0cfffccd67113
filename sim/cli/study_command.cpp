// bitsys study: the BNN/CSQ comparison - table, JSON, CSV, Markdown report and plots.
#include <cstdio>
#include <iostream>
#include <sys/stat.h>

#include <boost/program_options.hpp>

#include "sim/cli/cli_options.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress.h"
#include "sim/io/input_error.h"
#include "sim/report/atomic_file.h"
#include "sim/study/study.h"

namespace po = boost::program_options;

namespace bitsys {

int cmd_study(const std::vector<std::string>& args) {
  std::string plan_path, out_dir = "out";
  bool plots = true, quiet = false;
  RunOptions opt;
  po::options_description d("bitsys study options");
  d.add_options()
      ("plan,p", po::value(&plan_path)->default_value(std::string(BITSYS_SOURCE_DIR) + "/workloads/plans/study.json"), "study plan")
      ("out,o", po::value(&out_dir), "output directory (created if missing): study.json, study.csv, report.md, plots")
      ("fidelity", po::value(&opt.fidelity)->default_value("analytic"), "analytic or systemc (the sensitivity is always analytic)")
      ("no-plots", "skip the matplotlib plots")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys study [--plan PLAN] [--out DIR]", d, vm)) return 0;
  plots = !vm.count("no-plots");
  const StudyPlan plan = load_study_plan(plan_path);
  if (mkdir(out_dir.c_str(), 0755) != 0 && errno != EEXIST) fail_input(out_dir, "", "--out", "cannot create the directory");

  const StudyResult r = run_study(plan, opt, terminal_progress("study", !quiet));
  if (!quiet) print_study_table(std::cout, r);
  write_file_atomically(out_dir + "/study.json", render_study_json(r));
  write_file_atomically(out_dir + "/study.csv", render_study_csv(r));
  write_file_atomically(out_dir + "/report.md", render_study_markdown(r));
  if (plots) {
    const std::string cmd = "/usr/bin/python3 '" + std::string(BITSYS_SOURCE_DIR) + "/analysis/plot_study.py' '" + out_dir + "/study.json' '" +
                            out_dir + "'";
    if (std::system(cmd.c_str()) != 0) {
      std::cerr << "bitsys: error: plotting failed (" << cmd << "); the tables and report are written\n";
      return 1;
    }
  }
  if (!quiet) std::printf("\nwritten: %s/report.md, study.json, study.csv%s\n", out_dir.c_str(), plots ? ", plots (*.png)" : "");
  return 0;
}

}  // namespace bitsys
