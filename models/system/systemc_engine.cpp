#include "models/system/systemc_engine.h"

#include <stdexcept>

#include "models/vector/vector_unit.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

struct SystemCEngine::Top {
  sc_core::sc_fifo<DramRequest*> dram_q{"dram_q", 16};
  sc_core::sc_fifo<ArrayCommand> array_cmd{"array_cmd", 1};
  sc_core::sc_fifo<ArrayDone> array_done{"array_done", 1};
  sc_core::sc_fifo<VectorCommand> vector_work{"vector_work", 1};
  sc_core::sc_fifo<uint64_t> vector_done{"vector_done", 1};
  DramChannel dram{"dram"};
  ArrayModule array{"array"};
  VectorUnit vector{"vector"};
  SramBuffer ifmap{"ifmap_buffer"}, filter{"filter_buffer"}, ofmap{"ofmap_buffer"};
  Controller controller{"controller"};

  Top() {
    controller.buffers = {&ifmap, &filter, &ofmap};
    dram.requests(dram_q);
    array.cmd(array_cmd);
    array.done(array_done);
    vector.work(vector_work);
    vector.done(vector_done);
    controller.dram(dram_q);
    controller.array_cmd(array_cmd);
    controller.array_done(array_done);
    controller.vector_work(vector_work);
    controller.vector_done(vector_done);
  }
};

SystemCEngine& SystemCEngine::instance() {
  static SystemCEngine engine;
  return engine;
}

SystemCEngine::SystemCEngine() : top_(new Top) {}  // lives for the process: SystemC owns its modules

void SystemCEngine::run(const ArchConfig& arch, ControllerJob& job, uint64_t* dram_read, uint64_t* dram_written) {
  if (!arch.pe) throw std::invalid_argument("SystemCEngine::run: no PE kind");
  top_->array.configure(*arch.pe, arch.rows, arch.cols, job.grids, arch.schedule == FoldSchedule::Overlapped);
  job.schedule = arch.schedule;
  top_->dram.configure(arch);
  top_->vector.configure(arch.vector_lanes, job.net, job.map);
  top_->vector.tap = job.vector_tap;
  // Capacities straight from the configuration: the buffers check the plan, not the reverse.
  top_->ifmap.configure(static_cast<uint64_t>(arch.ifmap_kib * 1024.0));
  top_->filter.configure(static_cast<uint64_t>(arch.filter_kib * 1024.0));
  for (SramBuffer* b : top_->controller.buffers) b->set_port_width(arch.sram_port_units());
  top_->ofmap.configure(arch.psum_policy == PsumPolicy::Unbounded ? UINT64_MAX  // SCALE-Sim's convention
                                                                  : static_cast<uint64_t>(arch.ofmap_kib * 1024.0));
  const uint64_t r0 = top_->dram.bytes_read(), w0 = top_->dram.bytes_written();
  top_->controller.submit(&job);
  started_ = true;
  sc_core::sc_start();
  if (job.failure) std::rethrow_exception(job.failure);
  if (top_->controller.busy()) throw std::logic_error("SystemC simulation stopped before the job finished");
  if (job.error.empty()) job.error = top_->array.error();
  if (job.error.empty()) job.error = top_->dram.error();
  if (job.error.empty()) job.error = top_->vector.error();
  if (!job.error.empty()) throw std::logic_error("SystemC model: " + job.error);
  if (dram_read) *dram_read = top_->dram.bytes_read() - r0;
  if (dram_written) *dram_written = top_->dram.bytes_written() - w0;
}

GemmRunResult SystemCEngine::run_gemm(const ArrayShape& shape, const BeatGemm& gemm, std::vector<int64_t>& out) {
  ArchConfig arch;
  arch.rows = shape.rows;
  arch.cols = shape.cols;
  arch.dataflow = shape.dataflow;
  arch.pe = shape.kind;
  arch.schedule = shape.schedule;
  arch.dram_unlimited = true;
  out.assign(static_cast<size_t>(gemm.M * gemm.N), 0);
  const FoldSpace space = dataflow_info(shape.dataflow).map(gemm.M, gemm.Kb, gemm.N);
  std::vector<Tile> tiles;
  for (int64_t r0 = 0; r0 < space.Sr; r0 += shape.rows)
    for (int64_t c0 = 0; c0 < space.Sc; c0 += shape.cols) {
      Tile t;
      t.fold_start = t.fold_end = true;
      t.work = static_cast<uint64_t>(space.T);
      t.row0 = r0;
      t.col0 = c0;
      tiles.push_back(t);
    }
  ControllerJob job;
  job.tiles = &tiles;
  ArrayOperands operands(gemm.A.data(), gemm.W.data(), out.data(), gemm.Kb, gemm.N);
  job.fold_of = [&](const Tile& t) {
    return FoldJob{shape.dataflow, &operands, gemm.M, gemm.Kb, gemm.N, t.row0, t.col0};
  };
  run(arch, job);
  return {job.total_cycles, tiles.size()};
}

DramMemory& SystemCEngine::dram_memory() {
  return top_->dram.memory();
}

uint64_t SystemCEngine::pe_updates() const {
  return top_->array.pe_updates();
}

void SystemCEngine::open_trace(const std::string& path, const ArchConfig& arch) {
  if (started_ || trace_) throw std::logic_error("a trace must be opened before the first SystemC run");
  std::string base = path;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".vcd") base.resize(base.size() - 4);  // SystemC appends .vcd
  trace_ = sc_core::sc_create_vcd_trace_file(base.c_str());
  trace_->set_time_unit(1, sc_core::SC_NS);
  top_->array.configure(*arch.pe, arch.rows, arch.cols);
  top_->array.trace(trace_);
  top_->dram.trace(trace_);
  top_->controller.trace(trace_);
  for (SramBuffer* b : top_->controller.buffers) b->trace(trace_);
}

void SystemCEngine::close_trace() {
  if (trace_) sc_core::sc_close_vcd_trace_file(trace_);
  trace_ = nullptr;
}

}  // namespace bitsys
