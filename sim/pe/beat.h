// What moves through the array each cycle. A GEMM's reduction dimension K is cut into chunks of
// `lanes` elements, and each chunk into the passes a PE kind needs at the operands' precision
// (bit-plane pairs, weight planes, or one full product): one pass of one chunk is a *beat*.
#pragma once
#include <cstdint>

namespace bitsys {

/// The weight side of a beat. It also carries the beat's scale, because a beat's position in K
/// (and so its plane pair) is known wherever its weight is, in every dataflow.
struct Beat {
  uint64_t bits = 0;  ///< packed weight lanes, or one weight bit plane (as bits or byte masks)
  int64_t aux = 0;    ///< kind-specific constant or second mask, precomputed when encoding
  int32_t mult = 0;   ///< signed scale of the beat's product (plane weights); 0 for a bubble
  int16_t bias = 0;   ///< kind-specific small constant precomputed when encoding
  uint8_t tag = 0;    ///< control marker riding with the data (kLastTag), not used by products
};

constexpr uint8_t kLastTag = 1;  ///< set on the final streamed element of a fold

}  // namespace bitsys
