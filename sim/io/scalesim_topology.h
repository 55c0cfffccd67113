// Reads SCALE-Sim topology CSVs as users have them (conv and GEMM forms, peers.md).
#pragma once
#include <string>

#include "sim/ir/layer.h"

namespace bitsys {

/// True when the text's header is a SCALE-Sim conv or GEMM topology header.
bool looks_like_scalesim_topology(const std::string& text);
/// Each row becomes an independent 8-bit layer on its own input tensor. Conv IFMAP sizes are
/// taken as already padded (padding 0), as SCALE-Sim does.
Network parse_scalesim_topology(const std::string& text, const std::string& file);

}  // namespace bitsys
