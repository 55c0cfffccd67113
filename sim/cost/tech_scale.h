// Produces a technology description for another node from a source one, by a published scaling
// rule (configs/tech/scaling.json: Stillmaker & Baas 2017). `bitsys tech-scale` writes its result;
// the committed scaled sets are its output, held equal by a test.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace bitsys {

struct ScaleRequest {
  std::string from;  ///< source technology file
  std::string rule;  ///< scaling rule file
  double node_nm = 0, vdd_v = 0;
  std::string name;  ///< of the produced set
};

/// The scaled technology file's JSON. InputError when the source or the rule is malformed, or
/// either node lies outside the rule's nodes ("no scaling rule").
nlohmann::json scale_tech(const ScaleRequest& r);

}  // namespace bitsys
