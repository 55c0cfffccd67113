// The PE kinds bitsys has reference RTL for, in the order of bitsys_systolic_array's KIND
// parameter (each verilated at its widest lanes, PeKind::max_lanes: an encoding for fewer lanes
// leaves the others zero).
#pragma once
#include <string>

namespace bitsys {

constexpr const char* kRtlKinds[] = {"int8", "binary", "bitserial"};

/// KIND parameter of a PE kind's array, or -1 when bitsys has no RTL for it.
inline int rtl_kind_id(const std::string& kind) {
  for (int i = 0; i < 3; ++i)
    if (kind == kRtlKinds[i]) return i;
  return -1;
}

}  // namespace bitsys
