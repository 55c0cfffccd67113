// The workload IR: a network is a DAG of layers over C x H x W tensors (batch apart).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/ir/precision.h"

namespace bitsys {

enum class LayerType {
  Conv2d,
  FullyConnected,  // run on the array
  MaxPool,
  AvgPool,  // vector unit
  Add,
  ScaleBias,
  PRelu,
  BiasShift,  // vector unit (ScaleBias = BatchNorm not folded)
  Sign,
  Relu,
  Requantize,  // fused into the output stage when they follow a GEMM
  Concat,      // addressing only
  Upsample,    // nearest / bilinear on the vector unit; pixel shuffle is addressing only
};
constexpr int kLayerTypes = static_cast<int>(LayerType::Upsample) + 1;

enum class UpsampleMode { Nearest, Bilinear, PixelShuffle };

/// Static facts about a layer type, kept in one table (layer_types.cpp).
struct LayerTypeInfo {
  LayerType type;
  const char* name;
  bool gemm;                   ///< lowered to a GEMM
  bool stage_op;               ///< the array's output stage can apply it in line (a per-channel, one-input step)
  bool fused_by_default;       ///< today's output stage applies it (pe-semantics.md)
  int min_inputs, max_inputs;  ///< max -1 = any
};
const LayerTypeInfo& layer_type_info(LayerType t);
/// nullptr when the name is unknown.
const LayerTypeInfo* find_layer_type(const std::string& name);
std::string layer_type_names();  ///< for error messages

struct Shape {
  int64_t c = 0, h = 1, w = 1;
  int64_t elements() const { return c * h * w; }
};

struct Layer {
  std::string name;
  LayerType type = LayerType::Conv2d;
  std::vector<std::string> inputs;  ///< tensor names: network inputs or earlier layers

  // conv2d / pools
  int64_t out_channels = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t groups = 1;
  bool global = false;  ///< pool over the whole map
  // fully connected
  int64_t out_features = 0;
  // upsample
  int64_t scale = 2;
  UpsampleMode upsample = UpsampleMode::Nearest;

  WeightPrecision weights;  ///< GEMM layers
  ActPrecision output;      ///< precision of the tensor this layer produces
};

struct NetworkInput {
  std::string name;
  Shape shape;
  ActPrecision precision;
};

struct Network {
  std::string name;
  std::string source;  ///< where the description comes from
  std::string file;    ///< the file it was read from, for error messages
  int64_t batch = 1;
  std::vector<NetworkInput> inputs;
  std::vector<Layer> layers;
};

}  // namespace bitsys
