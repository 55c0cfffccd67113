#include "models/array/controller.h"

#include <vector>

namespace bitsys {

Controller::Controller(sc_core::sc_module_name name, ArrayModule& array, sc_core::sc_time period)
    : sc_core::sc_module(name), array_(array), period_(period) {
  SC_HAS_PROCESS(Controller);
  SC_THREAD(run);
}

void Controller::run() {
  for (;;) {
    while (!pending_) {
      sc_core::sc_pause();
      wait(clk.posedge_event());
    }
    execute(*pending_);
    pending_ = nullptr;
  }
}

void Controller::execute(ArrayJob& job) {
  const BeatGemm& g = *job.gemm;
  job.out->assign(static_cast<size_t>(g.M * g.N), 0);
  const ArrayShape& s = job.shape;
  array_.configure(*s.kind, s.rows, s.cols);

  const FoldSpace space = dataflow_info(s.dataflow).map(g.M, g.Kb, g.N);
  std::vector<FoldJob> folds;
  for (int64_t r0 = 0; r0 < space.Sr; r0 += s.rows)
    for (int64_t c0 = 0; c0 < space.Sc; c0 += s.cols)
      folds.push_back(FoldJob{s.dataflow, g.A.data(), g.W.data(), job.out->data(), g.M, g.Kb, g.N, r0, c0});
  job.folds = folds.size();
  job.cycles = job.steps = 0;
  if (folds.empty()) return;

  // Keep one fold queued ahead so the array never waits for a command between folds.
  cmd.write(folds[0]);
  sc_core::sc_time first, last;
  for (size_t i = 0; i < folds.size(); ++i) {
    if (i + 1 < folds.size()) cmd.write(folds[i + 1]);
    const FoldDone d = done.read();
    if (i == 0) first = d.first_edge;
    last = d.last_edge;
    job.steps += d.steps;
  }
  job.cycles = static_cast<uint64_t>((last - first) / period_) + 1;
}

}  // namespace bitsys
