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
  const LoweredOp& gemm = net_->ops[t.op];
  // The post-ops in order, each with its parameters and the tensor it continues the chain from.
  struct Step {
    const LoweredOp* op;
    const ChannelParams* params;
    std::string chain;
    std::vector<const TensorPlace*> places;  ///< of its inputs
  };
  std::vector<Step> steps;
  std::string chain = gemm.staged;
  for (const auto& name : gemm.post_ops)
    for (uint32_t i = 0; i < net_->ops.size(); ++i) {
      const LoweredOp& op = net_->ops[i];
      if (op.name != name || !op.beside) continue;
      auto p = params_.find(i);
      if (p == params_.end()) p = params_.emplace(i, channel_params(op, op.out_shape.c)).first;
      steps.push_back({&op, &p->second, chain, {}});
      for (const auto& input : op.inputs) steps.back().places.push_back(&map_->tensor(input));
      chain = op.name;
    }
  const TensorPlace &staged = map_->tensor(gemm.staged), &out = map_->tensor(gemm.emits);
  uint64_t ops = 0;
  auto read = [&](Region* region, const TensorPlace& place, const ActPrecision& precision, const OutputPosition& p,
                  const std::string& tensor) -> int32_t {
    uint32_t code = 0;
    if (!region || !region->read_field(place.bit_of(p.b, p.c, p.y, p.x), place.bits, code)) {
      if (error_.empty())
        error_ = "vector unit, layer '" + gemm.name + "': '" + tensor + "' element (" + std::to_string(p.c) + ", " +
                 std::to_string(p.y) + ", " + std::to_string(p.x) + ") is not in its ofmap region";
      return 0;
    }
    return decode_act(code, precision);
  };
  for (int64_t m = t.om0; m < t.om1; ++m)
    for (int64_t n = t.on0; n < t.on1; ++n) {
      const OutputPosition p = gemm_output_position(gemm, t.group, m, n);
      int32_t v = read(job.region, staged, gemm.staged_precision, p, gemm.staged);
      for (const Step& s : steps) {
        const LoweredOp& op = *s.op;
        auto get = [&](int k, int64_t, int64_t, int64_t, int64_t) {
          const std::string& input = op.inputs[static_cast<size_t>(k)];
          if (input == s.chain) return v;
          return read(job.operand_region, *s.places[static_cast<size_t>(k)], op.in_precisions[static_cast<size_t>(k)],
                      p, input);
        };
        v = vector_output(op, *s.params, p.b, p.c, p.y, p.x, get, ops);
      }
      if (!job.region->write_field(out.bit_of(p.b, p.c, p.y, p.x), out.bits, encode_act(v, gemm.emit_precision))) {
        if (error_.empty())
          error_ = "vector unit, layer '" + gemm.name + "': a final result has no place in its fold's region";
        continue;
      }
      if (tap)
        tap(t.op,
            static_cast<uint64_t>(((p.b * gemm.out_shape.c + p.c) * gemm.out_shape.h + p.y) * gemm.out_shape.w + p.x),
            v);
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
      if (post->operands)  // an add's other operand, streamed in as the fold started
        while (!post->operands->done) wait(post->operands->done_event);
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
