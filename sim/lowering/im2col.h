// Real tensors to GEMM operands and back: the im2col view of a conv (or the flattened view of an
// fc) for one group, and the scatter of its outputs into the layer's NCHW output.
#pragma once
#include <string>
#include <vector>

#include "sim/io/npy.h"
#include "sim/lowering/lowered.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

/// Input: (batch, C, H, W) or, with batch 1, (C, H, W); fc: (batch, features) or (features).
/// Weights: (Cout, Cin/groups, Kh, Kw); fc: (out, in). Padding reads 0, or -1 for 1-bit (+-1)
/// activations, which cannot hold 0. InputError naming the file and 'shape' on a mismatch.
IntGemm gemm_operands(const LoweredOp& op, int64_t batch, int64_t group, const NpyArray& input,
                      const std::string& input_file, const NpyArray& weights, const std::string& weights_file);

/// The layer's output shape: (batch, Cout, OH, OW) or (batch, out).
std::vector<int64_t> output_shape(const LoweredOp& op, int64_t batch);
/// Adds group `group`'s M x N result into the layer output laid out as output_shape.
void scatter_outputs(const LoweredOp& op, int64_t batch, int64_t group, const std::vector<int64_t>& gemm_out,
                     std::vector<int64_t>& layer_out);

}  // namespace bitsys
