// The PE kinds bitsys has reference RTL for, in the order of bitsys_systolic_array's KIND
// parameter, with the lanes each is verilated at (its widest: an encoding for fewer lanes leaves
// the others zero).
#pragma once
#include <string>

namespace bitsys {

struct RtlKind {
  const char* kind;
  int max_lanes;
};

constexpr RtlKind kRtlKinds[] = {{"int8", 4}, {"binary", 64}, {"bitserial", 8}};

/// KIND parameter of a PE kind's array, or -1 when bitsys has no RTL for it.
inline int rtl_kind_id(const std::string& kind) {
  for (int i = 0; i < 3; ++i)
    if (kind == kRtlKinds[i].kind) return i;
  return -1;
}

}  // namespace bitsys
