// A fidelity turns one lowered GEMM layer into cycles on an architecture. Implementations
// register themselves (analytic in sim/timing, systemc in models/); the runner only names them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/ir/arch_config.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

struct GemmRun {
  int64_t Kb = 0;        ///< beats along K per group
  FoldSpace space;       ///< per group
  uint64_t folds = 0;    ///< all groups
  uint64_t cycles = 0;   ///< all groups
  bool verified = false; ///< outputs compared with the reference GEMM and equal
};

struct RunOptions {
  std::string fidelity = "analytic";
  bool verify = false;      ///< systemc: compare every output with the reference GEMM
  uint64_t seed = 1;        ///< operand values (systemc)
  double max_pe_updates = 2e11;  ///< systemc: refuse runs beyond this many PE-cycles
};

class Fidelity {
 public:
  virtual ~Fidelity() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual GemmRun run(const ArchConfig& arch, const LoweredOp& op, const RunOptions& opt) = 0;
};

void register_fidelity(std::unique_ptr<Fidelity> f);
Fidelity* find_fidelity(const std::string& name);
std::string fidelity_names();

}  // namespace bitsys

#define BITSYS_REGISTER_FIDELITY(Class) \
  static const bool bitsys_registered_##Class = (::bitsys::register_fidelity(std::make_unique<Class>()), true)
