#include "sim/pe/grid_gemm.h"

namespace bitsys {

GridGemmRun run_gemm_on_grid(Grid& grid, Dataflow df, const BeatGemm& g, std::vector<int64_t>& out, bool overlapped) {
  out.assign(static_cast<size_t>(g.M * g.N), 0);
  ArrayOperands operands(g.A.data(), g.W.data(), out.data(), g.Kb, g.N);
  const FoldSpace s = dataflow_info(df).map(g.M, g.Kb, g.N);
  GridGemmRun r;
  int in_array = 0;
  auto step = [&] {
    ++r.cycles;
    if (grid.step()) {
      r.completions.push_back(r.cycles);
      --in_array;
    }
  };
  for (int64_t r0 = 0; r0 < s.Sr; r0 += grid.rows())
    for (int64_t c0 = 0; c0 < s.Sc; c0 += grid.cols()) {
      while (in_array > (overlapped ? 1 : 0)) step();
      FoldJob job;
      job.dataflow = df;
      job.src = &operands;
      job.M = g.M;
      job.Kb = g.Kb;
      job.N = g.N;
      job.row0 = r0;
      job.col0 = c0;
      grid.start(job);
      ++in_array;
      ++r.folds;
      if (overlapped)
        while (grid.fed() < s.T) step();
    }
  while (in_array > 0) step();
  return r;
}

}  // namespace bitsys
