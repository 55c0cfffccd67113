// bitsys study: the BNN/CSQ comparison - table, JSON, CSV, Markdown report and plots.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/cli/progress.h"
#include "app/study/study.h"
#include "sim/io/atomic_file.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_study(const std::vector<std::string>& args) {
  std::string plan_path, out_dir = "out";
  bool plots = true, quiet = false;
  RunOptions opt;
  po::options_description d("bitsys study options");
  // clang-format off
  d.add_options()
      ("plan,p", po::value(&plan_path), "study plan (default: workloads/plans/study.json of bitsys's data)")
      ("out,o", po::value(&out_dir), "output directory (created if missing): study.json, study.csv, report.md, plots")
      ("fidelity", po::value(&opt.fidelity)->default_value("analytic"), "analytic or systemc (the sensitivity is always analytic)")
      ("no-plots", "skip the matplotlib plots")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys study [--plan PLAN] [--out DIR]", d, vm)) return 0;
  plots = !vm.count("no-plots");
  if (plan_path.empty()) plan_path = data_path("workloads/plans/study.json");
  const StudyPlan plan = load_study_plan(plan_path);
  if (!make_directories(out_dir)) fail_input(out_dir, "", "--out", "cannot create the directory");

  const StudyResult r = run_study(plan, opt, terminal_progress("study", !quiet));
  if (!quiet) print_study_table(std::cout, r);
  write_file_atomically(out_dir + "/study.json", render_study_json(r));
  write_file_atomically(out_dir + "/study.csv", render_study_csv(r));
  write_file_atomically(out_dir + "/report.md", render_study_markdown(r));
  if (plots) {
    // Debian's python3, which sees Debian's matplotlib; ten minutes is far beyond any plot set.
    const ProgramRun run =
        run_program({"/usr/bin/python3", data_path("analysis/plot_study.py"), out_dir + "/study.json", out_dir}, 600,
                    out_dir + "/plots.log");
    if (!run.ok()) {
      std::cerr << "bitsys: error: " << run.failure("the plot script") << " (log: " << out_dir
                << "/plots.log); the tables and report are written\n";
      return 1;
    }
    std::remove((out_dir + "/plots.log").c_str());
  }
  if (!quiet)
    std::printf("\nwritten: %s/report.md, study.json, study.csv%s\n", out_dir.c_str(),
                plots ? ", plots (*.png, *.svg)" : "");
  return 0;
}

BITSYS_REGISTER_COMMAND(study, "study",
                        "the study of a plan: networks on several arrays, the papers' claims, report, plots",
                        cmd_study);

}  // namespace bitsys
