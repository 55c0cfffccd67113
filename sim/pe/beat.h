// What moves through the array each cycle. A GEMM's reduction dimension K is cut into chunks of
// `lanes` elements, and each chunk into the passes a PE kind needs at the operands' precision
// (bit-plane pairs, weight planes, or one full product): one pass of one chunk is a *beat*.
//
// A beat is what the hardware sees (rtl/README.md, "Port contract"): the raw weight bits the
// weight memory holds for the chunk (bytes, or one bit plane), the chunk's sign bits for
// sign-magnitude weights, and a 16-bit control word whose fields come from the controller's loop
// counters (which plane pair this pass is, how many lanes are valid). No precomputed scales or
// constants: a PE shifts, negates and counts by itself.
#pragma once
#include <cstdint>

namespace bitsys {

/// The control word's fields. Bit positions are the RTL's (`c` of the beat).
namespace beat_ctrl {
constexpr uint16_t kShiftMask = 0xF;      ///< [3:0] plane significance i + j (0..14): left shift
constexpr uint16_t kNegate = 1u << 4;     ///< [4] subtract the product (a two's-complement sign plane)
constexpr int kModeShift = 5;             ///< [6:5] binary PE: how planes pair (BinaryMode)
constexpr uint16_t kActSigned = 1u << 7;  ///< [7] int8/bitserial: activation bytes are two's complement
constexpr uint16_t kWeightSm = 1u << 8;   ///< [8] int8: weight bytes are magnitudes, signs in `sign`
constexpr uint16_t kNegLanes = 1u << 9;   ///< [9] binary: this pass takes the lanes whose sign bit is set
constexpr int kLanesShift = 10;           ///< [15:10] valid lanes - 1 (binary XNOR counts them)

/// Binary PE pairing of an activation plane with a weight plane.
enum BinaryMode : uint16_t {
  kAnd = 0,       ///< 0/1 x 0/1: popcount(a & w)
  kXnor = 1,      ///< +-1 x +-1: lanes - 2 popcount(a ^ w)
  kActPm1 = 2,    ///< +-1 activation x 0/1 weight plane: 2 popcount(a & w) - popcount(w)
  kWeightPm1 = 3  ///< 0/1 activation plane x +-1 weight: 2 popcount(a & w) - popcount(a)
};

constexpr int shift(uint16_t c) {
  return c & kShiftMask;
}
constexpr bool negate(uint16_t c) {
  return (c & kNegate) != 0;
}
constexpr int mode(uint16_t c) {
  return (c >> kModeShift) & 3;
}
constexpr int lanes(uint16_t c) {
  return ((c >> kLanesShift) & 63) + 1;
}
constexpr uint16_t make(int shift, bool negate, int mode, int lanes) {
  return static_cast<uint16_t>((shift & kShiftMask) | (negate ? kNegate : 0) | ((mode & 3) << kModeShift) |
                               (((lanes - 1) & 63) << kLanesShift));
}
}  // namespace beat_ctrl

/// The weight side of a beat. An all-zero beat is a bubble: it adds 0 in every kind.
struct Beat {
  uint64_t bits = 0;  ///< weight lanes as stored: int8 bytes, or one bit plane (lane l = bit l)
  uint64_t sign = 0;  ///< sign-magnitude (and +-1 on the bit-serial PE): lane l's sign bit
  uint16_t ctrl = 0;  ///< beat_ctrl fields
  uint8_t tag = 0;    ///< control marker riding with the data (kLastTag), not used by products
};

constexpr uint8_t kLastTag = 1;  ///< set on the final streamed element of a fold

}  // namespace bitsys
