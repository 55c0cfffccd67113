#include "sim/cli/commands.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <unistd.h>
#include <map>

#include <boost/program_options.hpp>

#include "models/system/systemc_engine.h"
#include "models/pe/operand_encoding.h"
#include "models/pe/pe_kind.h"
#include "sim/cli/progress.h"
#include "sim/engine/crosscheck.h"
#include "sim/engine/runner.h"
#include "sim/io/input_error.h"
#include "sim/io/text_util.h"
#include "sim/io/json_fields.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/report/atomic_file.h"
#include "sim/report/report.h"
#include "sim/timing/analytic.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

/// Parses args; returns false (after printing help) when --help was given.
bool parse(const std::vector<std::string>& args, const char* usage, po::options_description& desc, po::variables_map& vm) {
  desc.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  po::notify(vm);
  return true;
}

void add_run_options(po::options_description& d, RunOptions& opt) {
  d.add_options()
      ("fidelity", po::value(&opt.fidelity)->default_value("analytic"), "analytic (closed form) or systemc (cycle-accurate, real values)")
      ("verify", po::bool_switch(&opt.verify), "systemc: check every output against the reference GEMM")
      ("seed", po::value(&opt.seed)->default_value(1), "seed of the random operands (systemc)")
      ("max-pe-updates", po::value(&opt.max_pe_updates)->default_value(2e11), "systemc: refuse layers needing more PE-cycles");
}

