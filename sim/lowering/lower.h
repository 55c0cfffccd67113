// Lowering: shape inference over the layer DAG, each conv/fc to a GEMM (pe-semantics.md), and
// fusion of output-stage post-ops. Every inconsistency is an InputError naming file and layer.
#pragma once
#include "sim/ir/layer.h"
#include "sim/ir/output_stage.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

/// Lowers for an array whose output stage is `stage` (the architecture's `output_stage`): the
/// post-ops it applies are fused into the GEMM before them, the rest run on the vector unit.
LoweredNetwork lower(const Network& net, const OutputStageConfig& stage = {});

}  // namespace bitsys
