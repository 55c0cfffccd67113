#include "sim/ir/precision.h"

#include <algorithm>
#include <bitset>

namespace bitsys {

int64_t ActPrecision::min_value() const {
  if (bits == 1) return -1;
  return is_signed ? -(int64_t{1} << (bits - 1)) : 0;
}

int64_t ActPrecision::max_value() const {
  if (bits == 1) return 1;
  return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
}

std::string ActPrecision::str() const {
  if (bits == 1) return "a1";
  return "a" + std::to_string(bits) + (is_signed ? "s" : "u");
}

WeightPrecision WeightPrecision::twos(int bits) {
  WeightPrecision p;
  p.bits = bits;
  return p;
}

WeightPrecision WeightPrecision::sign_magnitude(uint8_t mask) {
  WeightPrecision p;
  p.format = WeightFormat::SignMagnitude;
  p.mask = mask;
  p.bits = static_cast<int>(std::bitset<8>(mask).count());
  return p;
}

int WeightPrecision::planes() const {
  return bits;
}

int WeightPrecision::storage_bits() const {
  // Sign-magnitude weights are stored as their kept bit planes plus a sign plane: which planes
  // are kept is per layer (the mask), so a weight needs k + 1 bits whichever planes they are.
  return format == WeightFormat::TwosComplement ? bits : bits + 1;
}

int64_t WeightPrecision::min_value() const {
  return format == WeightFormat::SignMagnitude ? -max_value() : (bits == 1 ? -1 : -(int64_t{1} << (bits - 1)));
}

int64_t WeightPrecision::max_value() const {
  if (format == WeightFormat::SignMagnitude) return mask;
  return bits == 1 ? 1 : (int64_t{1} << (bits - 1)) - 1;
}

bool WeightPrecision::representable(int64_t v) const {
  if (format == WeightFormat::SignMagnitude) {
    const int64_t mag = v < 0 ? -v : v;
    return mag <= 255 && (mag & ~int64_t{mask}) == 0;
  }
  if (bits == 1) return v == 1 || v == -1;
  return v >= min_value() && v <= max_value();
}

std::string WeightPrecision::str() const {
  if (format == WeightFormat::SignMagnitude) return "sm[" + mask_string(mask) + "]";
  return "w" + std::to_string(bits);
}

int64_t largest_product(const ActPrecision& a, const WeightPrecision& w) {
  const int64_t am = std::max(-a.min_value(), a.max_value()), wm = std::max(-w.min_value(), w.max_value());
  return am * wm;
}

uint64_t tensor_bytes(uint64_t elements, int bits) {
  // Split to avoid overflow of elements * bits for huge element counts.
  const uint64_t whole = (elements / 8) * static_cast<uint64_t>(bits);
  const uint64_t rest = (elements % 8) * static_cast<uint64_t>(bits);
  return whole + (rest + 7) / 8;
}

std::string mask_string(uint8_t mask) {
  return std::bitset<8>(mask).to_string();
}

}  // namespace bitsys
