// bitsys sweep / bitsys merge: design-space sweeps, local or as shards of a cluster job array.
#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <thread>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/report/table.h"
#include "app/sweep/sweep_runner.h"
#include "sim/io/input_error.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

SweepProgress progress_bar(bool enabled) {
  if (!enabled || !isatty(STDERR_FILENO)) return {};
  return [](uint64_t done, uint64_t total, double seconds) {
    const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1;
    char bar[41];
    for (int i = 0; i < 40; ++i) bar[i] = i < static_cast<int>(frac * 40) ? '#' : '.';
    bar[40] = 0;
    const double eta = frac > 0 && frac < 1 ? seconds / frac - seconds : 0;
    std::fprintf(stderr, "\r\033[K[%s] %llu/%llu  %.0f s, ETA %.0f s", bar, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), seconds, eta);
    if (done >= total) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  };
}

}  // namespace

static int cmd_sweep(const std::vector<std::string>& args) {
  std::string spec_path, shard = "0/1";
  SweepOptions opt;
  opt.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quiet = false;
  po::options_description d("bitsys sweep options");
  // clang-format off
  d.add_options()
      ("spec", po::value(&spec_path)->required(), "sweep spec (JSON)")
      ("out,o", po::value(&opt.out), "results file, JSON Lines (default: <spec name>.jsonl); appended to and resumed")
      ("jobs,j", po::value(&opt.jobs), "worker threads (default: every core)")
      ("shard", po::value(&shard), "I/N: run only the points whose index % N == I (cluster job arrays)")
      ("quiet,q", po::bool_switch(&quiet), "no progress bar, no summary");
  // clang-format on
  po::positional_options_description pos;
  pos.add("spec", 1);
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys sweep SPEC [--out FILE] [-j N] [--shard I/N]", d, vm, pos)) return 0;
  if (std::sscanf(shard.c_str(), "%d/%d", &opt.shard, &opt.shards) != 2)
    fail_input("", "", "--shard", "must be I/N, e.g. 0/4");
  if (opt.jobs < 1 || opt.jobs > 1024) fail_input("", "", "--jobs", "must be in 1..1024");
  const SweepSpec spec = SweepSpec::load(spec_path);
  if (opt.out.empty()) opt.out = spec.name + ".jsonl";
  const SweepSummary s = run_sweep(spec, opt, progress_bar(!quiet));
  if (!quiet)
    std::printf(
        "sweep %s: %llu points in shard %d/%d, %llu already in %s, %llu run in %.2f s (%.3f ms a point, %s)%s\n",
        spec.name.c_str(), static_cast<unsigned long long>(s.points), opt.shard, opt.shards,
        static_cast<unsigned long long>(s.resumed), opt.out.c_str(), static_cast<unsigned long long>(s.run), s.seconds,
        s.run ? s.seconds * 1e3 / static_cast<double>(s.run) : 0.0,
        plural(static_cast<uint64_t>(opt.jobs), "thread").c_str(),
        s.errors ? (", " + std::to_string(s.errors) + " invalid combinations recorded as errors").c_str() : "");
  return 0;
}

BITSYS_REGISTER_COMMAND(sweep, "sweep", "run a design-space sweep (parallel, resumable, shardable for a cluster)",
                        cmd_sweep);

}  // namespace bitsys
