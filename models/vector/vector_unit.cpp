#include "models/vector/vector_unit.h"

#include <algorithm>

#include "models/system/controller.h"
#include "sim/values/codec.h"

namespace bitsys {

VectorUnit::VectorUnit(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(VectorUnit);
  SC_THREAD(run);
}

void VectorUnit::configure(int lanes, const LoweredNetwork* net, const MemoryMap* map) {
  lanes_ = static_cast<uint64_t>(lanes);
  net_ = net;
  map_ = map;
  params_.clear();
  stages_.clear();
  error_.clear();
}

uint64_t VectorUnit::compute(const Tile& t, const TileRegions& where) {
  const LoweredOp& op = net_->ops[t.op];
  auto p = params_.find(t.op);
  if (p == params_.end()) p = params_.emplace(t.op, channel_params(op, op.out_shape.c)).first;
  const TensorPlace& out = map_->tensor(op.emits);
  std::vector<const TensorPlace*> in;
  for (const auto& name : op.inputs) in.push_back(&map_->tensor(name));
  auto miss = [&](const std::string& what) {
    if (error_.empty()) error_ = "vector unit, op '" + op.name + "': " + what + " is not in its buffer region";
  };
  auto get = [&](int k, int64_t b, int64_t c, int64_t y, int64_t x) -> int32_t {
    const TensorPlace& pl = *in[static_cast<size_t>(k)];
    const uint64_t bit = pl.bit_of(b, c, y, x);
    Region* r = where.in[static_cast<size_t>(k)];
    uint32_t code = 0;
    if (!r || !r->read_field(bit, pl.bits, code)) {
      miss("input '" + op.inputs[static_cast<size_t>(k)] + "' element (" + std::to_string(c) + ", " +
           std::to_string(y) + ", " + std::to_string(x) + ")");
      return 0;
    }
    return decode_act(code, op.in_precisions[static_cast<size_t>(k)]);
  };
  const Shape& s = op.out_shape;
  uint64_t ops = 0;
  for (int64_t e = t.om0; e < t.om1; ++e) {
    const int64_t x = e % s.w, y = e / s.w % s.h, c = e / (s.w * s.h) % s.c, b = e / (s.w * s.h * s.c);
    const int32_t v = vector_output(op, p->second, b, c, y, x, get, ops);
    const uint64_t bit = out.bit_of(b, c, y, x);
    if (!where.out || !where.out->write_field(bit, out.bits, encode_act(v, op.out))) {
      miss("output element " + std::to_string(e));
      continue;
    }
    if (tap) tap(t.op, static_cast<uint64_t>(e), v);
  }
  return ops;
}

uint64_t VectorUnit::compute_post(const PostJob& job) {
  const Tile& t = *job.tile;
  const LoweredOp& op = net_->ops[t.op];
  auto& stage = stages_[t.op];
  if (!stage) stage = std::make_unique<OutputStage>(*net_, op);
  const TensorPlace &staged = map_->tensor(op.staged), &out = map_->tensor(op.emits);
  uint64_t ops = 0;
  for (int64_t m = t.om0; m < t.om1; ++m)
    for (int64_t n = t.on0; n < t.on1; ++n) {
      const OutputPosition p = gemm_output_position(op, t.group, m, n);
      uint32_t code = 0;
      if (!job.region || !job.region->read_field(staged.bit_of(p.b, p.c, p.y, p.x), staged.bits, code)) {
        if (error_.empty())
          error_ = "vector unit, layer '" + op.name + "': staged result (" + std::to_string(m) + ", " +
                   std::to_string(n) + ") is not in the fold's ofmap region";
        continue;
      }
      const int32_t v = stage->apply_beside(decode_act(code, op.staged_precision), p.c, &ops);
      if (!job.region->write_field(out.bit_of(p.b, p.c, p.y, p.x), out.bits, encode_act(v, op.emit_precision))) {
        if (error_.empty()) error_ = "vector unit, layer '" + op.name + "': a final result has no place in the fold's region";
        continue;
      }
      if (tap) tap(t.op, static_cast<uint64_t>(((p.b * op.out_shape.c + p.c) * op.out_shape.h + p.y) * op.out_shape.w + p.x), v);
    }
  return ops;
}

uint64_t VectorUnit::cycles_for(uint64_t ops) const {
  uint64_t cycles = 0;
  for (uint64_t left = ops; left > 0; left -= std::min(left, lanes_)) ++cycles;  // one cycle's lanes at a time
  return cycles;
}

void VectorUnit::run() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    const VectorCommand cmd = work.read();
    if (PostJob* post = cmd.post) {
      const uint64_t ops = net_ && map_ ? compute_post(*post) : post->tile->post_work;
      post->cycles = cycles_for(ops);
      post->finish = sc_core::sc_time_stamp() + static_cast<double>(post->cycles) * cycle;
      post->started = true;
      if (post->cycles) wait(static_cast<double>(post->cycles) * cycle);
      post->done.notify();
      continue;
    }
    const uint64_t ops = net_ && map_ ? compute(*cmd.tile, *cmd.where) : cmd.tile->work;
    const uint64_t cycles = cycles_for(ops);
    if (cycles) wait(static_cast<double>(cycles) * cycle);
    done.write(cycles);
  }
}

}  // namespace bitsys
