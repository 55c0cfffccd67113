#include "sim/plan/memory_map.h"

#include <algorithm>
#include <stdexcept>

namespace bitsys {

uint64_t TensorPlace::bit_of(int64_t b, int64_t ch, int64_t y, int64_t x) const {
  if (shuffle > 0) {
    const int64_t s = shuffle;
    return source->bit_of(b, ch * s * s + (y % s) * s + x % s, y / s, x / s);
  }
  return base + static_cast<uint64_t>(b) * batch_stride + static_cast<uint64_t>(((ch * h + y) * w + x) * bits);
}

uint64_t TensorPlace::bytes() const {
  SpanList l;
  tensor_spans(*this, l);
  return l.bytes();
}

void SpanList::add(uint64_t bit, uint64_t bits) {
  if (bits == 0) return;
  if (cur_.bits && bit <= cur_.bit + cur_.bits) {  // continues (or overlaps) the current span
    const uint64_t end = std::max(cur_.bit + cur_.bits, bit + bits);
    cur_.bits = end - cur_.bit;
    return;
  }
  flush();
  cur_ = Span{bit, bits};
}

void SpanList::flush() {
  if (!cur_.bits) return;
  bytes_ += cur_.bytes();
  lo_ = std::min(lo_, cur_.byte0());
  hi_ = std::max(hi_, cur_.byte_end());
  if (keep_) keep_->push_back(cur_);
  cur_ = Span{};
}

MemoryMap::MemoryMap(const LoweredNetwork& net) : net_(net) {
  std::vector<std::string> order;
  auto note = [&](const std::string& name, const Shape& s, int bits) {
    if (shapes_.emplace(name, std::make_pair(s, bits)).second) order.push_back(name);
  };
  for (const auto& op : net.ops) {
    for (size_t k = 0; k < op.inputs.size(); ++k) note(op.inputs[k], op.in_shapes[k], op.in_precisions[k].bits);
    if (op.placement == OpPlacement::Fused) continue;
    note(op.emits, op.out_shape, op.emit_precision.bits);
    if (op.type == LayerType::Concat) {
      int64_t c0 = 0;
      for (size_t k = 0; k < op.inputs.size(); ++k) {
        if (alias_.count(op.inputs[k]) || op.in_precisions[k].bits != op.emit_precision.bits)
          throw std::logic_error("memory map: tensor '" + op.inputs[k] + "' cannot be placed inside concat '" +
                                 op.name + "'");
        alias_[op.inputs[k]] = {op.emits, c0};
        c0 += op.in_shapes[k].c;
      }
    } else if (op.type == LayerType::Upsample && op.upsample == UpsampleMode::PixelShuffle) {
      views_[op.emits] = op.inputs.front();
      view_scale_[op.emits] = op.scale;
    }
  }
  for (const auto& name : order) place(name);
  for (uint32_t i = 0; i < net.ops.size(); ++i) {
    const LoweredOp& op = net.ops[i];
    if (op.placement != OpPlacement::Array) continue;
    TensorPlace w;
    w.n = op.gemm.groups;
    w.c = op.gemm.N;
    w.w = op.gemm.K;
    w.bits = op.weights.storage_bits();
    end_ = (end_ + 511) / 512 * 512;  // 64-byte aligned
    w.base = end_;
    w.batch_stride = static_cast<uint64_t>(w.c * w.w * w.bits);
    end_ += static_cast<uint64_t>(w.n) * w.batch_stride;
    weights_[i] = w;
  }
}

TensorPlace& MemoryMap::place(const std::string& name) {
  auto it = tensors_.find(name);
  if (it != tensors_.end()) return it->second;
  const auto& [shape, bits] = shapes_.at(name);
  TensorPlace t;
  t.n = net_.batch;
  t.c = shape.c;
  t.h = shape.h;
  t.w = shape.w;
  t.bits = bits;
  if (auto v = views_.find(name); v != views_.end()) {
    t.shuffle = view_scale_.at(name);
    t.source = &place(v->second);
  } else if (auto a = alias_.find(name); a != alias_.end()) {
    const TensorPlace& whole = place(a->second.first);
    t.base = whole.base + static_cast<uint64_t>(a->second.second) * whole.plane_bits();
    t.batch_stride = whole.batch_stride;
  } else {
    end_ = (end_ + 511) / 512 * 512;
    t.base = end_;
    t.batch_stride = static_cast<uint64_t>(t.c) * t.plane_bits();
    end_ += static_cast<uint64_t>(t.n) * t.batch_stride;
  }
  return tensors_[name] = t;
}

const TensorPlace& MemoryMap::tensor(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw std::logic_error("memory map: no tensor '" + name + "'");
  return it->second;
}

namespace {

/// Rows [y0, y1] of plane (b, ch), through a pixel-shuffle view when there is one.
void band(const TensorPlace& t, int64_t b, int64_t ch, int64_t y0, int64_t y1, SpanList& out) {
  if (y0 > y1) return;
  if (t.shuffle > 0) {
    const int64_t s = t.shuffle;
    for (int64_t q = 0; q < s * s; ++q) band(*t.source, b, ch * s * s + q, y0 / s, y1 / s, out);
    return;
  }
  out.add(t.bit_of(b, ch, y0, 0), static_cast<uint64_t>((y1 - y0 + 1) * t.w * t.bits));
}

/// `count` runs of `bits` bits, `stride` bits apart. When only counting and every run starts at
/// the same bit of its byte, the middle runs are counted, not listed.
void runs(SpanList& out, uint64_t first, uint64_t bits, uint64_t stride, int64_t count) {
  if (count <= 0 || bits == 0) return;
  if (bits == stride) return out.add(first, bits * static_cast<uint64_t>(count));
  if (out.counting() && stride % 8 == 0 && count >= 3 && bits < stride) {
    out.add(first, bits);
    out.add_separate_bytes(Span{first, bits}.bytes() * static_cast<uint64_t>(count - 2));
    out.add(first + stride * static_cast<uint64_t>(count - 1), bits);
    return;
  }
  for (int64_t i = 0; i < count; ++i) out.add(first + stride * static_cast<uint64_t>(i), bits);
}

/// Rows [y0, y1], columns [x0, x1] of plane (b, ch): whole rows when the box spans the width.
void box(const TensorPlace& t, int64_t b, int64_t ch, int64_t y0, int64_t y1, int64_t x0, int64_t x1, SpanList& out) {
  x0 = std::max<int64_t>(0, x0);
  x1 = std::min<int64_t>(t.w - 1, x1);
  if (t.shuffle > 0) {  // the s x s source channels behind this one, over the source box
    const int64_t s = t.shuffle;
    for (int64_t q = 0; q < s * s; ++q) box(*t.source, b, ch * s * s + q, y0 / s, y1 / s, x0 / s, x1 / s, out);
    return;
  }
  if (x0 == 0 && x1 == t.w - 1) return band(t, b, ch, y0, y1, out);
  if (x0 > x1) return;
  for (int64_t y = y0; y <= y1; ++y) out.add(t.bit_of(b, ch, y, x0), static_cast<uint64_t>((x1 - x0 + 1) * t.bits));
}

/// Elements [p0, p1) of plane (b, ch) in raster order.
void plane_run(const TensorPlace& t, int64_t b, int64_t ch, int64_t p0, int64_t p1, SpanList& out) {
  if (t.shuffle > 0) {
    band(t, b, ch, p0 / t.w, (p1 - 1) / t.w, out);
    return;
  }
  out.add(t.bit_of(b, ch, 0, 0) + static_cast<uint64_t>(p0 * t.bits), static_cast<uint64_t>((p1 - p0) * t.bits));
}

/// Calls f(b, ch, p0, p1) for every plane that output elements [e0, e1) of a (C, H, W) map touch.
template <class F>
void planes(const Shape& s, uint64_t e0, uint64_t e1, F f) {
  const uint64_t hw = static_cast<uint64_t>(s.h * s.w);
  for (uint64_t e = e0; e < e1;) {
    const uint64_t plane = e / hw, start = plane * hw, end = std::min(e1, start + hw);
    f(static_cast<int64_t>(plane / static_cast<uint64_t>(s.c)),
      static_cast<int64_t>(plane % static_cast<uint64_t>(s.c)), static_cast<int64_t>(e - start),
      static_cast<int64_t>(end - start));
    e = end;
  }
}

}  // namespace

void tensor_spans(const TensorPlace& t, SpanList& out) {
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t c = 0; c < t.c; ++c) band(t, b, c, 0, t.h - 1, out);
}

