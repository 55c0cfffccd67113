#include "models/array/systemc_engine.h"

#include <stdexcept>

namespace bitsys {

struct SystemCEngine::Top {
  sc_core::sc_clock clk{"clk", sc_core::sc_time(1, sc_core::SC_NS)};
  sc_core::sc_fifo<FoldJob> cmd{"cmd", 2};
  sc_core::sc_fifo<FoldDone> done{"done", 2};
  ArrayModule array{"array"};
  Controller controller{"controller", array, sc_core::sc_time(1, sc_core::SC_NS)};

  Top() {
    array.clk(clk);
    array.cmd(cmd);
    array.done(done);
    controller.clk(clk);
    controller.cmd(cmd);
    controller.done(done);
  }
};

SystemCEngine& SystemCEngine::instance() {
  static SystemCEngine engine;
  return engine;
}

SystemCEngine::SystemCEngine() : top_(new Top) {}  // lives for the process: SystemC owns its modules

ArrayJob SystemCEngine::run(const ArrayShape& shape, const BeatGemm& gemm, std::vector<int64_t>& out) {
  if (!shape.kind) throw std::invalid_argument("SystemCEngine::run: no PE kind");
  ArrayJob job;
  job.shape = shape;
  job.gemm = &gemm;
  job.out = &out;
  top_->controller.submit(&job);
  sc_core::sc_start();
  if (top_->controller.busy()) throw std::logic_error("SystemC simulation stopped before the job finished");
  return job;
}

uint64_t SystemCEngine::pe_updates() const { return top_->array.pe_updates(); }

}  // namespace bitsys
