// bitsys crosscheck: the same network at the analytic and SystemC fidelities (and, asked, the RTL
// fidelity), every layer compared.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/engine/crosscheck.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

int cmd_crosscheck(const std::vector<std::string>& args) {
  std::string arch_path, workload_path;
  RunOptions opt;
  bool verify = true;
  po::options_description d("bitsys crosscheck options");
  // clang-format off
  d.add_options()
      ("arch,a", po::value(&arch_path)->required(), "architecture: bitsys JSON or SCALE-Sim .cfg")
      ("workload,w", po::value(&workload_path)->required(), "network: bitsys JSON or SCALE-Sim topology CSV")
      ("seed", po::value(&opt.seed)->default_value(1), "seed of the random operands")
      ("no-verify", "skip comparing the SystemC outputs with the whole-network reference")
      ("rtl", "also run the rtl fidelity (the verilated array in the SystemC system) and compare it with systemc")
      ("max-pe-updates", po::value(&opt.max_pe_updates)->default_value(5e10), "refuse networks needing more PE-cycles");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args,
                     "usage: bitsys crosscheck --arch CONFIG --workload NETWORK [--rtl]   (analytic vs SystemC [vs "
                     "RTL], exit 1 on any "
                     "difference)",
                     d, vm))
    return 0;
  verify = !vm.count("no-verify");
  opt.verify = verify;
  const ArchConfig arch = load_arch(arch_path);
  const LoweredNetwork net = lower_for(load_workload(workload_path), arch);
  const bool rtl = vm.count("rtl") != 0;
  const CrossCheck c = crosscheck(arch, net, opt, rtl);
  std::printf(
      "crosscheck %s on %s (%s): analytic %llu cycles (%.3f s), systemc %llu cycles (%.3f s); stalls %llu / %llu; DRAM "
      "%llu / %llu bytes\n",
      net.name.c_str(), arch.name.c_str(), arch.summary().c_str(),
      static_cast<unsigned long long>(c.analytic.total_cycles), c.analytic.wall_seconds,
      static_cast<unsigned long long>(c.systemc.total_cycles), c.systemc.wall_seconds,
      static_cast<unsigned long long>(c.analytic.stall_cycles()),
      static_cast<unsigned long long>(c.systemc.stall_cycles()),
      static_cast<unsigned long long>(c.analytic.dram_read + c.analytic.dram_written),
      static_cast<unsigned long long>(c.systemc.dram_read + c.systemc.dram_written));
  if (c.rtl)
    std::printf("  rtl %llu cycles (%.3f s); stalls %llu; DRAM %llu bytes\n",
                static_cast<unsigned long long>(c.rtl->total_cycles), c.rtl->wall_seconds,
                static_cast<unsigned long long>(c.rtl->stall_cycles()),
                static_cast<unsigned long long>(c.rtl->dram_read + c.rtl->dram_written));
  for (const auto& diff : c.differences) std::printf("  differs: %s\n", diff.c_str());
  if (verify) {
    std::printf("SystemC outputs %s the whole-network reference\n", c.systemc.verified ? "equal" : "DIFFER from");
    if (c.rtl) std::printf("RTL outputs %s the whole-network reference\n", c.rtl->verified ? "equal" : "DIFFER from");
  }
  const bool ok = c.equal() && (!verify || (c.systemc.verified && (!c.rtl || c.rtl->verified)));
  std::printf("%s\n", ok ? "EQUAL: every layer's compute, stall and DRAM bytes agree" : "MISMATCH");
  return ok ? 0 : 1;
}

}  // namespace

BITSYS_REGISTER_COMMAND(crosscheck, "crosscheck",
                        "run a workload at both fidelities and compare every layer's cycles, stalls and traffic",
                        cmd_crosscheck);

}  // namespace bitsys
