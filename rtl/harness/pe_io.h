// Records exchanged between bitsys and a Verilated PE harness: one stimulus and one response
// per clock cycle, in binary files. Plain C++ so the harness builds without bitsys.
#pragma once
#include <cstdint>

namespace bitsys_rtl {

/// Width of a PE's accumulator and partial-sum ports (ACC_W, rtl/README.md "Widths").
constexpr int kAccBits = 32;

/// A 144-bit operand word {c[15:0], s[63:0], w[63:0]}: a weight beat, or an activation in w.
struct Operand {
  uint64_t w, s;
  uint16_t c, pad0, pad1, pad2;
};

struct PeStimulus {
  uint8_t rst, en, df, load, clear, drain, pad0, pad1;
  Operand h, v;
  int64_t psum;  ///< the low kAccBits bits are driven
};

struct PeResponse {
  Operand h, v;
  int64_t acc;  ///< sign-extended from kAccBits
};

inline bool operator==(const Operand& x, const Operand& y) {
  return x.w == y.w && x.s == y.s && x.c == y.c;
}

/// Writes operand word i of a Verilator port carrying one or more 144-bit words (VlWide: 32-bit
/// words, least significant first).
template <class W>
void put_operand(W& port, int i, const Operand& o) {
  auto put_bits = [&port](int at, int width, uint64_t v) {
    for (int b = 0; b < width;) {
      const int bit = at + b, word = bit / 32, off = bit % 32, take = 32 - off < width - b ? 32 - off : width - b;
      const uint32_t mask = take == 32 ? 0xFFFFFFFFu : ((1u << take) - 1);
      port[word] = (port[word] & ~(mask << off)) | ((static_cast<uint32_t>(v >> b) & mask) << off);
      b += take;
    }
  };
  put_bits(144 * i, 64, o.w);
  put_bits(144 * i + 64, 64, o.s);
  put_bits(144 * i + 128, 16, o.c);
}

/// Sign-extends the low kAccBits bits, as the accumulator holds them.
inline int64_t wrap_acc(uint64_t v) {
  return static_cast<int64_t>(v << (64 - kAccBits)) >> (64 - kAccBits);
}

}  // namespace bitsys_rtl
