// Lowering: shape inference over the layer DAG, each conv/fc to a GEMM (pe-semantics.md), and
// fusion of output-stage post-ops. Every inconsistency is an InputError naming file and layer.
#pragma once
#include "sim/ir/arch_config.h"
#include "sim/ir/layer.h"
#include "sim/ir/output_stage.h"
#include "sim/lowering/lowered.h"

namespace bitsys {

/// Lowers for an array whose output stage is `stage` (the architecture's `output_stage`): the
/// post-ops it applies are fused into the GEMM before them, the rest run on the vector unit.
/// `conventions`: ScaleSim sizes window outputs as SCALE-Sim v2 does, ceil((H + 2P - F + S) / S).
LoweredNetwork lower(const Network& net, const OutputStageConfig& stage = {},
                     Conventions conventions = Conventions::Bitsys);
/// Lowered for `arch`: its output stage and conventions.
LoweredNetwork lower_for(const Network& net, const ArchConfig& arch);
/// Whether `net` was lowered as lower_for(..., arch) would lower it.
bool lowered_for(const LoweredNetwork& net, const ArchConfig& arch);

}  // namespace bitsys
