// Lowering: shape inference over the layer DAG, each conv/fc to a GEMM (pe-semantics.md), and
// fusion of output-stage post-ops. Every inconsistency is an InputError naming file and layer.
#pragma once
#include "sim/ir/layer.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

LoweredNetwork lower(const Network& net);

}  // namespace bitsys
