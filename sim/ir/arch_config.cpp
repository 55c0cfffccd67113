#include "sim/ir/arch_config.h"

#include <cmath>

#include "sim/pe/pe_kind.h"

namespace bitsys {

const char* schedule_name(FoldSchedule s) {
  return s == FoldSchedule::Overlapped ? "overlapped" : "no_overlap";
}

const char* conventions_name(Conventions c) {
  return c == Conventions::ScaleSim ? "scalesim" : "bitsys";
}

const char* psum_policy_name(PsumPolicy p) {
  return p == PsumPolicy::Unbounded ? "unbounded" : "fit_ofmap";
}

uint64_t ArchConfig::dram_bandwidth_units() const {
  const double units = std::round(std::ldexp(dram_bytes_per_cycle, kBandwidthFractionBits));
  return units < 1 ? 1 : units >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(units);
}

uint64_t ArchConfig::sram_port_units() const {
  if (sram_port_bytes_per_cycle <= 0) return 0;
  const double units = std::round(std::ldexp(sram_port_bytes_per_cycle, kBandwidthFractionBits));
  return units < 1 ? 1 : units >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(units);
}

std::string ArchConfig::pe_name() const {
  return pe ? pe->name() : "?";
}

std::string ArchConfig::summary() const {
  return std::to_string(rows) + "x" + std::to_string(cols) + " " + dataflow_info(dataflow).name + " " + pe_name() +
         " L" + std::to_string(lanes);
}

}  // namespace bitsys
