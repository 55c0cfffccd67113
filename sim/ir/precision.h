// Operand precisions as pe-semantics.md defines them. 1-bit operands are +-1.
#pragma once
#include <cstdint>
#include <string>

namespace bitsys {

struct ActPrecision {
  int bits = 8;           ///< 1..8
  bool is_signed = true;  ///< two's complement when true; ignored for 1 bit (+-1)

  bool binary() const { return bits == 1; }
  int64_t min_value() const;
  int64_t max_value() const;
  std::string str() const;  ///< "a8s", "a4u", "a1"
  bool operator==(const ActPrecision& o) const { return bits == o.bits && (bits == 1 || is_signed == o.is_signed); }
};

enum class WeightFormat { TwosComplement, SignMagnitude };

struct WeightPrecision {
  WeightFormat format = WeightFormat::TwosComplement;
  int bits = 8;         ///< two's complement: 1..8 (1 = +-1); sign-magnitude: kept planes = popcount(mask)
  uint8_t mask = 0xff;  ///< sign-magnitude only: bit p set = plane of weight 2^p exists (CSQ)

  static WeightPrecision twos(int bits);
  static WeightPrecision sign_magnitude(uint8_t mask);

  bool binary() const { return format == WeightFormat::TwosComplement && bits == 1; }
  /// Bit planes a bit-serial PE steps through (k in pe-semantics.md).
  int planes() const;
  /// Bits a weight occupies in memory (sign-magnitude: kept planes + sign).
  int storage_bits() const;
  int64_t min_value() const;
  int64_t max_value() const;
  /// True when v is representable (for sign-magnitude: only kept planes set).
  bool representable(int64_t v) const;
  std::string str() const;  ///< "w8", "w1", "sm[01101000]"
  bool operator==(const WeightPrecision& o) const {
    return format == o.format && bits == o.bits && (format == WeightFormat::TwosComplement || mask == o.mask);
  }
};

/// Width of every partial sum: a PE's accumulator (rtl/README.md, "Widths") and the psum slab in
/// the ofmap buffer. The lowering refuses a GEMM whose worst-case dot product would not fit.
constexpr int kAccumulatorBits = 32;

/// Largest |a * w| of one product at these precisions.
int64_t largest_product(const ActPrecision& a, const WeightPrecision& w);

/// Bytes of a tensor: ceil(elements * bits / 8).
uint64_t tensor_bytes(uint64_t elements, int bits);

/// "01101000" MSB first, as CSQ lists planes.
std::string mask_string(uint8_t mask);

}  // namespace bitsys
