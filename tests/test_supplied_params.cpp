// Supplied per-channel parameters (sim/values/supplied_params.h): the supplied forms by hand,
// ONNX's half-to-even rounding, a scope that holds them for one network only, and bad files
// refused with one line naming the file. End to end with real graphs: tests/python/test_onnx_import.py.
#include <gtest/gtest.h>

#include "sim/io/npy.h"
#include "sim/io/subprocess.h"
#include "sim/io/workload_json.h"
#include "sim/lowering/lower.h"
#include "sim/values/semantics.h"
#include "sim/values/supplied_params.h"
#include "test_util.h"

namespace bitsys {
namespace {

TEST(SuppliedParams, RoundingHalfToEvenByHand) {
  // 5/2 = 2.5 -> 2, 7/2 = 3.5 -> 4, -5/2 -> -2, -7/2 -> -4, 7/4 = 1.75 -> 2, -9/4 = -2.25 -> -2.
  EXPECT_EQ(round_div_even(5, 2), 2);
  EXPECT_EQ(round_div_even(7, 2), 4);
  EXPECT_EQ(round_div_even(-5, 2), -2);
  EXPECT_EQ(round_div_even(-7, 2), -4);
  EXPECT_EQ(round_div_even(7, 4), 2);
  EXPECT_EQ(round_div_even(-9, 4), -2);
  EXPECT_EQ(round_div_even(3, 6), 0);  // 0.5 -> 0
  EXPECT_EQ(round_div_even(9, 6), 2);  // 1.5 -> 2
}

LoweredNetwork small_net() {
  return lower(parse_workload_json(R"({"name": "p", "inputs": [{"name": "x", "shape": [2, 3, 3], "bits": 8}],
    "layers": [
      {"name": "c", "type": "conv2d", "out_channels": 2, "kernel": 1},
      {"name": "pr", "type": "prelu"},
      {"name": "s", "type": "sign", "output": {"bits": 1}}]})",
                                   "p.json"));
}

TEST(SuppliedParams, FormsByHandWhileTheScopeHoldsThem) {
  const std::string dir = test::TempFile::dir() + "/supplied";
  ASSERT_TRUE(make_directories(dir));
  write_npy(dir + "/c.scale.npy", {2}, {3, -1});
  write_npy(dir + "/c.bias.npy", {}, {2});
  write_npy(dir + "/c.shift.npy", {2}, {2, 0});
  write_npy(dir + "/pr.slope.npy", {2}, {1, 3});
  write_npy(dir + "/pr.shift.npy", {}, {1});
  write_npy(dir + "/s.scale.npy", {2}, {1, -1});
  write_npy(dir + "/s.bias.npy", {2}, {-5, 5});
  const LoweredNetwork net = small_net();
  const LoweredOp &conv = net.ops[0], &prelu = net.ops[1], &sign = net.ops[2];
  const ChannelParams drawn = channel_params(prelu, 2);
  {
    const SuppliedParamsScope scope(net, read_supplied_params(net, dir));
    // Channel 0: (acc * 3 + 2) / 4 half to even: acc 2 -> 8/4 = 2; acc 6 -> 20/4 = 5; acc -2 -> -4/4 = -1;
    // acc 4 -> 14/4 = 3.5 -> 4; acc 8 -> 26/4 = 6.5 -> 6 (even). Channel 1: -acc + 2, saturated.
    const OutputStage stage(net, conv);
    EXPECT_EQ(stage.apply(2, 0), 2);
    EXPECT_EQ(stage.apply(-2, 0), -1);
    EXPECT_EQ(stage.apply(4, 0), 4);
    EXPECT_EQ(stage.apply(8, 0), 6);
    EXPECT_EQ(stage.apply(500, 1), -128);
    // PReLU: scale defaults to 1, so x >= 0 gives x / 2 (shift 1); x < 0 gives x * slope / 2.
    const ChannelParams p = channel_params(prelu, 2);
    ASSERT_TRUE(p.supplied);
    EXPECT_EQ(elementwise(prelu, p, 0, 7), 4);    // 3.5 -> 4
    EXPECT_EQ(elementwise(prelu, p, 0, 5), 2);    // 2.5 -> 2
    EXPECT_EQ(elementwise(prelu, p, 1, -3), -4);  // -9 / 2 = -4.5 -> -4
    // Sign: channel 0 is +1 from x >= 5, channel 1 up to x <= 5.
    const ChannelParams s = channel_params(sign, 2);
    EXPECT_EQ(elementwise(sign, s, 0, 5), 1);
    EXPECT_EQ(elementwise(sign, s, 0, 4), -1);
    EXPECT_EQ(elementwise(sign, s, 1, 5), 1);
    EXPECT_EQ(elementwise(sign, s, 1, 6), -1);
    // Another network's op of the same name is not affected.
    const LoweredNetwork other = small_net();
    EXPECT_FALSE(channel_params(other.ops[1], 2).supplied);
  }
  const ChannelParams after = channel_params(prelu, 2);
  EXPECT_FALSE(after.supplied);
  EXPECT_EQ(after.scale, drawn.scale);
}

TEST(SuppliedParams, BadFilesAreRefusedWithOneLine) {
  const std::string dir = test::TempFile::dir() + "/supplied-bad";
  ASSERT_TRUE(make_directories(dir));
  const LoweredNetwork net = small_net();
  write_npy(dir + "/c.slope.npy", {2}, {1, 1});
  test::expect_input_error([&] { read_supplied_params(net, dir); },
                           {"c.slope.npy", "layer 'c'", "a conv2d layer takes no supplied slope"});
  std::remove((dir + "/c.slope.npy").c_str());
  write_npy(dir + "/pr.scale.npy", {3}, {1, 1, 1});
  test::expect_input_error([&] { read_supplied_params(net, dir); },
                           {"pr.scale.npy", "field 'shape'", "a scale must be a scalar or hold 2 entries, got 3"});
  write_npy(dir + "/pr.scale.npy", {2}, {1, 1});
  write_npy(dir + "/pr.shift.npy", {}, {41});
  test::expect_input_error([&] { read_supplied_params(net, dir); }, {"pr.shift.npy", "shift 41", "outside 0..40"});
}

}  // namespace
}  // namespace bitsys
