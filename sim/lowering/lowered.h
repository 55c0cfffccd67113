// What lowering produces: per layer, a GEMM (conv/fc) or an elementwise op, with shapes,
// precisions and the post-ops the array's output stage absorbs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/ir/arch_config.h"
#include "sim/ir/layer.h"
#include "sim/ir/output_stage.h"

namespace bitsys {

/// O[M x N] = A[M x K] * W[K x N], repeated `groups` times (grouped / depthwise conv).
struct GemmShape {
  int64_t M = 0, K = 0, N = 0, groups = 1;
};

enum class OpPlacement {
  Array,   ///< a GEMM on the systolic array
  Fused,   ///< applied by the output stage of the GEMM that produced its input: no cycles
  Vector,  ///< runs on the vector unit (costed by the memory/vector model)
  Free,    ///< addressing only (concat)
};

struct LoweredOp {
  std::string name;
  LayerType type = LayerType::Conv2d;
  OpPlacement placement = OpPlacement::Array;
  std::vector<std::string> inputs;  ///< tensor names read
  std::vector<Shape> in_shapes;
  std::vector<ActPrecision> in_precisions;
  Shape out_shape;
  ActPrecision act;                                             ///< precision of the (first) input tensor
  WeightPrecision weights;                                      ///< Array ops
  ActPrecision out;                                             ///< precision of the produced tensor
  GemmShape gemm;                                               ///< Array ops
  int64_t kernel_h = 1, kernel_w = 1, stride = 1, padding = 0;  ///< conv and pool geometry
  bool global = false;                                          ///< pools: over the whole map
  int64_t scale = 1;                                            ///< upsample factor
  UpsampleMode upsample = UpsampleMode::Nearest;
  uint64_t macs = 0;                  ///< Array ops: M*K*N*groups
  uint64_t elements = 0;              ///< output elements (all batches)
  std::string fused_into;             ///< Fused ops: the GEMM layer whose output stage applies it
  bool beside = false;                ///< Fused ops: applied by the vector unit beside the array, not by the stage
  std::vector<std::string> post_ops;  ///< Array ops: names of the fused ops it applies
  std::string emits;                  ///< the tensor leaving this op: its own name, or its last fused post-op's
  ActPrecision emit_precision;        ///< precision of that tensor (a fused threshold makes it 1 bit)
  uint64_t vector_work = 0;           ///< Vector ops: element operations (pools: per window element)
  int output_latency = 0;             ///< Array ops: pipeline registers of its output stage (fused post-ops included)
  /// Array ops whose last post-ops run beside the array (`beside`, always the last
  /// `beside_ops` of post_ops): the tensor the output stage writes into the ofmap buffer for the
  /// vector unit to read, and its precision. Empty when the stage's output is `emits`.
  int beside_ops = 0;
  std::string staged;
  ActPrecision staged_precision;
  std::vector<std::string> beside_operands;  ///< the other inputs of adds among them, streamed in per fold
};

struct LoweredNetwork {
  std::string name, source, file;
  int64_t batch = 1;
  std::vector<LoweredOp> ops;
  uint64_t total_macs = 0;
  OutputStageConfig stage;  ///< the output stage it was lowered for
  Conventions conventions = Conventions::Bitsys;
};

const char* placement_name(OpPlacement p);

/// Where result (m, n) of GEMM group `group` lands in the op's output: batch, channel, row, column.
struct OutputPosition {
  int64_t b = 0, c = 0, y = 0, x = 0;
};
inline OutputPosition gemm_output_position(const LoweredOp& op, int64_t group, int64_t m, int64_t n) {
  OutputPosition p;
  p.c = group * op.gemm.N + n;
  p.b = m;
  if (op.type != LayerType::FullyConnected) {
    const int64_t ow = op.out_shape.w, ohw = op.out_shape.h * ow;
    p.b = m / ohw;
    p.y = m % ohw / ow;
    p.x = m % ow;
  }
  return p;
}

}  // namespace bitsys
