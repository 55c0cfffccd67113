#include "sim/lowering/output_shape.h"

namespace bitsys {

std::vector<int64_t> output_shape(const LoweredOp& op, int64_t batch) {
  if (op.type == LayerType::FullyConnected) return {batch, op.out_shape.c};
  return {batch, op.out_shape.c, op.out_shape.h, op.out_shape.w};
}

}  // namespace bitsys
