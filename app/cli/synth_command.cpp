// bitsys synth: synthesis figures of the reference RTL (rtl/README.md, "Synthesis").
#include <unistd.h>
#include <cstdio>
#include <future>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/report/table.h"
#include "rtl/cosim/synthesis.h"
#include "sim/io/atomic_file.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

int cmd_synth(const std::vector<std::string>& args) {
  std::string out = "synth.json", workdir;
  double timeout_s = 600;
  int jobs = 2;
  po::options_description d("bitsys synth options");
  // clang-format off
  d.add_options()
      ("out", po::value(&out), "write the figures as JSON here (default synth.json; the committed copy is rtl/synth.json)")
      ("workdir", po::value(&workdir), "Yosys scripts and logs (default: a fresh folder under /tmp)")
      ("jobs", po::value(&jobs), "Yosys runs at once (default 2)")
      ("timeout", po::value(&timeout_s), "seconds one design's synthesis may take (default 600)");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys synth [--out FILE] [--jobs N]", d, vm)) return 0;
  if (jobs < 1 || jobs > 64) fail_input("", "", "--jobs", "must be in 1..64");
  if (!(timeout_s > 0 && timeout_s <= 86400)) fail_input("", "", "--timeout", "must be in (0, 86400] seconds");
  if (workdir.empty()) workdir = "/tmp/bitsys-synth-" + std::to_string(getpid());
  if (!make_directories(workdir)) fail_input(workdir, "", "--workdir", "cannot create");

  const auto designs = default_synth_designs();
  std::vector<SynthFigures> figures(designs.size());
  for (size_t i = 0; i < designs.size(); i += static_cast<size_t>(jobs)) {
    std::vector<std::future<SynthFigures>> running;
    for (size_t j = i; j < std::min(designs.size(), i + static_cast<size_t>(jobs)); ++j)
      running.push_back(std::async(std::launch::async, synthesize, designs[j], workdir, timeout_s));
    for (size_t j = 0; j < running.size(); ++j) figures[i + j] = running[j].get();
  }

  TextTable t({{"design"},
               {"multipliers", TextTable::kRight},
               {"latches", TextTable::kRight},
               {"flip-flops", TextTable::kRight},
               {"logic transistors", TextTable::kRight},
               {"NAND2 eq.", TextTable::kRight},
               {"longest path", TextTable::kRight}});
  for (const auto& f : figures)
    t.add_row({f.design.name(), std::to_string(f.multipliers), std::to_string(f.latches),
               with_commas(static_cast<uint64_t>(f.flip_flops)), with_commas(static_cast<uint64_t>(f.transistors)),
               with_commas(static_cast<uint64_t>(f.transistors / 4)), std::to_string(f.longest_path)});
  t.print(std::cout);
  write_file_atomically(out, to_json(figures).dump(2) + "\n");
  std::printf("figures: %s (Yosys logs: %s)\n", out.c_str(), workdir.c_str());
  int broken = 0;
  for (const auto& f : figures)
    for (const auto& why : synth_check_failures(f)) {
      std::printf("CHECK FAILED: %s\n", why.c_str());
      ++broken;
    }
  return broken ? 1 : 0;
}

}  // namespace

BITSYS_REGISTER_COMMAND(synth, "synth",
                        "synthesize the reference PEs and a 4x4 array with Yosys: gates, flip-flops, depth, checks",
                        cmd_synth);

}  // namespace bitsys
