#include "sim/values/codec.h"

namespace bitsys {

namespace {

uint32_t low(int bits) {
  return bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
}

int32_t sign_extend(uint32_t code, int bits) {
  const uint32_t m = 1u << (bits - 1);
  return static_cast<int32_t>((code ^ m) - m);
}

}  // namespace

uint32_t encode_act(int32_t v, const ActPrecision& p) {
  if (p.binary()) return v > 0 ? 1 : 0;
  return static_cast<uint32_t>(v) & low(p.bits);
}

int32_t decode_act(uint32_t code, const ActPrecision& p) {
  if (p.binary()) return code & 1 ? 1 : -1;
  return p.is_signed ? sign_extend(code & low(p.bits), p.bits) : static_cast<int32_t>(code & low(p.bits));
}

uint32_t encode_weight(int32_t v, const WeightPrecision& p) {
  if (p.binary()) return v > 0 ? 1 : 0;
  if (p.format == WeightFormat::TwosComplement) return static_cast<uint32_t>(v) & low(p.bits);
  const uint32_t mag = static_cast<uint32_t>(v < 0 ? -v : v);
  uint32_t code = 0;
  int out = 0;
  for (int plane = 0; plane < 8; ++plane)
    if (p.mask >> plane & 1) code |= (mag >> plane & 1u) << out++;
  return code | (v < 0 ? 1u << out : 0);
}

int32_t decode_weight(uint32_t code, const WeightPrecision& p) {
  if (p.binary()) return code & 1 ? 1 : -1;
  if (p.format == WeightFormat::TwosComplement) return sign_extend(code & low(p.bits), p.bits);
  int32_t mag = 0;
  int in = 0;
  for (int plane = 0; plane < 8; ++plane)
    if (p.mask >> plane & 1) mag |= static_cast<int32_t>(code >> in++ & 1u) << plane;
  return code >> in & 1 ? -mag : mag;
}

uint32_t get_bits(const uint8_t* bytes, uint64_t bit, int width) {
  const uint8_t* b = bytes + bit / 8;
  const int shift = static_cast<int>(bit % 8);
  uint32_t w = b[0];
  if (shift + width > 8) w |= static_cast<uint32_t>(b[1]) << 8;
  if (shift + width > 16) w |= static_cast<uint32_t>(b[2]) << 16;
  return (w >> shift) & low(width);
}

void put_bits(uint8_t* bytes, uint64_t bit, int width, uint32_t value) {
  uint8_t* b = bytes + bit / 8;
  const int shift = static_cast<int>(bit % 8);
  const uint32_t mask = low(width) << shift, v = (value << shift) & mask;
  for (int i = 0; i * 8 < shift + width; ++i) {
    const uint8_t m = static_cast<uint8_t>(mask >> (8 * i)), x = static_cast<uint8_t>(v >> (8 * i));
    b[i] = static_cast<uint8_t>((b[i] & ~m) | x);
  }
}

}  // namespace bitsys