std::string fmt_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// Checks an output path can be written before any work starts, so a bad path fails fast.
void check_output_path(const std::string& path) {
  if (path.empty()) return;
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (!dir.empty() && access(dir.c_str(), W_OK) != 0) fail_input(path, "", "", "directory does not exist or is not writable");
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  std::string arch_path, workload_path, baseline_path, baseline_workload, json_path, csv_path, scalesim_dir, vcd_path;
  double vcd_max_mb = 200;
  bool quiet = false;
  RunOptions opt;
  po::options_description d("bitsys run options");
  d.add_options()
      ("arch,a", po::value(&arch_path)->required(), "architecture: bitsys JSON or SCALE-Sim .cfg")
      ("workload,w", po::value(&workload_path)->required(), "network: bitsys JSON or SCALE-Sim topology CSV")
      ("baseline,b", po::value(&baseline_path), "baseline architecture to compare against")
      ("baseline-workload", po::value(&baseline_workload), "workload for the baseline (default: the same workload)")
      ("json", po::value(&json_path), "write the report as JSON")
      ("csv", po::value(&csv_path), "write the report as CSV")
      ("scalesim-report", po::value(&scalesim_dir), "write COMPUTE_REPORT.csv in SCALE-Sim's layout into this directory")
      ("vcd", po::value(&vcd_path), "systemc: waveform of every PE's registers and the handshakes")
      ("vcd-max-mb", po::value(&vcd_max_mb)->default_value(200), "refuse a waveform estimated larger than this")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  add_run_options(d, opt);
  po::variables_map vm;
  if (!parse(args, "usage: bitsys run --arch CONFIG --workload NETWORK [options]", d, vm)) return 0;
  check_output_path(json_path);
  check_output_path(csv_path);
  const std::string scalesim_report = scalesim_dir.empty() ? "" : scalesim_dir + "/COMPUTE_REPORT.csv";
  check_output_path(scalesim_report);

  // Read and check every input before simulating anything.
  const ArchConfig arch = load_arch(arch_path);
  const LoweredNetwork net = lower(load_workload(workload_path));
  ArchConfig base_arch;
  LoweredNetwork base_net;
  if (!baseline_path.empty()) {
    base_arch = load_arch(baseline_path);
    base_net = baseline_workload.empty() ? net : lower(load_workload(baseline_workload));
  } else if (!baseline_workload.empty()) {
    fail_input("", "", "--baseline-workload", "needs --baseline");
  }

  if (!vcd_path.empty()) {
    if (opt.fidelity != "systemc") fail_input("", "", "--vcd", "waveforms come from the systemc fidelity (add --fidelity systemc)");
    check_output_path(vcd_path);
    // Every cycle can change each PE's 4 registers: about 4 x 24 bytes of VCD per PE per cycle.
    const double mb = static_cast<double>(analytic_network(arch, net).total_cycles) * arch.rows * arch.cols * 4 * 24 / 1e6;
    if (mb > vcd_max_mb)
      fail_input(vcd_path, "", "--vcd", "the waveform would be about " + std::to_string(static_cast<long long>(mb)) + " MB (" +
                                            arch.summary() + "), above --vcd-max-mb " + fmt_g(vcd_max_mb) +
                                            "; trace a smaller workload or array");
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

namespace {

struct PlanCase {
  std::string label, arch, workload, baseline;
};

std::vector<PlanCase> load_plan(const std::string& file) {
  const auto j = parse_json(read_text_file(file), file);
  JsonFields f(j, file, "plan");
  f.string("name", "");
  f.accept("notes");
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

int cmd_compare(const std::vector<std::string>& args) {
  std::string plan_path, json_path, csv_path;
  bool quiet = false;
  RunOptions opt;
  po::options_description d("bitsys compare options");
  d.add_options()
      ("plan,p", po::value(&plan_path)->required(), "comparison plan: JSON list of {label, arch, workload, baseline}")
      ("json", po::value(&json_path), "write all runs as JSON")
      ("csv", po::value(&csv_path), "write the summary as CSV")
      ("quiet,q", po::bool_switch(&quiet), "no table on stdout, no progress");
  add_run_options(d, opt);
  po::variables_map vm;
  if (!parse(args, "usage: bitsys compare --plan PLAN [options]", d, vm)) return 0;
  check_output_path(json_path);
  check_output_path(csv_path);

  const auto plan = load_plan(plan_path);
  std::vector<std::pair<ArchConfig, LoweredNetwork>> inputs;
  for (const auto& c : plan) inputs.emplace_back(load_arch(c.arch), lower(load_workload(c.workload)));

  std::vector<RunResult> runs;
  std::map<std::string, size_t> by_label;
  for (size_t i = 0; i < plan.size(); ++i) {
    runs.push_back(run_network(inputs[i].first, inputs[i].second, opt, terminal_progress(plan[i].label, !quiet)));
    by_label[plan[i].label] = i;
  }

  nlohmann::json all = nlohmann::json::array();
  std::string csv = "label,workload,arch,pe_kind,dataflow,rows,cols,macs,cycles,stall_cycles,vector_cycles,dram_bytes,milliseconds,utilization,baseline,speedup\n";
  char line[512];
  if (!quiet) {
    std::printf("bitsys compare (%s fidelity): %s\n", opt.fidelity.c_str(), plan_path.c_str());
    std::printf("%-27s %-21s %-22s %7s %11s %10s %10s %9s %8s %5s %8s\n", "case", "workload", "architecture", "G MACs", "cycles", "vector",
                "stalls", "DRAM MB", "ms", "util%", "speed-up");
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    const RunResult& r = runs[i];
    const RunResult* base = plan[i].baseline.empty() ? nullptr : &runs[by_label[plan[i].baseline]];
    const Report rep{&r, base};
    const std::string speed = base ? (std::snprintf(line, sizeof line, "%.2fx", rep.speedup()), std::string(line)) : std::string("-");
    if (!quiet)
      std::printf("%-27s %-21s %-22s %7.3f %11llu %10llu %10llu %9.2f %8.3f %5.1f %8s\n", plan[i].label.c_str(), r.workload.substr(0, 21).c_str(),
                  r.arch.summary().c_str(), static_cast<double>(r.total_macs) / 1e9, static_cast<unsigned long long>(r.total_cycles),
                  static_cast<unsigned long long>(r.vector_cycles()), static_cast<unsigned long long>(r.stall_cycles()),
                  static_cast<double>(r.dram_read + r.dram_written) / 1e6, r.milliseconds(), 100 * r.utilization(), speed.c_str());
    auto j = nlohmann::json::parse(render_json(rep));
    j["label"] = plan[i].label;
    j["baseline_label"] = plan[i].baseline;
    all.push_back(j);
    std::snprintf(line, sizeof line, "%s,%s,%s,%s,%s,%d,%d,%llu,%llu,%llu,%llu,%llu,%.6f,%.6f,%s,%s\n", plan[i].label.c_str(), r.workload.c_str(),
                  r.arch.name.c_str(), r.arch.pe_name().c_str(), dataflow_info(r.arch.dataflow).name, r.arch.rows, r.arch.cols,
                  static_cast<unsigned long long>(r.total_macs), static_cast<unsigned long long>(r.total_cycles),
                  static_cast<unsigned long long>(r.stall_cycles()), static_cast<unsigned long long>(r.vector_cycles()),
                  static_cast<unsigned long long>(r.dram_read + r.dram_written), r.milliseconds(),
                  r.utilization(), plan[i].baseline.c_str(), base ? std::to_string(rep.speedup()).c_str() : "");
    csv += line;
  }
  if (!quiet) {
    std::printf("cycles include the vector unit and stalls; speed-up = baseline cycles / case cycles\n");
    if (opt.verify) std::printf("every GEMM output of every case equals the reference GEMM\n");
  }
  if (!json_path.empty()) write_file_atomically(json_path, all.dump(2) + "\n");
  if (!csv_path.empty()) write_file_atomically(csv_path, csv);
  return 0;
}

int cmd_crosscheck(const std::vector<std::string>& args) {
  std::string arch_path, workload_path;
  RunOptions opt;
  bool verify = true;
  po::options_description d("bitsys crosscheck options");
  d.add_options()
      ("arch,a", po::value(&arch_path)->required(), "architecture: bitsys JSON or SCALE-Sim .cfg")
      ("workload,w", po::value(&workload_path)->required(), "network: bitsys JSON or SCALE-Sim topology CSV")
      ("seed", po::value(&opt.seed)->default_value(1), "seed of the random operands")
      ("no-verify", "skip comparing the SystemC outputs with the reference GEMM")
      ("max-pe-updates", po::value(&opt.max_pe_updates)->default_value(2e11), "refuse networks needing more PE-cycles");
  po::variables_map vm;
  if (!parse(args, "usage: bitsys crosscheck --arch CONFIG --workload NETWORK   (analytic vs SystemC, exit 1 on any difference)", d, vm)) return 0;
  verify = !vm.count("no-verify");
  opt.verify = verify;
  const ArchConfig arch = load_arch(arch_path);
  const LoweredNetwork net = lower(load_workload(workload_path));
  const CrossCheck c = crosscheck(arch, net, opt);
  std::printf("crosscheck %s on %s (%s): analytic %llu cycles (%.3f s), systemc %llu cycles (%.3f s); stalls %llu / %llu; DRAM %llu / %llu bytes\n",
              net.name.c_str(), arch.name.c_str(), arch.summary().c_str(), static_cast<unsigned long long>(c.analytic.total_cycles),
              c.analytic.wall_seconds, static_cast<unsigned long long>(c.systemc.total_cycles), c.systemc.wall_seconds,
              static_cast<unsigned long long>(c.analytic.stall_cycles()), static_cast<unsigned long long>(c.systemc.stall_cycles()),
              static_cast<unsigned long long>(c.analytic.dram_read + c.analytic.dram_written),
              static_cast<unsigned long long>(c.systemc.dram_read + c.systemc.dram_written));
  for (const auto& diff : c.differences) std::printf("  differs: %s\n", diff.c_str());
  if (verify) std::printf("SystemC outputs %s the reference GEMM\n", c.systemc.verified ? "equal" : "DIFFER from");
  const bool ok = c.equal() && (!verify || c.systemc.verified);
  std::printf("%s\n", ok ? "EQUAL: every layer's compute, stall and DRAM bytes agree" : "MISMATCH");
  return ok ? 0 : 1;
}

int cmd_bench(const std::vector<std::string>& args) {
  int rows = 32, cols = 32, lanes = 0;
  int64_t M = 1024, K = 1024, N = 256;
  std::string kind_name = "int8", df_name = "ws", arch_path, workload_path;
  int repeat = 3, sweep = 0;
  bool skip_systemc = false;
  po::options_description d("bitsys bench options");
  d.add_options()
      ("rows", po::value(&rows), "array rows")("cols", po::value(&cols), "array columns")
      ("kind", po::value(&kind_name), "PE kind")("lanes", po::value(&lanes), "PE lanes (0 = the kind's default)")
      ("dataflow", po::value(&df_name), "os, ws or is")
      ("M", po::value(&M), "GEMM M")("K", po::value(&K), "GEMM K")("N", po::value(&N), "GEMM N")
      ("repeat", po::value(&repeat), "runs; the best is reported")
      ("arch", po::value(&arch_path), "with --workload: time a whole network, analytic and SystemC")
      ("workload", po::value(&workload_path), "network to time")
      ("sweep", po::value(&sweep), "with --workload: also time an analytic sweep of this many configurations")
      ("no-systemc", po::bool_switch(&skip_systemc), "with --workload: skip the SystemC run");
  po::variables_map vm;
  if (!parse(args, "usage: bitsys bench [options]   (SystemC array speed in simulated PE-cycles per second)", d, vm)) return 0;

  if (!workload_path.empty()) {
    if (arch_path.empty()) fail_input("", "", "--arch", "needed with --workload");
    const ArchConfig arch = load_arch(arch_path);
    const LoweredNetwork net = lower(load_workload(workload_path));
    using clock = std::chrono::steady_clock;
    // Analytic: the mean of repeated runs.
    const int reps = 200;
    uint64_t cycles = 0;
    auto t0 = clock::now();
    for (int i = 0; i < reps; ++i) cycles = analytic_network(arch, net).total_cycles;
    const double analytic_s = std::chrono::duration<double>(clock::now() - t0).count() / reps;
    std::printf("analytic %s on %s: %llu cycles, %.3f ms a run (mean of %d)\n", net.name.c_str(), arch.summary().c_str(),
                static_cast<unsigned long long>(cycles), analytic_s * 1e3, reps);
    if (sweep > 0) {
      // A deterministic sweep over array size, dataflow, PE kind, buffers and bandwidth.
      const int sides[] = {8, 16, 32, 64, 128};
      const double kibs[] = {32, 64, 128, 512};
      const double bws[] = {1, 2, 4, 8, 16, 64, 0};  // 0 = unlimited
      const auto kinds = pe_kinds();
      uint64_t refused = 0, checksum = 0;
      t0 = clock::now();
      for (int i = 0; i < sweep; ++i) {
        ArchConfig a = arch;
        int x = i;
        a.rows = sides[x % 5]; x /= 5;
        a.cols = sides[x % 5]; x /= 5;
        a.dataflow = static_cast<Dataflow>(x % 3); x /= 3;
        a.pe = kinds[static_cast<size_t>(x) % kinds.size()]; x /= static_cast<int>(kinds.size());
        a.lanes = a.pe->default_lanes();
        a.ifmap_kib = a.filter_kib = a.ofmap_kib = kibs[x % 4]; x /= 4;
        a.dram_unlimited = bws[x % 7] == 0;
        a.dram_bytes_per_cycle = a.dram_unlimited ? 1 : bws[x % 7];
        try {
          checksum += analytic_network(a, net).total_cycles;
        } catch (const InputError&) {
          ++refused;  // a tile that can never fit
        }
      }
      const double sweep_s = std::chrono::duration<double>(clock::now() - t0).count();
      std::printf("analytic sweep of %d configurations of %s: %.2f s (%.3f ms each; %llu refused as never fitting; checksum %llu)\n", sweep,
                  net.name.c_str(), sweep_s, sweep_s * 1e3 / sweep, static_cast<unsigned long long>(refused),
                  static_cast<unsigned long long>(checksum));
    }
    if (!skip_systemc) {
      RunOptions opt;
      opt.fidelity = "systemc";
      const uint64_t before = SystemCEngine::instance().pe_updates();
      const RunResult r = run_network(arch, net, opt);
      const double updates = static_cast<double>(SystemCEngine::instance().pe_updates() - before);
      std::printf("systemc  %s on %s: %llu cycles, wall %.3f s, %.1f M PE-cycles/s\n", net.name.c_str(), arch.summary().c_str(),
                  static_cast<unsigned long long>(r.total_cycles), r.wall_seconds, updates / r.wall_seconds / 1e6);
    }
    return 0;
  }

  const PeKind* kind = find_pe_kind(kind_name);
  if (!kind) fail_input("", "", "--kind", "unknown PE kind \"" + kind_name + "\" (known: " + pe_kind_names() + ")");
  const DataflowInfo* df = find_dataflow(df_name);
  if (!df) fail_input("", "", "--dataflow", "unknown dataflow \"" + df_name + "\" (known: " + dataflow_names() + ")");
  if (lanes == 0) lanes = kind->default_lanes();
  if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) fail_input("", "", "--rows/--cols", "must be in 1..4096");
  if (lanes < 1 || lanes > kind->max_lanes()) fail_input("", "", "--lanes", "must be in 1.." + std::to_string(kind->max_lanes()));
  if (M < 1 || K < 1 || N < 1 || M * K > (int64_t{1} << 28) || K * N > (int64_t{1} << 28)) fail_input("", "", "--M/--K/--N", "must be >= 1 with M*K and K*N <= 2^28");
  const ActPrecision ap;
  const WeightPrecision wp;
  const IntGemm g = random_gemm(M, K, N, ap, wp, 7);
  const BeatGemm b = encode_gemm(*kind, lanes, ap, wp, g);
  std::vector<int64_t> out;
  double best = 1e30;
  GemmRunResult job;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    job = SystemCEngine::instance().run_gemm({rows, cols, df->dataflow, kind}, b, out);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double updates = static_cast<double>(job.cycles) * rows * cols;
  std::printf("systemc array %dx%d %s %s L%d, GEMM %lldx%lldx%lld (a8s x w8): %llu cycles, %llu folds, best of %d: %.3f s, "
              "%.1f M PE-cycles/s, %.2f M cycles/s\n",
              rows, cols, df->name, kind->name().c_str(), lanes, static_cast<long long>(M), static_cast<long long>(K),
              static_cast<long long>(N), static_cast<unsigned long long>(job.cycles), static_cast<unsigned long long>(job.folds), repeat,
              best, updates / best / 1e6, static_cast<double>(job.cycles) / best / 1e6);
  return out == reference_gemm(g) ? 0 : (std::fprintf(stderr, "bitsys bench: outputs differ from the reference GEMM\n"), 1);
}

int cmd_list(const std::vector<std::string>& args) {
  po::options_description d("bitsys list options");
  po::variables_map vm;
  if (!parse(args, "usage: bitsys list   (PE kinds, dataflows, fidelities, layer types)", d, vm)) return 0;
  std::printf("PE kinds:\n");
  for (const PeKind* k : pe_kinds())
    std::printf("  %-10s lanes %d (max %d): %s\n", k->name().c_str(), k->default_lanes(), k->max_lanes(), k->summary().c_str());
  std::printf("dataflows:\n");
  for (const char* n : {"os", "ws", "is"}) std::printf("  %-10s %s\n", n, find_dataflow(n)->description);
  std::printf("fidelities: %s\nlayer types: %s\n", fidelity_names().c_str(), layer_type_names().c_str());
  return 0;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"run", "simulate a workload on an architecture (optionally against a baseline)", cmd_run},
      {"study", "the BNN/CSQ study: every network on 8-bit, binary and bit-serial arrays, the papers' claims, report, plots", cmd_study},
      {"compare", "run a plan of (architecture, workload) cases and print one comparison table", cmd_compare},
      {"sweep", "run a design-space sweep (parallel, resumable, shardable for a cluster)", cmd_sweep},
      {"merge", "combine the results of a sweep's shards, refusing duplicated or missing points", cmd_merge},
      {"crosscheck", "run a workload at both fidelities and compare every layer's cycles, stalls and traffic", cmd_crosscheck},
      {"verify-pe", "co-simulate your Verilog PE against a PE kind's golden model, cycle by cycle", cmd_verify_pe},
      {"bench", "measure the SystemC array's speed (PE-cycles per second)", cmd_bench},
      {"list", "list PE kinds, dataflows, fidelities and layer types", cmd_list},
  };
  return all;
}

}  // namespace bitsys
