// Trained per-channel parameters an imported network carries (BatchNorm scale and bias, PReLU
// slopes, requantization multipliers and shifts), supplied as <layer>.{scale,bias,slope,shift}.npy
// beside the layer's tensors. While a scope holds them, channel_params and OutputStage return them
// for their ops, so the SystemC system and the whole-network reference compute with the same
// values without either being told; ops without files keep their drawn constants.
#pragma once
#include <map>
#include <string>

#include "sim/lowering/lowered.h"
#include "sim/values/semantics.h"

namespace bitsys {

/// The supplied parameters in `dir` for every op of `net` that has any file there, by op name,
/// each vector broadcast to one entry a channel (an add's scale: one an input). InputError naming
/// the file for a shape that fits neither a scalar nor the op's channels, a value out of range, or
/// a parameter the op does not take (README.md, "Supplied parameters").
std::map<std::string, ChannelParams> read_supplied_params(const LoweredNetwork& net, const std::string& dir);

/// Makes `params` the ops' parameters for the scope's lifetime. Ops are told apart by address, so
/// concurrent runs of other networks (sweep workers) see none of them.
class SuppliedParamsScope {
 public:
  SuppliedParamsScope(const LoweredNetwork& net, const std::map<std::string, ChannelParams>& params);
  ~SuppliedParamsScope();
  SuppliedParamsScope(const SuppliedParamsScope&) = delete;
  SuppliedParamsScope& operator=(const SuppliedParamsScope&) = delete;

 private:
  std::vector<const LoweredOp*> ops_;
};

/// The op's supplied parameters while a scope holds some, else nullptr.
const ChannelParams* supplied_params(const LoweredOp& op);

}  // namespace bitsys
