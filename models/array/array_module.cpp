#include "models/array/array_module.h"

#include "sim/pe/pe_kind.h"

namespace bitsys {

ArrayModule::ArrayModule(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(ArrayModule);
  SC_THREAD(run);
}

void ArrayModule::configure(const PeKind& kind, int rows, int cols, const GridSource* source, bool overlapped) {
  auto& g = grids_[{&kind, rows, cols, (source ? source->name : std::string()) + (overlapped ? "+overlapped" : "")}];
  if (!g) g = source ? source->make(kind, rows, cols, overlapped) : kind.make_grid(rows, cols, overlapped);
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
      pipeline_.set_depth(c.fold.output_latency);
      c.fold.src = pipeline_.front_for(c.fold.src);
      grid_->start(c.fold);
      ++in_array_;
    }
    busy_ = true;
    uint64_t steps = 0, grid_steps = 0;
    ArrayDone d;
    for (;;) {  // one grid step per clock cycle
      ++steps;
      if (in_array_ > 0) {
        ++grid_steps;
        bool left;
        try {
          left = grid_->step();
        } catch (const std::exception& e) {  // a grid that cannot go on (the RTL's watchdog): end its folds
          if (error_.empty()) error_ = e.what();
          left = true;
          in_array_ = 1;
        }
        if (left) {
          --in_array_;
          pipeline_.last();
        }
      }
      wait(cycle);
      d.completed = pipeline_.clock() > 0;
      d.fed_reached = c.feed_until >= 0 && grid_->fed() >= c.feed_until;
      d.until = c.until && c.until();
      // A fold completing ends the command (the controller writes it back and goes on); so does a
      // command with nothing left to step.
      if (d.completed || d.fed_reached || d.until || (in_array_ == 0 && pipeline_.idle())) break;
    }
    busy_ = false;
    pe_updates_ += grid_steps * static_cast<uint64_t>(grid_->rows()) * static_cast<uint64_t>(grid_->cols());
    d.steps = steps;
    done.write(d);
  }
}

}  // namespace bitsys
