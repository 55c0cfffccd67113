#include "app/cli/cli_options.h"

#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <iostream>

#include "sim/io/input_error.h"
#include "sim/io/text_util.h"

namespace po = boost::program_options;

namespace bitsys {

bool parse_options(const std::vector<std::string>& args, const char* usage, po::options_description& desc,
                   po::variables_map& vm, const po::positional_options_description& positional) {
  desc.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(desc).positional(positional).run(), vm);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> known;
    for (const auto& o : desc.options()) known.push_back("--" + o->long_name());
    const std::string given = e.get_option_name(), guess = nearest_name(given, known);
    fail_input("", "", "",
               "unknown option '" + given + "'" + (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)"));
  }
  if (vm.count("help")) {
    std::cout << usage << "\n" << desc;
    return false;
  }
  po::notify(vm);
  return true;
}

void add_run_options(po::options_description& d, RunOptions& opt) {
  // clang-format off
  d.add_options()
      ("fidelity", po::value(&opt.fidelity)->default_value("analytic"), "analytic (closed form), systemc (cycle-accurate, real values) or rtl (systemc around the verilated RTL array)")
      ("verify", po::bool_switch(&opt.verify), "systemc, rtl: check every layer's output against the whole-network reference")
      ("seed", po::value(&opt.seed)->default_value(1), "seed of the random operands (systemc, rtl)")
      ("max-pe-updates", po::value(&opt.max_pe_updates)->default_value(5e10), "systemc, rtl: refuse layers needing more PE-cycles")
      ("tensors", po::value(&opt.tensors_dir), "systemc, rtl: DIR with <layer>.input.npy and <layer>.weights.npy to use instead of random operands")
      ("write-outputs", po::bool_switch(&opt.write_outputs), "systemc, rtl: write every layer's <layer>.output.npy into --tensors (a GEMM's output also under its last fused post-op's name)");
  // clang-format on
}

/// Checks an output path can be written before any work starts, so a bad path fails fast: its
/// nearest existing folder must be a writable folder (missing ones are created when writing).
void check_output_path(const std::string& path) {
  if (path.empty()) return;
  std::string dir = path;
  for (;;) {
    const auto slash = dir.find_last_of('/');
    dir = slash == std::string::npos ? "." : slash == 0 ? "/" : dir.substr(0, slash);
    struct stat st {};
    if (stat(dir.c_str(), &st) != 0) {
      if (dir == "." || dir == "/") break;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) fail_input(path, "", "", "'" + dir + "' is a file, not a folder");
    if (access(dir.c_str(), W_OK) != 0) fail_input(path, "", "", "folder '" + dir + "' is not writable");
    return;
  }
}

}  // namespace bitsys
