// Integer tensors of a network: its inputs and weights (seeded or supplied), and every tensor the
// independent reference computes from them (sim/values/README.md).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/lowering/lowered.h"

namespace bitsys {

/// A (batch, C, H, W) tensor of integer values, row-major.
struct IntTensor {
  int64_t n = 1, c = 1, h = 1, w = 1;
  std::vector<int32_t> v;
  int32_t& at(int64_t b, int64_t ch, int64_t y, int64_t x) {
    return v[static_cast<size_t>(((b * c + ch) * h + y) * w + x)];
  }
  int32_t at(int64_t b, int64_t ch, int64_t y, int64_t x) const {
    return v[static_cast<size_t>(((b * c + ch) * h + y) * w + x)];
  }
  static IntTensor zeros(int64_t n, int64_t c, int64_t h, int64_t w);
};

struct NetworkValues {
  std::map<std::string, IntTensor> tensors;  ///< by tensor name: network inputs, then what ops emit
  /// GEMM weights by op index: conv (Cout, Cin/groups, Kh, Kw) as (n=Cout, c=Cin/groups, h=Kh, w=Kw); fc (out, in).
  std::map<uint32_t, IntTensor> weights;
};

/// Network inputs and GEMM weights drawn uniformly from their precisions' value sets (seeded).
NetworkValues random_values(const LoweredNetwork& net, uint64_t seed);

/// Every op's emitted tensor, computed directly (convolution loops, not im2col or tiles) from
/// the inputs and weights in `values`; uses sim/values/semantics for the output stage and the
/// vector ops.
void reference_network(const LoweredNetwork& net, NetworkValues& values);

}  // namespace bitsys
