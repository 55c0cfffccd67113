// How a value is stored in memory at its precision (sim/values/README.md): activations in `bits`
// two's-complement or unsigned bits, +-1 as one bit (1 = +1); two's-complement weights likewise;
// sign-magnitude (CSQ) weights as a sign bit above the kept planes' bits, lowest plane first.
#pragma once
#include <cstdint>

#include "sim/ir/precision.h"

namespace bitsys {

uint32_t encode_act(int32_t v, const ActPrecision& p);
int32_t decode_act(uint32_t code, const ActPrecision& p);
uint32_t encode_weight(int32_t v, const WeightPrecision& p);
int32_t decode_weight(uint32_t code, const WeightPrecision& p);

/// Reads / writes a `width`-bit field (width <= 16) at bit `bit` of a little-endian byte array
/// (bit 0 = the least significant bit of byte 0).
uint32_t get_bits(const uint8_t* bytes, uint64_t bit, int width);
void put_bits(uint8_t* bytes, uint64_t bit, int width, uint32_t value);

}  // namespace bitsys
