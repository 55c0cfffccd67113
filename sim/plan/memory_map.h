// Where every tensor lives in DRAM and which bits a tile's operands occupy there: the addresses
// half of the tile plan's "what". Tensors are stored NCHW with elements packed at their
// precision's bits (1-bit maps as bits), GEMM weights as (group, N, K) rows at their storage
// bits. A concat's inputs are placed inside its output, so it costs no copy; a pixel shuffle is a
// view of its input. sim/plan/README.md has the layout and the footprint rules.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/lowering/lowered.h"

namespace bitsys {

/// A run of bits in DRAM, moved as the whole bytes that cover it.
struct Span {
  uint64_t bit = 0, bits = 0;
  uint64_t byte0() const { return bit / 8; }
  uint64_t byte_end() const { return (bit + bits + 7) / 8; }
  uint64_t bytes() const { return bits ? byte_end() - byte0() : 0; }
  /// The span's bits in its first and last covering byte (a write touches only these).
  uint8_t first_mask() const { return static_cast<uint8_t>(0xFF << (bit % 8)); }
  uint8_t last_mask() const {
    const int tail = static_cast<int>((bit + bits) % 8);
    return tail ? static_cast<uint8_t>(0xFF >> (8 - tail)) : 0xFF;
  }
};

/// One tensor's placement: element (b, c, y, x) at base + b * batch_stride + ((c * h + y) * w + x) * bits.
struct TensorPlace {
  uint64_t base = 0, batch_stride = 0;  ///< in bits
  int64_t n = 1, c = 1, h = 1, w = 1;
  int bits = 8;
  int64_t shuffle = 0;  ///< > 0: a pixel-shuffle view of `source` by this factor
  const TensorPlace* source = nullptr;

  uint64_t bit_of(int64_t b, int64_t ch, int64_t y, int64_t x) const;
  uint64_t plane_bits() const { return static_cast<uint64_t>(h * w * bits); }
  uint64_t bytes() const;  ///< of the whole tensor as loaded at once
};

class MemoryMap {
 public:
  explicit MemoryMap(const LoweredNetwork& net);
  MemoryMap(const MemoryMap&) = delete;
  const TensorPlace& tensor(const std::string& name) const;
  /// (n = groups, c = N, h = 1, w = K) at the weights' storage bits.
  const TensorPlace& weights(uint32_t op) const { return weights_.at(op); }
  uint64_t end_byte() const { return end_ / 8; }

 private:
  TensorPlace& place(const std::string& name);
  const LoweredNetwork& net_;
  std::map<std::string, TensorPlace> tensors_;
  std::map<uint32_t, TensorPlace> weights_;
  std::map<std::string, std::pair<std::string, int64_t>> alias_;  ///< concat input -> (output, channel offset)
  std::map<std::string, std::pair<Shape, int>> shapes_;
  std::map<std::string, std::string> views_;  ///< pixel-shuffle output -> input
  std::map<std::string, int64_t> view_scale_;
  uint64_t end_ = 0;
};

/// Collects spans in increasing address order, merging those whose bits continue each other;
/// counts the bytes moved (a byte two spans share moves with each: transfers write whole bytes
/// under a bit mask, so neither clobbers the other's bits).
class SpanList {
 public:
  explicit SpanList(std::vector<Span>* keep = nullptr) : keep_(keep) {}
  void add(uint64_t bit, uint64_t bits);
  uint64_t bytes() {
    flush();
    return bytes_;
  }
  /// The bytes [lo, hi) its spans lie within (lo > hi when empty).
  uint64_t lo() const { return lo_; }
  uint64_t hi() const { return hi_; }
  /// Only counting (no span list kept): callers may add a run's bytes without its spans.
  bool counting() const { return keep_ == nullptr; }
  /// `bytes` more moved, in spans apart from any other (counting only).
  void add_separate_bytes(uint64_t bytes) {
    flush();
    bytes_ += bytes;
  }

 private:
  void flush();
  std::vector<Span>* keep_;
  Span cur_;
  uint64_t bytes_ = 0;
  uint64_t lo_ = UINT64_MAX, hi_ = 0;
};

/// A GEMM's operand footprints in DRAM (group g). A: activation rows [m0, m1) x K [k0, k1) —
/// for a conv, the input rows its windows touch, of the input channels the K range covers, in
/// full; W: K [k0, k1) x columns [n0, n1); O: results [m0, m1) x [n0, n1) of the emitted tensor.
void gemm_a_spans(const LoweredOp& op, const TensorPlace& in, int64_t g, int64_t m0, int64_t m1, int64_t k0, int64_t k1,
                  SpanList& out);
void gemm_w_spans(const LoweredOp& op, const TensorPlace& w, int64_t g, int64_t k0, int64_t k1, int64_t n0, int64_t n1,
                  SpanList& out);
void gemm_o_spans(const LoweredOp& op, const TensorPlace& o, int64_t g, int64_t m0, int64_t m1, int64_t n0, int64_t n1,
                  SpanList& out);
/// Input k of a vector op for output elements [e0, e1) (NCHW order): the same elements, or for
/// pools and upsampling the input rows the outputs' windows touch.
void vector_in_spans(const LoweredOp& op, int k, const TensorPlace& in, uint64_t e0, uint64_t e1, SpanList& out);
void vector_o_spans(const LoweredOp& op, const TensorPlace& o, uint64_t e0, uint64_t e1, SpanList& out);
/// The whole tensor.
void tensor_spans(const TensorPlace& t, SpanList& out);

}  // namespace bitsys