void gemm_a_spans(const LoweredOp& op, const TensorPlace& in, int64_t g, int64_t m0, int64_t m1, int64_t k0, int64_t k1,
                  SpanList& out) {
  if (m0 >= m1 || k0 >= k1) return;
  if (op.type == LayerType::FullyConnected) {
    for (int64_t b = m0; b < m1; ++b) {
      if (in.shuffle > 0) {
        for (int64_t k = k0; k < k1; ++k)
          out.add(in.bit_of(b, k / (in.h * in.w), (k / in.w) % in.h, k % in.w), static_cast<uint64_t>(in.bits));
      } else {
        out.add(in.bit_of(b, 0, 0, 0) + static_cast<uint64_t>(k0 * in.bits),
                static_cast<uint64_t>((k1 - k0) * in.bits));
      }
    }
    return;
  }
  const int64_t ohw = op.out_shape.h * op.out_shape.w, ow = op.out_shape.w, win = op.kernel_h * op.kernel_w;
  const int64_t cg = in.c / op.gemm.groups, c_lo = k0 / win, c_hi = (k1 - 1) / win;
  for (int64_t b = m0 / ohw; b <= (m1 - 1) / ohw; ++b) {
    const int64_t p0 = std::max(m0, b * ohw) - b * ohw, p1 = std::min(m1, (b + 1) * ohw) - b * ohw;
    const int64_t y0 = std::max<int64_t>(0, (p0 / ow) * op.stride - op.padding);
    const int64_t y1 = std::min<int64_t>(in.h - 1, ((p1 - 1) / ow) * op.stride - op.padding + op.kernel_h - 1);
    // Within one output row the windows touch a column range; across rows, whole rows.
    const bool one_row = p0 / ow == (p1 - 1) / ow;
    const int64_t x0 = one_row ? (p0 % ow) * op.stride - op.padding : 0;
    const int64_t x1 = one_row ? ((p1 - 1) % ow) * op.stride - op.padding + op.kernel_w - 1 : in.w - 1;
    const int64_t c0 = g * cg + c_lo, c1 = g * cg + c_hi;
    if (in.shuffle == 0 && y0 == 0 && y1 == in.h - 1 && x0 <= 0 && x1 >= in.w - 1) {  // whole planes: one run
      out.add(in.bit_of(b, c0, 0, 0), static_cast<uint64_t>(c1 - c0 + 1) * in.plane_bits());
      continue;
    }
    const bool whole_rows = x0 <= 0 && x1 >= in.w - 1;
    const int64_t xa = std::max<int64_t>(0, x0), xb = std::min<int64_t>(in.w - 1, x1);
    const uint64_t extent = static_cast<uint64_t>(whole_rows ? (y1 - y0 + 1) * in.w * in.bits
                                                             : ((y1 - y0) * in.w + (xb - xa + 1)) * in.bits);
    if (out.counting() && in.shuffle == 0 && c1 - c0 >= 8 && y0 <= y1 && in.plane_bits() >= extent + 16) {
      // Boxes of neighbouring channels are apart, and channel c + 8 starts at the same bit of its
      // byte as channel c: count eight channels and multiply.
      // The first and last channels go through the list (they bound the bytes it lies within).
      uint64_t middle = 0;
      const int64_t count = c1 - c0 + 1;
      // Byte-aligned planes (any map of 8-bit values) put every channel's box at the same bit of
      // its byte: one channel tells them all.
      for (int64_t i = 0; i < (in.plane_bits() % 8 == 0 ? 1 : 8); ++i) {
        SpanList one;
        box(in, b, c0 + i, y0, y1, x0, x1, one);
        const int64_t n =
            in.plane_bits() % 8 == 0 ? count - 2 : (count - 1 - i) / 8 + 1 - (i == 0) - (i == (count - 1) % 8);
        middle += one.bytes() * static_cast<uint64_t>(n);
      }
      box(in, b, c0, y0, y1, x0, x1, out);
      out.add_separate_bytes(middle);
      box(in, b, c1, y0, y1, x0, x1, out);
      continue;
    }
    for (int64_t c = c0; c <= c1; ++c) box(in, b, c, y0, y1, x0, x1, out);
  }
}

