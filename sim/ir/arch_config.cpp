#include "sim/ir/arch_config.h"

#include <cmath>

#include "sim/pe/pe_kind.h"

namespace bitsys {

const char* schedule_name(FoldSchedule) {
  return "no_overlap";
}

const char* psum_policy_name(PsumPolicy p) {
  return p == PsumPolicy::Unbounded ? "unbounded" : "fit_ofmap";
}

uint64_t ArchConfig::transfer_cycles(uint64_t bytes) const {
  if (dram_unlimited || bytes == 0) return 0;
  const double c = std::ceil(static_cast<double>(bytes) / dram_bytes_per_cycle);
  return c >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(c);
}

std::string ArchConfig::pe_name() const {
  return pe ? pe->name() : "?";
}

std::string ArchConfig::summary() const {
  return std::to_string(rows) + "x" + std::to_string(cols) + " " + dataflow_info(dataflow).name + " " + pe_name() +
         " L" + std::to_string(lanes);
}

}  // namespace bitsys
