// A layer's output tensor shape as .npy files carry it.
#pragma once
#include <vector>

#include "sim/lowering/lowered.h"

namespace bitsys {

/// The layer's output shape: (batch, Cout, OH, OW) or (batch, out).
std::vector<int64_t> output_shape(const LoweredOp& op, int64_t batch);

}  // namespace bitsys