void gemm_w_spans(const LoweredOp&, const TensorPlace& w, int64_t g, int64_t k0, int64_t k1, int64_t n0, int64_t n1,
                  SpanList& out) {
  if (k0 >= k1) return;
  runs(out, w.bit_of(g, n0, 0, k0), static_cast<uint64_t>((k1 - k0) * w.bits), static_cast<uint64_t>(w.w * w.bits),
       n1 - n0);
}

void gemm_o_spans(const LoweredOp& op, const TensorPlace& o, int64_t g, int64_t m0, int64_t m1, int64_t n0, int64_t n1,
                  SpanList& out) {
  if (m0 >= m1 || n0 >= n1) return;
  if (op.type == LayerType::FullyConnected) {
    runs(out, o.bit_of(m0, n0, 0, 0), static_cast<uint64_t>((n1 - n0) * o.bits), o.batch_stride, m1 - m0);
    return;
  }
  const int64_t ohw = op.out_shape.h * op.out_shape.w;
  for (int64_t b = m0 / ohw; b <= (m1 - 1) / ohw; ++b) {
    const int64_t p0 = std::max(m0, b * ohw) - b * ohw, p1 = std::min(m1, (b + 1) * ohw) - b * ohw;
    if (o.shuffle == 0) {
      runs(out, o.bit_of(b, g * op.gemm.N + n0, 0, 0) + static_cast<uint64_t>(p0 * o.bits),
           static_cast<uint64_t>((p1 - p0) * o.bits), o.plane_bits(), n1 - n0);
      continue;
    }
    for (int64_t n = n0; n < n1; ++n) plane_run(o, b, g * op.gemm.N + n, p0, p1, out);
  }
}

