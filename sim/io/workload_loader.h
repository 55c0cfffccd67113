// Loads a workload from any supported format, told apart by content (not extension).
#pragma once
#include <string>

#include "sim/ir/layer.h"

namespace bitsys {

Network load_workload(const std::string& path);
/// Whether text reads as a workload (bitsys JSON with layers, or a SCALE-Sim topology CSV), so an
/// architecture loader can say the file was given in the wrong place.
bool looks_like_workload_file(const std::string& text);

}  // namespace bitsys
