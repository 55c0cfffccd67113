#include <gtest/gtest.h>

#include "sim/ir/precision.h"

namespace bitsys {
namespace {

TEST(Precision, ActivationRanges) {
  EXPECT_EQ((ActPrecision{1, true}.min_value()), -1);
  EXPECT_EQ((ActPrecision{1, false}.max_value()), 1);
  EXPECT_EQ((ActPrecision{4, true}.min_value()), -8);
  EXPECT_EQ((ActPrecision{4, false}.max_value()), 15);
  EXPECT_EQ((ActPrecision{8, false}.max_value()), 255);
  EXPECT_EQ((ActPrecision{8, true}.str()), "a8s");
}

TEST(Precision, WeightFormats) {
  EXPECT_TRUE(WeightPrecision::twos(1).binary());
  EXPECT_EQ(WeightPrecision::twos(8).min_value(), -128);
  const auto csq = WeightPrecision::sign_magnitude(0b01101000);
  EXPECT_EQ(csq.planes(), 3);
  EXPECT_EQ(csq.max_value(), 0b01101000);
  EXPECT_TRUE(csq.representable(-0b01001000));
  EXPECT_FALSE(csq.representable(1));  // plane 0 not kept
  EXPECT_EQ(csq.storage_bits(), 4);    // three kept planes plus a sign
  EXPECT_EQ(csq.str(), "sm[01101000]");
  EXPECT_EQ(mask_string(0b10000001), "10000001");
}

TEST(Precision, TensorBytesRoundUp) {
  EXPECT_EQ(tensor_bytes(64, 1), 8u);
  EXPECT_EQ(tensor_bytes(65, 1), 9u);
  EXPECT_EQ(tensor_bytes(3, 4), 2u);
  EXPECT_EQ(tensor_bytes(1000, 8), 1000u);
  EXPECT_EQ(tensor_bytes(uint64_t{1} << 62, 8), uint64_t{1} << 62);  // no overflow in elements*bits
}

}  // namespace
}  // namespace bitsys
