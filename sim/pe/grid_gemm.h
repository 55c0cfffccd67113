// Every fold of an encoded GEMM on a grid, with its operands in memory and no memory system: what
// the RTL array co-simulation and its bench compare with the SystemC array.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/pe/grid.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

struct GridGemmRun {
  uint64_t cycles = 0, folds = 0;
  std::vector<uint64_t> completions;  ///< the cycle (counted from 1) each fold completed on
};

/// Folds in (Sr, Sc) order; `out` becomes M x N. One at a time, each stepped until the grid says
/// it is done; or `overlapped`, the next started as soon as the newest one's elements are all in
/// and at most two are in the array, as the controller does under the overlapped schedule (the
/// grid must be one that overlaps).
GridGemmRun run_gemm_on_grid(Grid& grid, Dataflow df, const BeatGemm& g, std::vector<int64_t>& out,
                             bool overlapped = false);

}  // namespace bitsys
