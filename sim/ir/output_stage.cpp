#include "sim/ir/output_stage.h"

namespace bitsys {

uint32_t OutputStageConfig::default_fused() {
  uint32_t m = 0;
  for (int t = 0; t < kLayerTypes; ++t)
    if (layer_type_info(static_cast<LayerType>(t)).fused_by_default) m |= 1u << t;
  return m;
}

std::string OutputStageConfig::fused_names() const {
  std::string s;
  for (int t = 0; t < kLayerTypes; ++t)
    if (fuses(static_cast<LayerType>(t)))
      s += (s.empty() ? "" : ", ") + std::string(layer_type_info(static_cast<LayerType>(t)).name);
  return s;
}

std::string OutputStageConfig::stage_op_names() {
  std::string s;
  for (int t = 0; t < kLayerTypes; ++t)
    if (layer_type_info(static_cast<LayerType>(t)).stage_op)
      s += (s.empty() ? "" : ", ") + std::string(layer_type_info(static_cast<LayerType>(t)).name);
  return s;
}

}  // namespace bitsys
