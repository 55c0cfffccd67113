// bitsys bench: the SystemC array's speed, and a network at both fidelities and in a sweep.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/io/input_error.h"
#include "sim/io/text_util.h"

#include "models/system/systemc_engine.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/operand_encoding.h"
#include "sim/pe/pe_kind.h"
#include "sim/timing/analytic.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_bench(const std::vector<std::string>& args) {
  int rows = 32, cols = 32, lanes = 0;
  int64_t M = 1024, K = 1024, N = 256;
  std::string kind_name = "int8", df_name = "ws", arch_path, workload_path, schedule = "no_overlap";
  int repeat = 3, sweep = 0;
  bool skip_systemc = false;
  po::options_description d("bitsys bench options");
  // clang-format off
  d.add_options()
      ("rows", po::value(&rows), "array rows")("cols", po::value(&cols), "array columns")
      ("kind", po::value(&kind_name), "PE kind")("lanes", po::value(&lanes), "PE lanes (0 = the kind's default)")
      ("dataflow", po::value(&df_name), "os, ws or is")
      ("schedule", po::value(&schedule), "no_overlap or overlapped")
      ("M", po::value(&M), "GEMM M")("K", po::value(&K), "GEMM K")("N", po::value(&N), "GEMM N")
      ("repeat", po::value(&repeat), "runs; the best is reported")
      ("arch", po::value(&arch_path), "with --workload: time a whole network, analytic and SystemC")
      ("workload", po::value(&workload_path), "network to time")
      ("sweep", po::value(&sweep), "with --workload: also time an analytic sweep of this many configurations")
      ("no-systemc", po::bool_switch(&skip_systemc), "with --workload: skip the SystemC run");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys bench [options]   (SystemC array speed in simulated PE-cycles per second)", d,
                     vm))
    return 0;

  if (!workload_path.empty()) {
    if (arch_path.empty()) fail_input("", "", "--arch", "needed with --workload");
    const ArchConfig arch = load_arch(arch_path);
    const LoweredNetwork net = lower_for(load_workload(workload_path), arch);
    using clock = std::chrono::steady_clock;
    // Analytic: the mean of repeated runs.
    const int reps = 200;
    uint64_t cycles = 0;
    auto t0 = clock::now();
    for (int i = 0; i < reps; ++i) cycles = analytic_network(arch, net).total_cycles;
    const double analytic_s = std::chrono::duration<double>(clock::now() - t0).count() / reps;
    std::printf("analytic %s on %s: %llu cycles, %.3f ms a run (mean of %d)\n", net.name.c_str(),
                arch.summary().c_str(), static_cast<unsigned long long>(cycles), analytic_s * 1e3, reps);
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
        a.rows = sides[x % 5];
        x /= 5;
        a.cols = sides[x % 5];
        x /= 5;
        a.dataflow = static_cast<Dataflow>(x % 3);
        x /= 3;
        a.pe = kinds[static_cast<size_t>(x) % kinds.size()];
        x /= static_cast<int>(kinds.size());
        a.lanes = a.pe->default_lanes();
        a.ifmap_kib = a.filter_kib = a.ofmap_kib = kibs[x % 4];
        x /= 4;
        a.dram_unlimited = bws[x % 7] == 0;
        a.dram_bytes_per_cycle = a.dram_unlimited ? 1 : bws[x % 7];
        try {
          checksum += analytic_network(a, net).total_cycles;
        } catch (const InputError&) {
          ++refused;  // a tile that can never fit
        }
      }
      const double sweep_s = std::chrono::duration<double>(clock::now() - t0).count();
      std::printf(
          "analytic sweep of %d configurations of %s: %.2f s (%.3f ms each; %llu refused as never fitting; checksum "
          "%llu)\n",
          sweep, net.name.c_str(), sweep_s, sweep_s * 1e3 / sweep, static_cast<unsigned long long>(refused),
          static_cast<unsigned long long>(checksum));
    }
    if (!skip_systemc) {
      RunOptions opt;
      opt.fidelity = "systemc";
      const uint64_t before = SystemCEngine::instance().pe_updates();
      const RunResult r = run_network(arch, net, opt);
      const double updates = static_cast<double>(SystemCEngine::instance().pe_updates() - before);
      std::printf("systemc  %s on %s: %llu cycles, wall %.3f s, %.1f M PE-cycles/s\n", net.name.c_str(),
                  arch.summary().c_str(), static_cast<unsigned long long>(r.total_cycles), r.wall_seconds,
                  updates / r.wall_seconds / 1e6);
    }
    return 0;
  }

  const PeKind* kind = find_pe_kind(kind_name);
  if (!kind) fail_input("", "", "--kind", unknown_name("PE kind", kind_name, pe_kind_names()));
  const DataflowInfo* df = find_dataflow(df_name);
  if (!df) fail_input("", "", "--dataflow", unknown_name("dataflow", df_name, dataflow_names()));
  if (lanes == 0) lanes = kind->default_lanes();
  if (schedule != "no_overlap" && schedule != "overlapped")
    fail_input("", "", "--schedule", unknown_name("schedule", schedule, "no_overlap, overlapped"));
  const FoldSchedule sched = schedule == "overlapped" ? FoldSchedule::Overlapped : FoldSchedule::NoOverlap;
  if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) fail_input("", "", "--rows/--cols", "must be in 1..4096");
  if (lanes < 1 || lanes > kind->max_lanes())
    fail_input("", "", "--lanes", "must be in 1.." + std::to_string(kind->max_lanes()));
  if (M < 1 || K < 1 || N < 1 || M * K > (int64_t{1} << 28) || K * N > (int64_t{1} << 28))
    fail_input("", "", "--M/--K/--N", "must be >= 1 with M*K and K*N <= 2^28");
  const ActPrecision ap;
  const WeightPrecision wp;
  const IntGemm g = random_gemm(M, K, N, ap, wp, 7);
  const BeatGemm b = encode_gemm(*kind, lanes, ap, wp, g);
  std::vector<int64_t> out;
  double best = 1e30;
  GemmRunResult job;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    job = SystemCEngine::instance().run_gemm({rows, cols, df->dataflow, kind, sched}, b, out);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double updates = static_cast<double>(job.cycles) * rows * cols;
  std::printf(
      "systemc array %dx%d %s %s L%d %s, GEMM %lldx%lldx%lld (a8s x w8): %llu cycles, %llu folds, best of %d: %.3f s, "
      "%.1f M PE-cycles/s, %.2f M cycles/s\n",
      rows, cols, df->name, kind->name().c_str(), lanes, schedule.c_str(), static_cast<long long>(M),
      static_cast<long long>(K), static_cast<long long>(N), static_cast<unsigned long long>(job.cycles),
      static_cast<unsigned long long>(job.folds), repeat, best, updates / best / 1e6,
      static_cast<double>(job.cycles) / best / 1e6);
  return out == reference_gemm(g)
             ? 0
             : (std::fprintf(stderr, "bitsys bench: outputs differ from the whole-network reference\n"), 1);
}

BITSYS_REGISTER_COMMAND(bench, "bench", "measure the SystemC array's speed (PE-cycles per second)", cmd_bench);

}  // namespace bitsys
