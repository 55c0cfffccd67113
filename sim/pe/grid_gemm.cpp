#include "sim/pe/grid_gemm.h"

namespace bitsys {

GridGemmRun run_gemm_on_grid(Grid& grid, Dataflow df, const BeatGemm& g, std::vector<int64_t>& out) {
  out.assign(static_cast<size_t>(g.M * g.N), 0);
  ArrayOperands operands(g.A.data(), g.W.data(), out.data(), g.Kb, g.N);
  const FoldSpace s = dataflow_info(df).map(g.M, g.Kb, g.N);
  GridGemmRun r;
  for (int64_t r0 = 0; r0 < s.Sr; r0 += grid.rows())
    for (int64_t c0 = 0; c0 < s.Sc; c0 += grid.cols()) {
      FoldJob job;
      job.dataflow = df;
      job.src = &operands;
      job.M = g.M;
      job.Kb = g.Kb;
      job.N = g.N;
      job.row0 = r0;
      job.col0 = c0;
      grid.start(job);
      do ++r.cycles;
      while (!grid.step());
      ++r.folds;
    }
  return r;
}

}  // namespace bitsys
