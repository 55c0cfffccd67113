#include "sim/io/workload_json.h"

#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/precision_json.h"
#include "sim/io/text_util.h"

namespace bitsys {
namespace {

// Dimensions are capped well above any real network but low enough that products of two stay
// exact; the MAC count is then checked for 64-bit overflow when the layer is lowered.
constexpr int64_t kMaxDim = int64_t{1} << 40;

struct Defaults {
  WeightPrecision weights;
  ActPrecision output;
};

void parse_kernel(JsonFields& f, Layer& l) {
  if (!f.has("kernel")) {
    f.accept("kernel");
    return;
  }
  const auto& k = f.raw("kernel");
  if (k.is_array()) {
    if (k.size() != 2) f.fail("kernel", "must be a size or [height, width]");
    nlohmann::json pair = {{"h", k[0]}, {"w", k[1]}};
    JsonFields kf(pair, f.file(), f.where());
    l.kernel_h = kf.integer("h", 1, kMaxDim);
    l.kernel_w = kf.integer("w", 1, kMaxDim);
  } else {
    l.kernel_h = l.kernel_w = f.integer("kernel", 1, kMaxDim);
  }
}

Layer parse_layer(const nlohmann::json& j, const std::string& file, size_t index, const Defaults& d) {
  std::string where = "layer #" + std::to_string(index);
  if (j.is_object() && j.contains("name") && j["name"].is_string())
    where = "layer '" + j["name"].get<std::string>() + "'";
  JsonFields f(j, file, where);
  Layer l;
  l.name = f.string("name");
  if (l.name.empty()) f.fail("name", "must not be empty");
  const std::string type = f.string("type");
  const LayerTypeInfo* info = find_layer_type(type);
  if (!info) f.fail("type", unknown_name("layer type", type, layer_type_names()));
  l.type = info->type;

  if (f.has("inputs")) {
    const auto& in = f.raw("inputs");
    if (!in.is_array()) f.fail("inputs", "must be an array of tensor names");
    for (const auto& e : in) {
      if (!e.is_string()) f.fail("inputs", "must be an array of tensor names (got " + e.dump() + ")");
      l.inputs.push_back(e.get<std::string>());
    }
  }

  switch (l.type) {
    case LayerType::Conv2d:
      l.out_channels = f.integer("out_channels", 1, kMaxDim);
      parse_kernel(f, l);
      l.stride = f.integer("stride", 1, kMaxDim, 1);
      l.padding = f.integer("padding", 0, kMaxDim, 0);
      l.groups = f.integer("groups", 1, kMaxDim, 1);
      break;
    case LayerType::FullyConnected:
      l.out_features = f.integer("out_features", 1, kMaxDim);
      break;
    case LayerType::MaxPool:
    case LayerType::AvgPool:
      l.global = f.boolean("global", false);
      if (!l.global) {
        parse_kernel(f, l);
        if (!f.has("kernel")) f.fail("kernel", "missing (or set \"global\": true)");
        l.stride = f.integer("stride", 1, kMaxDim, l.kernel_h);
        l.padding = f.integer("padding", 0, kMaxDim, 0);
      }
      break;
    case LayerType::Upsample: {
      l.scale = f.integer("scale", 1, 1024, 2);
      const std::string mode = f.string("mode", "nearest");
      if (mode == "nearest")
        l.upsample = UpsampleMode::Nearest;
      else if (mode == "bilinear")
        l.upsample = UpsampleMode::Bilinear;
      else if (mode == "pixel_shuffle")
        l.upsample = UpsampleMode::PixelShuffle;
      else
        f.fail("mode", "must be nearest, bilinear or pixel_shuffle (got \"" + mode + "\")");
      break;
    }
    default:
      break;
  }
  l.weights = d.weights;
  if (f.has("weights")) {
    if (!info->gemm) f.fail("weights", "only conv2d and fc layers have weights");
    l.weights = parse_weight_precision(f.raw("weights"), file, where + " weights", d.weights);
  }
  l.output = d.output;
  if (f.has("output")) l.output = parse_act_precision(f.raw("output"), file, where + " output", d.output);
  f.finish();
  return l;
}

}  // namespace

Network parse_workload_json(const std::string& text, const std::string& file) {
  JsonDocument doc(text, file, "");
  JsonFields& f = doc.fields();
  Network n;
  n.file = file;
  n.name = doc.name();
  n.source = f.string("source", "");
  n.batch = f.integer("batch", 1, kMaxDim, 1);

  Defaults d;
  if (f.has("defaults")) {
    JsonFields df(f.raw("defaults"), file, "defaults");
    if (df.has("weights")) d.weights = parse_weight_precision(df.raw("weights"), file, "defaults weights", d.weights);
    if (df.has("output")) d.output = parse_act_precision(df.raw("output"), file, "defaults output", d.output);
    df.finish();
  }

  const auto& ins = f.raw("inputs");
  if (!ins.is_array() || ins.empty()) f.fail("inputs", "must be a non-empty array of input tensors");
  for (size_t i = 0; i < ins.size(); ++i) {
    JsonFields inf(ins[i], file, "input #" + std::to_string(i));
    NetworkInput in;
    in.name = inf.string("name");
    const auto& shape = inf.raw("shape");
    if (!shape.is_array() || shape.empty() || shape.size() > 3)
      inf.fail("shape", "must be [channels], [channels, height, width]");
    nlohmann::json dims = {{"c", shape[0]}};
    if (shape.size() == 3) {
      dims["h"] = shape[1];
      dims["w"] = shape[2];
    } else if (shape.size() != 1) {
      inf.fail("shape", "must be [channels] or [channels, height, width]");
    }
    JsonFields sf(dims, file, "input '" + in.name + "' shape");
    in.shape.c = sf.integer("c", 1, kMaxDim);
    in.shape.h = sf.integer("h", 1, kMaxDim, 1);
    in.shape.w = sf.integer("w", 1, kMaxDim, 1);
    in.precision.bits = static_cast<int>(inf.integer("bits", 1, 8, 8));
    in.precision.is_signed = inf.boolean("signed", true);
    inf.finish();
    n.inputs.push_back(in);
  }

  const auto& layers = f.raw("layers");
  if (!layers.is_array() || layers.empty()) f.fail("layers", "must be a non-empty array");
  for (size_t i = 0; i < layers.size(); ++i) n.layers.push_back(parse_layer(layers[i], file, i, d));
  f.finish();
  return n;
}

}  // namespace bitsys
