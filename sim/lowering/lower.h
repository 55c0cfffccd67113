// Lowering: shape inference over the layer DAG, each conv/fc to a GEMM (pe-semantics.md), and
// fusion of output-stage post-ops. Every inconsistency is an InputError naming file and layer.
#pragma once
#include "sim/ir/layer.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

/// Which elementwise ops the array's output stage applies for free when they follow a GEMM
/// (pe-semantics.md: requantize, threshold/sign and ReLU always; the rest by choice).
struct FusionRules {
  bool scale_bias = false;  ///< BatchNorm / per-channel scaling folded into the requantize
  bool prelu = false;
  bool bias_shift = false;
};

LoweredNetwork lower(const Network& net, const FusionRules& rules = {});

}  // namespace bitsys
