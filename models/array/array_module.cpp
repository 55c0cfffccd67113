#include "models/array/array_module.h"

#include "models/pe/pe_kind.h"

namespace bitsys {

ArrayModule::ArrayModule(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(ArrayModule);
  SC_THREAD(run);
  sensitive << clk.pos();
  dont_initialize();
}

void ArrayModule::configure(const PeKind& kind, int rows, int cols) {
  auto& g = grids_[{&kind, rows, cols}];
  if (!g) g = kind.make_grid(rows, cols);
  grid_ = g.get();
}

void ArrayModule::run() {
  for (;;) {
    const FoldJob job = cmd.read();
    grid_->start(job);
    FoldDone d;
    wait();  // a fold's first cycle is the next clock edge
    d.first_edge = sc_core::sc_time_stamp();
    for (;;) {
      ++d.steps;
      if (grid_->step()) break;
      wait();
    }
    d.last_edge = sc_core::sc_time_stamp();
    pe_updates_ += d.steps * static_cast<uint64_t>(grid_->rows()) * static_cast<uint64_t>(grid_->cols());
    done.write(d);
  }
}

}  // namespace bitsys
