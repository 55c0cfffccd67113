#include "models/array/buffer_operands.h"

#include <stdexcept>

#include "sim/pe/pe_kind.h"
#include "sim/values/codec.h"

namespace bitsys {

BufferOperands::BufferOperands(const ArchConfig& arch, const LoweredNetwork& net, const MemoryMap& map)
    : arch_(arch), net_(net), map_(map), a_keys_(kCacheSets), w_keys_(kCacheSets) {}

void BufferOperands::fail(const std::string& what) {
  if (error_.empty()) error_ = "array, layer '" + op_->name + "': " + what;
}

FoldJob BufferOperands::start_fold(const Tile& t) {
  op_ = &net_.ops[t.op];
  if (op_index_ != t.op || !stage_) {
    auto& s = stages_[t.op];
    if (!s) s = std::make_unique<OutputStage>(net_, *op_);
    stage_ = s.get();
  }
  op_index_ = t.op;
  in_ = &map_.tensor(op_->inputs.front());
  w_ = &map_.weights(t.op);
  out_ = &map_.tensor(op_->beside_ops ? op_->staged : op_->emits);
  group_ = t.group;
  lanes_ = arch_.lanes;
  passes_ = arch_.pe->passes(op_->act, op_->weights);
  Kb_ = beats_for(*arch_.pe, op_->gemm.K, arch_.lanes, op_->act, op_->weights);
  cg_ = op_->in_shapes.front().c / op_->gemm.groups;
  ws_ = arch_.dataflow == Dataflow::WS;
  t0_ = t.t0;
  col0_ = t.col0;
  first_k_ = arch_.dataflow == Dataflow::OS || t.row0 == 0;
  last_k_ = arch_.dataflow == Dataflow::OS || t.row0 + arch_.rows >= Kb_;
  slab_ = !(first_k_ && last_k_);
  a_words_.resize(kCacheSets * static_cast<size_t>(passes_));
  w_beats_.resize(kCacheSets * static_cast<size_t>(passes_));
  vals_.resize(static_cast<size_t>(lanes_));
  if (slab_ && arch_.psum_policy == PsumPolicy::Unbounded && first_k_)
    unbounded_slab_.assign(static_cast<size_t>(std::max<int64_t>(1, t.tlen)) * arch_.cols, 0);
  ++gen_;
  current_ = (current_ + 1) % results_.size();
  FoldResults& r = results_[current_];
  r.owner = this;
  r.op = op_;
  r.op_index = op_index_;
  r.out = out_;
  r.stage = stage_;
  r.region = where_.out;
  r.slab = where_.slab;
  r.group = group_;
  r.t0 = t0_;
  r.col0 = col0_;
  r.first_k = first_k_;
  r.last_k = last_k_;
  r.has_slab = slab_;
  r.ws = ws_;
  return FoldJob{arch_.dataflow, &r, op_->gemm.M, Kb_, op_->gemm.N, t.row0, t.col0, t.t0, t.tlen, op_->output_latency};
}

void BufferOperands::set_regions(const TileRegions& where) {
  where_ = where;
  ++gen_;  // what was read from the previous tile's regions is not this tile's data
}

int32_t BufferOperands::act(int64_t m, int64_t k) {
  const LoweredOp& op = *op_;
  int64_t b, c, y, x;
  if (op.type == LayerType::FullyConnected) {
    const Shape& s = op.in_shapes.front();
    b = m;
    c = k / (s.h * s.w);
    y = k / s.w % s.h;
    x = k % s.w;
  } else {
    const int64_t ow = op.out_shape.w, ohw = op.out_shape.h * ow, win = op.kernel_h * op.kernel_w;
    b = m / ohw;
    const int64_t p = m % ohw, i = k % win / op.kernel_w, j = k % op.kernel_w;
    c = group_ * cg_ + k / win;
    y = p / ow * op.stride - op.padding + i;
    x = p % ow * op.stride - op.padding + j;
    if (y < 0 || y >= in_->h || x < 0 || x >= in_->w) return pad_value(op.act);
  }
  const uint64_t bit = in_->bit_of(b, c, y, x);
  uint32_t code = 0;
  if (!where_.a || !where_.a->read_field(bit, in_->bits, code)) {
    fail("activation (" + std::to_string(c) + ", " + std::to_string(y) + ", " + std::to_string(x) + ") of batch " +
         std::to_string(b) + " is not in the ifmap buffer region of this tile (" +
         (where_.a ? where_.a->describe() : std::string("none")) + ")");
    return pad_value(op.act);
  }
  return decode_act(code, op.act);
}

int32_t BufferOperands::weight(int64_t k, int64_t n) {
  const uint64_t bit = w_->bit_of(group_, n, 0, k);
  uint32_t code = 0;
  if (!where_.w || !where_.w->read_field(bit, w_->bits, code)) {
    fail("weight (k " + std::to_string(k) + ", n " + std::to_string(n) +
         ") is not in the filter buffer region of this tile");
    return 0;
  }
  return decode_weight(code, op_->weights);
}

/// The encoded passes of chunk `chunk` of row or column x, from the direct-mapped cache or
/// freshly gathered by `gather(k)` for its K elements and encoded by `encode`.
template <class T, class Gather, class Encode>
T* BufferOperands::cached(std::vector<Key>& keys, std::vector<T>& store, int64_t x, int64_t chunk, Gather gather,
                          Encode encode) {
  const size_t set = static_cast<size_t>((x * 131 + chunk) % static_cast<int64_t>(kCacheSets));
  Key& key = keys[set];
  T* passes = &store[set * static_cast<size_t>(passes_)];
  if (key.x != x || key.y != chunk || key.gen != gen_) {
    const int64_t k0 = chunk * lanes_, cnt = std::min<int64_t>(lanes_, op_->gemm.K - k0);
    for (int64_t j = 0; j < cnt; ++j) vals_[static_cast<size_t>(j)] = gather(k0 + j);
    encode(cnt, passes);
    key = {x, chunk, gen_};
  }
  return passes;
}

uint64_t BufferOperands::a(int64_t m, int64_t kb) {
  return cached(
      a_keys_, a_words_, m, kb / passes_, [&](int64_t k) { return act(m, k); },
      [&](int64_t cnt, uint64_t* out) {
        arch_.pe->encode_activations(vals_.data(), cnt, arch_.lanes, op_->act, op_->weights, out);
      })[kb % passes_];
}

Beat BufferOperands::w(int64_t kb, int64_t n) {
  return cached(
      w_keys_, w_beats_, n, kb / passes_, [&](int64_t k) { return weight(k, n); },
      [&](int64_t cnt, Beat* out) {
        arch_.pe->encode_weights(vals_.data(), cnt, arch_.lanes, op_->act, op_->weights, out);
      })[kb % passes_];
}

void BufferOperands::FoldResults::result(int64_t m, int64_t n, int64_t value) {
  if (has_slab) {  // partial sums of the k-blocks meet in the slab (32-bit, in the ofmap buffer)
    const int64_t t = ws ? m : n, col = ws ? n : m;
    const int64_t span = ws ? op->gemm.N : op->gemm.M;
    const int64_t stride = slab_stride(owner->arch_, span, std::min<int64_t>(owner->arch_.cols, span - col0));
    const size_t idx = static_cast<size_t>((t - t0) * stride + (col - col0));
    int32_t* slot;
    if (slab) {
      Region& r = *slab;
      if (r.bytes() < (idx + 1) * 4) {  // laid out on first use, as large as the op's T-tiles need
        Region grown;
        grown.assign({Span{0, std::max<uint64_t>((idx + 1) * 4, 2 * r.bytes()) * 8}});
        std::copy(r.data(), r.data() + r.bytes(), grown.data());
        r = std::move(grown);
      }
      slot = reinterpret_cast<int32_t*>(r.data()) + idx;
    } else {
      if (idx >= owner->unbounded_slab_.size()) owner->unbounded_slab_.resize(idx + 1, 0);
      slot = &owner->unbounded_slab_[idx];
    }
    if (first_k) {
      *slot = static_cast<int32_t>(value);
      return;
    }
    if (!last_k) {
      *slot += static_cast<int32_t>(value);
      return;
    }
    value += *slot;
  }
  const LoweredOp& o = *op;
  const OutputPosition p = gemm_output_position(o, group, m, n);
  // With post-ops beside the array the stage leaves its values staged for the vector unit, which
  // writes (and reports) the final ones.
  const bool staged = o.beside_ops > 0;
  const int32_t v = stage->apply(value, p.c);
  const uint64_t bit = out->bit_of(p.b, p.c, p.y, p.x);
  if (!region || !region->write_field(bit, out->bits, encode_act(v, staged ? o.staged_precision : o.emit_precision))) {
    owner->fail("result (" + std::to_string(m) + ", " + std::to_string(n) +
                ") has no place in the fold's ofmap region");
    return;
  }
  if (owner->tap && !staged)
    owner->tap(op_index,
               static_cast<uint64_t>(((p.b * o.out_shape.c + p.c) * o.out_shape.h + p.y) * o.out_shape.w + p.x), v);
}

}  // namespace bitsys
