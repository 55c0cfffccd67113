// Reads bitsys's native JSON network description (format: workloads/README.md).
#pragma once
#include <string>

#include "sim/ir/layer.h"

namespace bitsys {

Network parse_workload_json(const std::string& text, const std::string& file);

}  // namespace bitsys
