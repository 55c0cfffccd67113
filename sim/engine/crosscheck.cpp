#include "sim/engine/crosscheck.h"

namespace bitsys {

namespace {

/// Every difference between two runs of one network: totals, then each layer.
void compare_runs(std::vector<std::string>& d, const char* x_name, const RunResult& x, const char* y_name,
                  const RunResult& y) {
  auto compare = [&](const std::string& what, uint64_t a, uint64_t b) {
    if (a != b) d.push_back(what + ": " + x_name + " " + std::to_string(a) + ", " + y_name + " " + std::to_string(b));
  };
  compare("total cycles", x.total_cycles, y.total_cycles);
  compare("stall cycles", x.stall_cycles(), y.stall_cycles());
  compare("DRAM bytes read", x.dram_read, y.dram_read);
  compare("DRAM bytes written", x.dram_written, y.dram_written);
  for (size_t i = 0; i < x.layers.size(); ++i) {
    const OpTiming& a = x.layers[i].timing;
    const OpTiming& b = y.layers[i].timing;
    const std::string& n = x.layers[i].op.name;
    compare(n + " compute", a.compute, b.compute);
    compare(n + " stall", a.stall, b.stall);
    compare(n + " vector cycles beside the array", a.beside, b.beside);
    for (int k = 0; k < kStallCauses; ++k)
      compare(n + " stall on " + stall_cause_name(k), a.stall_by[k], b.stall_by[k]);
    compare(n + " DRAM", a.dram_bytes(), b.dram_bytes());
  }
}

}  // namespace

CrossCheck crosscheck(const ArchConfig& arch, const LoweredNetwork& net, RunOptions opt, bool with_rtl) {
  CrossCheck c;
  const bool verify = opt.verify;
  opt.fidelity = "analytic";
  opt.verify = false;
  c.analytic = run_network(arch, net, opt);
  opt.fidelity = "systemc";
  opt.verify = verify;
  c.systemc = run_network(arch, net, opt);
  compare_runs(c.differences, "analytic", c.analytic, "systemc", c.systemc);
  if (with_rtl) {
    opt.fidelity = "rtl";
    c.rtl = run_network(arch, net, opt);
    compare_runs(c.differences, "systemc", c.systemc, "rtl", *c.rtl);
  }
  return c;
}

}  // namespace bitsys
