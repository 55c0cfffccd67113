// Every fold of an encoded GEMM on a grid, back to back, with its operands in memory and no
// memory system: what the RTL array co-simulation and its bench compare with the SystemC array.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/pe/grid.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

struct GridGemmRun {
  uint64_t cycles = 0, folds = 0;
};

/// Folds in (Sr, Sc) order, each stepped until the grid says it is done; `out` becomes M x N.
GridGemmRun run_gemm_on_grid(Grid& grid, Dataflow df, const BeatGemm& g, std::vector<int64_t>& out);

}  // namespace bitsys
