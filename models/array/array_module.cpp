#include "models/array/array_module.h"

#include "models/pe/pe_kind.h"

namespace bitsys {

ArrayModule::ArrayModule(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(ArrayModule);
  SC_THREAD(run);
}

void ArrayModule::configure(const PeKind& kind, int rows, int cols) {
  auto& g = grids_[{&kind, rows, cols}];
  if (!g) g = kind.make_grid(rows, cols);
  grid_ = g.get();
}

void ArrayModule::run() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    const ArrayCommand c = cmd.read();
    if (c.start) grid_->start(c.fold);
    uint64_t steps = 0;
    for (;;) {  // one grid step per clock cycle
      ++steps;
      const bool finished = grid_->step();
      wait(cycle);
      // A fold that completes early ends the command too; the controller checks the count.
      if (finished || steps == c.cycles) break;
    }
    pe_updates_ += steps * static_cast<uint64_t>(grid_->rows()) * static_cast<uint64_t>(grid_->cols());
    done.write(steps);
  }
}

}  // namespace bitsys
