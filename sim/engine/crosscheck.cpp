#include "sim/engine/crosscheck.h"

namespace bitsys {

namespace {

void compare(std::vector<std::string>& diffs, const std::string& what, uint64_t a, uint64_t s) {
  if (a != s) diffs.push_back(what + ": analytic " + std::to_string(a) + ", systemc " + std::to_string(s));
}

}  // namespace

CrossCheck crosscheck(const ArchConfig& arch, const LoweredNetwork& net, RunOptions opt) {
  CrossCheck c;
  const bool verify = opt.verify;
  opt.fidelity = "analytic";
  opt.verify = false;
  c.analytic = run_network(arch, net, opt);
  opt.fidelity = "systemc";
  opt.verify = verify;
  c.systemc = run_network(arch, net, opt);
  auto& d = c.differences;
  compare(d, "total cycles", c.analytic.total_cycles, c.systemc.total_cycles);
  compare(d, "stall cycles", c.analytic.stall_cycles(), c.systemc.stall_cycles());
  compare(d, "DRAM bytes read", c.analytic.dram_read, c.systemc.dram_read);
  compare(d, "DRAM bytes written", c.analytic.dram_written, c.systemc.dram_written);
  for (size_t i = 0; i < c.analytic.layers.size(); ++i) {
    const OpTiming& a = c.analytic.layers[i].timing;
    const OpTiming& s = c.systemc.layers[i].timing;
    const std::string& n = c.analytic.layers[i].op.name;
    compare(d, n + " compute", a.compute, s.compute);
    compare(d, n + " stall", a.stall, s.stall);
    for (int k = 0; k < kStallCauses; ++k)
      compare(d, n + " stall on " + stall_cause_name(k), a.stall_by[k], s.stall_by[k]);
    compare(d, n + " DRAM", a.dram_bytes(), s.dram_bytes());
  }
  return c;
}

}  // namespace bitsys
