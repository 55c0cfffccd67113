#include "models/array/array_module.h"

#include "sim/pe/pe_kind.h"

namespace bitsys {

ArrayModule::ArrayModule(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(ArrayModule);
  SC_THREAD(run);
}

void ArrayModule::configure(const PeKind& kind, int rows, int cols, const GridSource* source) {
  auto& g = grids_[{&kind, rows, cols, source ? source->name : std::string()}];
  if (!g) g = source ? source->make(kind, rows, cols) : kind.make_grid(rows, cols);
  grid_ = g.get();
  error_.clear();
}

void ArrayModule::trace(sc_core::sc_trace_file* tf) {
  sc_core::sc_trace(tf, busy_, "array.busy");
  for (int r = 0; r < grid_->rows(); ++r)
    for (int c = 0; c < grid_->cols(); ++c) {
      const CellRefs x = grid_->cell(r, c);
      const std::string p = "array.pe_" + std::to_string(r) + "_" + std::to_string(c) + ".";
      sc_core::sc_trace(tf, *x.a, p + "a");
      sc_core::sc_trace(tf, x.w->bits, p + "w_bits");
      sc_core::sc_trace(tf, x.w->sign, p + "w_sign");
      sc_core::sc_trace(tf, x.w->ctrl, p + "w_ctrl");
      sc_core::sc_trace(tf, *x.acc, p + "acc");
    }
}

void ArrayModule::run() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    ArrayCommand c = cmd.read();
    if (c.start) {
      // Results leave through the output stage's registers; operands are read directly.
      pipeline_.start(c.fold.src, c.fold.output_latency);
      if (c.fold.output_latency) c.fold.src = &pipeline_;  // no registers: results land directly
      grid_->start(c.fold);
      grid_done_ = false;
    }
    busy_ = true;
    uint64_t steps = 0, grid_steps = 0;
    bool fold_finished = false;
    for (;;) {  // one grid step per clock cycle, until the last result is through the output stage
      ++steps;
      if (!grid_done_) {
        ++grid_steps;
        try {
          grid_done_ = grid_->step();
        } catch (const std::exception& e) {  // a grid that cannot go on (the RTL's watchdog): end the fold
          if (error_.empty()) error_ = e.what();
          grid_done_ = true;
        }
        if (grid_done_) pipeline_.last();
      }
      wait(cycle);
      const bool finished = pipeline_.clock();
      // A fold that completes before its tile's beats are in ends the command too; the
      // controller reports it.
      if (finished) {
        fold_finished = true;
        break;
      }
      if (c.feed_until >= 0 && grid_->fed() >= c.feed_until) break;
    }
    busy_ = false;
    pe_updates_ += grid_steps * static_cast<uint64_t>(grid_->rows()) * static_cast<uint64_t>(grid_->cols());
    done.write({steps, fold_finished});
  }
}

}  // namespace bitsys
