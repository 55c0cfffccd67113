// A design-space sweep: a base architecture, parameters to vary (any config field, as lists or
// ranges), constraints, workloads. Points expand deterministically (workloads outer, then the
// parameters in alphabetical order, the first slowest) and each has a stable id: a hash of its
// workload and parameter values, unchanged by reordering the spec. Format: README "Sweeps".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/sweep/constraint.h"
#include "sim/ir/arch_config.h"

namespace bitsys {

struct SweepParam {
  std::string path;  ///< "rows", "pe.kind", "buffers.ifmap_kib" ...
  std::vector<nlohmann::json> values;
};

class SweepSpec {
 public:
  /// Reads and checks a spec: every value of every parameter is tried on the base architecture,
  /// every constraint parsed, every workload loaded; InputError before anything runs.
  static SweepSpec load(const std::string& path);

  std::string name, file, fidelity = "analytic";
  std::string base_file;
  nlohmann::json base;  ///< the base architecture's JSON
  std::vector<SweepParam> params;
  std::vector<Constraint> constraints;
  std::vector<std::string> workloads;  ///< files

  /// Every combination (workload x parameter values), as a mixed-radix number.
  uint64_t combinations() const;
  /// The combinations that satisfy the constraints, in expansion order: a point's index is its
  /// position here.
  std::vector<uint64_t> points() const;

  size_t workload_of(uint64_t combo) const;
  nlohmann::json params_of(uint64_t combo) const;  ///< {"rows": 32, ...}
  std::string id_of(uint64_t combo) const;         ///< 16 hex digits
  /// The architecture of a combination; InputError when the combination is not a valid config.
  ArchConfig arch_of(uint64_t combo) const;

 private:
  std::vector<size_t> digits(uint64_t combo) const;
};

}  // namespace bitsys
