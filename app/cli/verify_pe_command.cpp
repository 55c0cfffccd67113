// bitsys verify-pe: lockstep random co-simulation of a user's Verilog PE against the golden
// model of a PE kind, with the first mismatch and a VCD of the cycles around it.
#include <unistd.h>
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "rtl/cosim/formal_check.h"
#include "rtl/cosim/harness_build.h"
#include "rtl/cosim/pe_lockstep.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"
#include "sim/io/text_util.h"
#include "sim/pe/pe_kind.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_verify_pe(const std::vector<std::string>& args) {
  std::string rtl, kind_name, top, vcd, workdir;
  int lanes = 0;
  uint64_t cycles = 100000, seed = 1;
  bool formal = false;
  FormalOptions fopt;
  po::options_description d("bitsys verify-pe options");
  // clang-format off
  d.add_options()
      ("rtl", po::value(&rtl)->required(), "the PE's Verilog file (it may `include files beside it or in rtl/)")
      ("kind", po::value(&kind_name)->required(), "golden model: a PE kind (bitsys list)")
      ("lanes", po::value(&lanes), "the PE's LANES parameter (default: the kind's default lanes)")
      ("top", po::value(&top), "the PE module (default: the file name without .v)")
      ("cycles", po::value(&cycles), "cycles of random stimulus (default 100000)")
      ("seed", po::value(&seed), "stimulus seed (default 1)")
      ("vcd", po::value(&vcd), "on a mismatch, write the waveform of the cycles around it here (default: <top>-mismatch.vcd)")
      ("workdir", po::value(&workdir), "build directory (default: a fresh one under /tmp)")
      ("formal", po::bool_switch(&formal), "prove the PE equal to rtl/bitsys_pe_<kind>.v for all inputs (Yosys) instead of simulating")
      ("formal-cycles", po::value(&fopt.bmc_cycles), "--formal: cycles from reset searched for a counterexample (default 8)")
      ("formal-timeout", po::value(&fopt.timeout_s), "--formal: seconds each Yosys step may take before the answer is 'undecided' (default 300)");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys verify-pe --rtl PE.v --kind KIND [--lanes L] [options]", d, vm)) return 0;

  read_text_file(rtl);  // a clear error for a missing file, before Verilator's
  const PeKind* kind = find_pe_kind(kind_name);
  if (!kind) fail_input("", "", "--kind", unknown_name("PE kind", kind_name, pe_kind_names()));
  if (lanes == 0) lanes = kind->default_lanes();
  if (lanes < 1 || lanes > kind->max_lanes())
    fail_input("", "", "--lanes", "must be in 1.." + std::to_string(kind->max_lanes()) + " for " + kind_name);
  if (cycles < 1 || cycles > 100000000) fail_input("", "", "--cycles", "must be in 1..100000000");
  if (fopt.bmc_cycles < 1 || fopt.bmc_cycles > 1000) fail_input("", "", "--formal-cycles", "must be in 1..1000");
  if (!(fopt.timeout_s > 0 && fopt.timeout_s <= 86400))
    fail_input("", "", "--formal-timeout", "must be in (0, 86400] seconds");
  if (top.empty()) {
    top = rtl.substr(rtl.find_last_of('/') + 1);
    if (top.size() > 2 && top.substr(top.size() - 2) == ".v") top.resize(top.size() - 2);
  }
  if (vcd.empty()) vcd = top + "-mismatch.vcd";
  if (workdir.empty()) workdir = "/tmp/bitsys-verify-pe-" + std::to_string(getpid());
  if (!make_directories(workdir)) fail_input(workdir, "", "--workdir", "cannot create");

  if (formal) {
    std::printf("verify-pe --formal: %s (module %s, LANES=%d) against rtl/bitsys_pe_%s.v with Yosys...\n", rtl.c_str(),
                top.c_str(), lanes, kind_name.c_str());
    std::fflush(stdout);
    fopt.workdir = workdir;
    if (vm.count("vcd")) fopt.vcd = vcd;
    const FormalResult f = prove_pe_equivalent(*kind, lanes, rtl, top, fopt);
    switch (f.verdict) {
      case FormalResult::kEqual:
        std::printf(
            "EQUAL: %s is equal to the %s reference PE (LANES=%d) on every cycle from reset, for all inputs: %s (%.1f "
            "s)\n",
            top.c_str(), kind_name.c_str(), lanes, f.detail.c_str(), f.seconds);
        return 0;
      case FormalResult::kDiffers:
        std::printf("FAIL: %s differs from the %s reference PE (LANES=%d): %s; inputs per cycle:\n%swaveform: %s\n",
                    top.c_str(), kind_name.c_str(), lanes, f.detail.c_str(), f.counterexample.c_str(), f.vcd.c_str());
        return 1;
      case FormalResult::kUndecided:
        std::printf("UNDECIDED %s\n", f.detail.c_str());
        return 3;
    }
  }

  std::printf("verify-pe: building %s (module %s, LANES=%d) with Verilator...\n", rtl.c_str(), top.c_str(), lanes);
  std::fflush(stdout);
  const HarnessBuild build = build_pe_harness(rtl, top, lanes, workdir);
  if (!build.exe.size()) fail_input(rtl, "", "", build.error + " (full log: " + workdir + "/build.log)");

  const Stimulus stim = make_stimulus(*kind, lanes, cycles, seed);
  const auto responses = run_harness(build.exe, stim, workdir);
  const auto m = first_mismatch(*kind, stim, responses);
  if (!m) {
    std::printf(
        "PASS: %s matches the %s golden model (LANES=%d) on all %llu cycles: %zu precision episodes, OS, WS and IS, "
        "stalls, clears, drains, preloads and resets\n",
        top.c_str(), kind_name.c_str(), lanes, static_cast<unsigned long long>(cycles), stim.episodes.size());
    return 0;
  }
  std::printf("FAIL: %s differs from the %s golden model (LANES=%d)\n%s", top.c_str(), kind_name.c_str(), lanes,
              describe(*m).c_str());
  const uint64_t from = m->cycle > 16 ? m->cycle - 16 : 0, to = m->cycle + 4;
  run_harness(build.exe, stim, workdir, vcd, from, to);
  std::printf("waveform of cycles %llu..%llu (time = 2 x cycle): %s\n", static_cast<unsigned long long>(from),
              static_cast<unsigned long long>(to), vcd.c_str());
  return 1;
}

BITSYS_REGISTER_COMMAND(verify_pe, "verify-pe",
                        "co-simulate your Verilog PE against a PE kind's golden model, cycle by cycle", cmd_verify_pe);

}  // namespace bitsys
