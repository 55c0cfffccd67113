#include "sim/values/supplied_params.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <mutex>
#include <unordered_map>

#include "sim/io/input_error.h"
#include "sim/io/npy.h"

namespace bitsys {
namespace {

std::mutex registry_mutex;
std::unordered_map<const LoweredOp*, ChannelParams>& registry() {
  static std::unordered_map<const LoweredOp*, ChannelParams> r;
  return r;
}

/// Which parameters each op type takes; the rest are refused by name.
std::vector<std::string> accepted(LayerType t) {
  switch (t) {
    case LayerType::Conv2d:
    case LayerType::FullyConnected:
    case LayerType::ScaleBias:
    case LayerType::BiasShift:
    case LayerType::Requantize:
      return {"scale", "bias", "shift"};
    case LayerType::PRelu:
      return {"scale", "slope", "bias", "shift"};
    case LayerType::Sign:
      return {"scale", "bias"};
    case LayerType::Add:
      return {"scale", "bias", "shift"};
    case LayerType::AvgPool:
      return {"scale", "shift"};
    default:
      return {};
  }
}

std::vector<int32_t> read_param(const std::string& file, const std::string& name, int64_t entries, int64_t lo,
                                int64_t hi) {
  const NpyArray a = read_npy(file);
  const bool scalar = a.data.size() == 1 && a.shape.size() <= 1;
  if (!scalar && !(a.shape.size() == 1 && a.shape[0] == entries))
    fail_input(file, "", "shape",
               "a " + name + " must be a scalar or hold " + std::to_string(entries) + " entries, got " +
                   std::to_string(a.data.size()));
  std::vector<int32_t> v(static_cast<size_t>(entries));
  for (int64_t i = 0; i < entries; ++i) {
    const int64_t x = a.data[scalar ? 0 : static_cast<size_t>(i)];
    if (x < lo || x > hi)
      fail_input(file, "", "",
                 name + " " + std::to_string(x) + " at index " + std::to_string(i) + " is outside " +
                     std::to_string(lo) + ".." + std::to_string(hi));
    v[static_cast<size_t>(i)] = static_cast<int32_t>(x);
  }
  return v;
}

}  // namespace

std::map<std::string, ChannelParams> read_supplied_params(const LoweredNetwork& net, const std::string& dir) {
  std::map<std::string, ChannelParams> out;
  if (dir.empty()) return out;
  const char* names[] = {"scale", "bias", "slope", "shift"};
  for (const LoweredOp& op : net.ops) {
    const std::vector<std::string> ok = accepted(op.type);
    const int64_t channels = op.out_shape.c;
    ChannelParams p;
    for (const char* name : names) {
      const std::string file = dir + "/" + op.name + "." + name + ".npy";
      if (access(file.c_str(), R_OK) != 0) continue;
      if (std::find(ok.begin(), ok.end(), name) == ok.end())
        fail_input(file, "layer '" + op.name + "'", "",
                   std::string("a ") + layer_type_info(op.type).name + " layer takes no supplied " + name);
      p.supplied = true;
      const std::string n = name;
      // Products stay far inside 64 bits: |acc| < 2^40 times |scale| <= 2^22.
      if (n == "scale")
        p.scale = read_param(file, n, op.type == LayerType::Add ? static_cast<int64_t>(op.inputs.size()) : channels,
                             -(1 << 22), 1 << 22);
      else if (n == "slope")
        p.slope = read_param(file, n, channels, -(1 << 22), 1 << 22);
      else if (n == "bias")
        p.bias = read_param(file, n, channels, INT32_MIN, INT32_MAX);
      else
        p.shift = read_param(file, n, channels, 0, 40);
    }
    if (!p.supplied) continue;
    const size_t c = static_cast<size_t>(channels);
    if (p.scale.empty()) p.scale.assign(op.type == LayerType::Add ? op.inputs.size() : c, 1);
    if (p.slope.empty()) p.slope.assign(c, 0);
    if (p.bias.empty()) p.bias.assign(c, 0);
    if (p.shift.empty()) p.shift.assign(c, 0);
    out[op.name] = std::move(p);
  }
  return out;
}

SuppliedParamsScope::SuppliedParamsScope(const LoweredNetwork& net,
                                         const std::map<std::string, ChannelParams>& params) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (const LoweredOp& op : net.ops) {
    auto it = params.find(op.name);
    if (it == params.end()) continue;
    registry()[&op] = it->second;
    ops_.push_back(&op);
  }
}

SuppliedParamsScope::~SuppliedParamsScope() {
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (const LoweredOp* op : ops_) registry().erase(op);
}

const ChannelParams* supplied_params(const LoweredOp& op) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto it = registry().find(&op);
  return it == registry().end() ? nullptr : &it->second;
}

}  // namespace bitsys
