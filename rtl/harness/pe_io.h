// Records exchanged between bitsys and a Verilated PE harness: one stimulus and one response
// per clock cycle, in binary files. Plain C++ so the harness builds without bitsys.
#pragma once
#include <cstdint>

namespace bitsys_rtl {

struct PeStimulus {
  uint8_t rst, en, os, load, clear, drain, pad0, pad1;
  uint64_t a, wb, wx;
  uint32_t wm;
  uint16_t wc, pad2;
  int64_t psum;
};

struct PeResponse {
  uint64_t a, wb, wx;
  uint32_t wm;
  uint16_t wc, pad;
  int64_t acc;
};

}  // namespace bitsys_rtl
