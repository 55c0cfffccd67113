// The analytic model: closed-form cycles of a GEMM layer, equal to the SystemC model's.
#pragma once
#include "sim/engine/fidelity.h"

namespace bitsys {

/// Cycles of one fold under the no-overlap schedule: 2R + C + T - 2 (SCALE-Sim's paper model).
uint64_t fold_cycles(const ArchConfig& arch, int64_t T);

/// Beats, fold space, folds and cycles of a GEMM layer; InputError when the PE kind refuses
/// the layer's precision or the counts overflow.
GemmRun analytic_gemm(const ArchConfig& arch, const LoweredOp& op);

}  // namespace bitsys
