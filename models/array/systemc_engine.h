// Runs array jobs on one elaborated SystemC simulation per process. SystemC cannot elaborate
// twice, so the top is built once and reconfigured per job; each run() resumes the simulation.
#pragma once
#include <cstdint>
#include <vector>

#include "models/array/controller.h"

namespace bitsys {

class SystemCEngine {
 public:
  static SystemCEngine& instance();
  /// Runs one encoded GEMM; fills `out` (M x N) and returns the measured cycles and folds.
  ArrayJob run(const ArrayShape& shape, const BeatGemm& gemm, std::vector<int64_t>& out);
  uint64_t pe_updates() const;

 private:
  SystemCEngine();
  struct Top;
  Top* top_;
};

}  // namespace bitsys
