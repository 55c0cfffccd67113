// JSON forms of operand precisions, shared by workloads and tests.
#pragma once
#include "sim/io/json_fields.h"
#include "sim/ir/precision.h"

namespace bitsys {

/// {"bits": 4, "signed": false}; fields absent keep `base`.
ActPrecision parse_act_precision(const nlohmann::json& j, const std::string& file, const std::string& where,
                                 ActPrecision base);
/// {"bits": 4} | {"format": "sign_magnitude", "bits": 3} | {"format": "sign_magnitude", "mask": "01101000"}
WeightPrecision parse_weight_precision(const nlohmann::json& j, const std::string& file, const std::string& where,
                                       WeightPrecision base);

}  // namespace bitsys
