// Loads a workload from any supported format, told apart by content (not extension).
#pragma once
#include <string>

#include "sim/ir/layer.h"

namespace bitsys {

Network load_workload(const std::string& path);

}  // namespace bitsys
