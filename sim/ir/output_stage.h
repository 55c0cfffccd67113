// The array's output stage as a hardware option: which per-channel post-ops it applies in line
// to every result on its way from the array to the output buffer, and how many pipeline
// registers each adds (configs/README.md, "output_stage"). A fused op costs no vector-unit
// cycle and no trip through memory; its latency delays the moment a fold's last result lands.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "sim/ir/layer.h"

namespace bitsys {

struct OutputStageConfig {
  /// Bit t set: post-ops of LayerType t are applied in line when they follow a GEMM.
  uint32_t fused = default_fused();
  /// Pipeline registers: every result passes `gemm_latency` (shift and saturate), then one
  /// group of `latency[t]` per fused op of type t.
  int gemm_latency = 0;
  std::array<int, kLayerTypes> latency{};
  /// Where the one-input post-ops it does not apply go ("vector_unit": {"schedule": ...}):
  /// false ("turns"), separate passes of the vector unit between the array's layers; true
  /// ("beside"), the vector unit applies them to each fold's results in the output buffer while
  /// the array computes the next fold (README "The timing model").
  bool beside = false;

  bool fuses(LayerType t) const { return fused >> static_cast<int>(t) & 1; }
  static uint32_t default_fused();  ///< the types marked fused_by_default (requantize, relu, sign)
  bool operator==(const OutputStageConfig& o) const {
    return fused == o.fused && gemm_latency == o.gemm_latency && latency == o.latency && beside == o.beside;
  }
  bool operator!=(const OutputStageConfig& o) const { return !(*this == o); }
  std::string fused_names() const;      ///< "requantize, relu, sign"
  static std::string stage_op_names();  ///< every type an output stage may apply
};

}  // namespace bitsys
