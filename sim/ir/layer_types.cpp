#include <iterator>

#include "sim/ir/layer.h"

namespace bitsys {
namespace {

// name, gemm, output-stage op, fused by default, inputs min..max
const LayerTypeInfo kTypes[] = {
    {LayerType::Conv2d, "conv2d", true, false, false, 1, 1},
    {LayerType::FullyConnected, "fc", true, false, false, 1, 1},
    {LayerType::MaxPool, "maxpool", false, false, false, 1, 1},
    {LayerType::AvgPool, "avgpool", false, false, false, 1, 1},
    {LayerType::Add, "add", false, false, false, 2, -1},
    {LayerType::ScaleBias, "scale_bias", false, true, false, 1, 1},
    {LayerType::PRelu, "prelu", false, true, false, 1, 1},
    {LayerType::BiasShift, "bias_shift", false, true, false, 1, 1},
    {LayerType::Sign, "sign", false, true, true, 1, 1},
    {LayerType::Relu, "relu", false, true, true, 1, 1},
    {LayerType::Requantize, "requantize", false, true, true, 1, 1},
    {LayerType::Concat, "concat", false, false, false, 2, -1},
    {LayerType::Upsample, "upsample", false, false, false, 1, 1},
};

}  // namespace

const LayerTypeInfo& layer_type_info(LayerType t) {
  for (const auto& info : kTypes)
    if (info.type == t) return info;
  return kTypes[0];  // unreachable: every enumerator is in the table (tested)
}

const LayerTypeInfo* find_layer_type(const std::string& name) {
  for (const auto& info : kTypes)
    if (name == info.name) return &info;
  if (name == "linear" || name == "matmul") return &layer_type_info(LayerType::FullyConnected);
  if (name == "batchnorm") return &layer_type_info(LayerType::ScaleBias);
  if (name == "threshold") return &layer_type_info(LayerType::Sign);
  return nullptr;
}

std::string layer_type_names() {
  std::string s;
  for (const auto& info : kTypes) s += (s.empty() ? "" : ", ") + std::string(info.name);
  return s;
}

}  // namespace bitsys