void vector_in_spans(const LoweredOp& op, int k, const TensorPlace& in, uint64_t e0, uint64_t e1, SpanList& out) {
  const bool windowed =
      op.type == LayerType::MaxPool || op.type == LayerType::AvgPool || op.type == LayerType::Upsample;
  planes(op.out_shape, e0, e1, [&](int64_t b, int64_t c, int64_t p0, int64_t p1) {
    if (!windowed) return plane_run(in, b, c, p0, p1, out);
    const int64_t ya = p0 / op.out_shape.w, yb = (p1 - 1) / op.out_shape.w;
    int64_t y0, y1, x0 = 0, x1 = in.w - 1;
    const bool one_row = ya == yb;
    if (op.type == LayerType::Upsample) {
      const int64_t s = op.scale;
      y0 = op.upsample == UpsampleMode::Bilinear ? std::max<int64_t>(0, (2 * ya + 1 - s) / (2 * s)) : ya / s;
      y1 = std::min<int64_t>(in.h - 1, yb / s + (op.upsample == UpsampleMode::Bilinear ? 1 : 0));
    } else {
      y0 = std::max<int64_t>(0, ya * op.stride - op.padding);
      y1 = std::min<int64_t>(in.h - 1, yb * op.stride - op.padding + op.kernel_h - 1);
      if (one_row) {
        x0 = (p0 % op.out_shape.w) * op.stride - op.padding;
        x1 = ((p1 - 1) % op.out_shape.w) * op.stride - op.padding + op.kernel_w - 1;
      }
    }
    box(in, b, c, y0, y1, x0, x1, out);
  });
  (void)k;
}

void vector_o_spans(const LoweredOp& op, const TensorPlace& o, uint64_t e0, uint64_t e1, SpanList& out) {
  planes(op.out_shape, e0, e1, [&](int64_t b, int64_t c, int64_t p0, int64_t p1) { plane_run(o, b, c, p0, p1, out); });
}

}  // namespace bitsys
