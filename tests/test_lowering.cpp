// Lowering of convs (stride, padding, groups, depthwise), FC and pools to GEMMs and vector ops,
// fusion of output-stage post-ops, and the MAC totals of the reference networks.
#include <gtest/gtest.h>

#include "sim/fidelity/fidelity.h"
#include "sim/io/workload_json.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "test_util.h"

namespace bitsys {
namespace {

LoweredNetwork lower_text(const std::string& layers, const std::string& shape = "[8, 10, 12]", int batch = 1) {
  const std::string text = R"({"name": "t", "batch": )" + std::to_string(batch) +
                           R"(, "inputs": [{"name": "x", "shape": )" + shape + R"(}], "layers": [)" + layers + "]}";
  return lower(parse_workload_json(text, "t.json"));
}

const LoweredOp& op(const LoweredNetwork& n, const std::string& name) {
  for (const auto& o : n.ops)
    if (o.name == name) return o;
  throw std::runtime_error("no op " + name);
}

TEST(Lowering, ConvWithStrideAndPadding) {
  const auto n =
      lower_text(R"({"name": "c", "type": "conv2d", "out_channels": 16, "kernel": 3, "stride": 2, "padding": 1})",
                 "[8, 10, 12]", 2);
  const auto& c = op(n, "c");
  EXPECT_EQ(c.out_shape.c, 16);
  EXPECT_EQ(c.out_shape.h, 5);  // (10 + 2 - 3) / 2 + 1
  EXPECT_EQ(c.out_shape.w, 6);  // (12 + 2 - 3) / 2 + 1
  EXPECT_EQ(c.gemm.M, 2 * 5 * 6);
  EXPECT_EQ(c.gemm.K, 8 * 3 * 3);
  EXPECT_EQ(c.gemm.N, 16);
  EXPECT_EQ(c.gemm.groups, 1);
  EXPECT_EQ(c.macs, uint64_t{60} * 72 * 16);
}

TEST(Lowering, RectangularKernelNoPadding) {
  const auto n = lower_text(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": [1, 5]})");
  EXPECT_EQ(op(n, "c").out_shape.h, 10);
  EXPECT_EQ(op(n, "c").out_shape.w, 8);
  EXPECT_EQ(op(n, "c").gemm.K, 8 * 5);
}

TEST(Lowering, GroupedAndDepthwiseConvAreOneGemmPerGroup) {
  const auto g =
      lower_text(R"({"name": "g", "type": "conv2d", "out_channels": 12, "kernel": 3, "padding": 1, "groups": 4})");
  EXPECT_EQ(op(g, "g").gemm.groups, 4);
  EXPECT_EQ(op(g, "g").gemm.K, 2 * 9);
  EXPECT_EQ(op(g, "g").gemm.N, 3);
  const auto d =
      lower_text(R"({"name": "dw", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "groups": 8})");
  EXPECT_EQ(op(d, "dw").gemm.groups, 8);
  EXPECT_EQ(op(d, "dw").gemm.K, 9);
  EXPECT_EQ(op(d, "dw").gemm.N, 1);
  EXPECT_EQ(op(d, "dw").macs, uint64_t{8} * 120 * 9);
}

TEST(Lowering, FullyConnectedFlattensItsInput) {
  const auto n = lower_text(R"({"name": "fc", "type": "fc", "out_features": 10})", "[8, 10, 12]", 3);
  EXPECT_EQ(op(n, "fc").gemm.M, 3);
  EXPECT_EQ(op(n, "fc").gemm.K, 960);
  EXPECT_EQ(op(n, "fc").gemm.N, 10);
}

TEST(Lowering, PoolsAndElementwiseGoToTheVectorUnit) {
  const auto n = lower_text(R"({"name": "p", "type": "maxpool", "kernel": 2},
                               {"name": "g", "type": "avgpool", "global": true},
                               {"name": "b", "type": "scale_bias"})");
  EXPECT_EQ(op(n, "p").placement, OpPlacement::Vector);
  EXPECT_EQ(op(n, "p").out_shape.h, 5);
  EXPECT_EQ(op(n, "g").out_shape.h, 1);
  EXPECT_EQ(op(n, "b").placement, OpPlacement::Vector);
  EXPECT_EQ(n.total_macs, 0u);
}

TEST(Lowering, OutputStageOpsFuseOnlyWhenTheGemmOutputHasNoOtherReader) {
  const auto n = lower_text(R"({"name": "c1", "type": "conv2d", "out_channels": 8, "kernel": 1},
                               {"name": "r1", "type": "relu"},
                               {"name": "t1", "type": "sign", "output": {"bits": 1}},
                               {"name": "c2", "type": "conv2d", "out_channels": 8, "kernel": 1},
                               {"name": "r2", "type": "relu"},
                               {"name": "sum", "type": "add", "inputs": ["c2", "t1"]},
                               {"name": "r3", "type": "relu"})");
  EXPECT_EQ(op(n, "r1").placement, OpPlacement::Fused);
  EXPECT_EQ(op(n, "t1").placement, OpPlacement::Fused);  // chains through r1 into c1's output stage
  EXPECT_EQ(op(n, "t1").fused_into, "c1");
  EXPECT_EQ(op(n, "c1").post_ops, (std::vector<std::string>{"r1", "t1"}));
  EXPECT_EQ(op(n, "r2").placement, OpPlacement::Vector);  // c2 is also read by the add
  EXPECT_EQ(op(n, "r3").placement, OpPlacement::Vector);  // follows an add, not a GEMM
  EXPECT_EQ(op(n, "c2").act, (ActPrecision{1, true}));    // reads the 1-bit threshold output
}

// 8-bit signed activations and weights: |a w| <= 128 * 128 = 2^14, so K products fit the 32-bit
// accumulator while K <= (2^31 - 1) / 2^14 = 131071.
TEST(Lowering, RefusesADotProductTheAccumulatorCannotHold) {
  EXPECT_EQ(lower_text(R"({"name": "fc", "type": "fc", "out_features": 2})", "[131071, 1, 1]").ops[0].gemm.K, 131071);
  try {
    lower_text(R"({"name": "fc", "type": "fc", "out_features": 2})", "[131072, 1, 1]");
    FAIL() << "K = 131072 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.json: layer 'fc': a dot product of K = 131072 terms of up to 16384 (a8s x "
                                         "w8) may not fit the 32-bit accumulator; K may be at most 131071"),
              std::string::npos)
        << e.what();
  }
}

TEST(Lowering, ConcatAddsChannels) {
  const auto n = lower_text(R"({"name": "a", "type": "conv2d", "out_channels": 3, "kernel": 1, "inputs": ["x"]},
                               {"name": "b", "type": "conv2d", "out_channels": 5, "kernel": 1, "inputs": ["x"]},
                               {"name": "cat", "type": "concat", "inputs": ["a", "b"]})");
  EXPECT_EQ(op(n, "cat").out_shape.c, 8);
  EXPECT_EQ(op(n, "cat").placement, OpPlacement::Free);
}

const std::string kWorkloads = std::string(BITSYS_SOURCE_DIR) + "/workloads/";

TEST(Lowering, ResNet18MatchesPublishedMacCount) {
  const auto n = lower(load_workload(kWorkloads + "resnet18-int8.json"));
  // torchvision ResNet-18: 1.814 G MACs (convs, downsamples and FC).
  EXPECT_NEAR(static_cast<double>(n.total_macs) / 1e9, 1.814, 0.0005);
  EXPECT_EQ(op(n, "conv1").macs, 118013952u);           // networks.md: 118.0 M
  EXPECT_EQ(op(n, "layer1.0.conv1").macs, 115605504u);  // 115.6 M
  int gemms = 0;
  for (const auto& o : n.ops) gemms += o.placement == OpPlacement::Array;
  EXPECT_EQ(gemms, 21);  // 1 stem + 16 block convs + 3 downsamples + FC
}

TEST(Lowering, ResNet20MatchesPublishedConvMacCount) {
  const auto n = lower(load_workload(kWorkloads + "resnet20-int8.json"));
  uint64_t conv3x3 = 0;
  for (const auto& o : n.ops)
    if (o.type == LayerType::Conv2d && o.name.find("shortcut") == std::string::npos) conv3x3 += o.macs;
  EXPECT_EQ(conv3x3, 40550400u);  // networks.md: 40.55 M conv MACs (19 convs, no shortcuts or FC)
}

TEST(Lowering, EveryWorkloadFileLoadsAndLowers) {
  for (const char* f : {"resnet18-int8.json", "resnet20-int8.json", "bineal-resnet18-1x.json",
                        "bineal-resnet18-1.5x.json", "bineal-resnet18-2x.json"}) {
    SCOPED_TRACE(f);
    const auto n = lower(load_workload(kWorkloads + f));
    EXPECT_GT(n.total_macs, 0u);
  }
}

TEST(Lowering, BiNealBlocksAreBinaryWithThresholdsFused) {
  const auto n = lower(load_workload(kWorkloads + "bineal-resnet18-1x.json"));
  EXPECT_EQ(op(n, "layer2.0.conv2").act, (ActPrecision{1, true}));
  EXPECT_TRUE(op(n, "layer2.0.conv2").weights.binary());
  EXPECT_TRUE(op(n, "layer2.0.shortcut").weights.binary());
  EXPECT_EQ(op(n, "layer2.0.threshold").placement, OpPlacement::Fused);
  EXPECT_EQ(op(n, "layer2.0.add").out.bits, 1);
  EXPECT_EQ(op(n, "stem").weights.bits, 8);
  EXPECT_EQ(op(n, "fc").weights.bits, 8);
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

// A network lowered for one output stage and run on another names what differs, even when both
// fuse the same ops (the vector unit's schedule, or only the latencies).
TEST(Lowering, ANetworkLoweredForAnotherOutputStageSaysWhatDiffers) {
  const Network tiny = load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/tiny-cnn.json");
  ArchConfig arch;
  arch.name = "a.json";
  arch.output_stage.beside = true;
  const LoweredNetwork turns = lower(tiny);
  try {
    check_lowered_for(arch, turns);
    FAIL() << "ran a network lowered for another output stage";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("the rest in turns, but a.json's is fusing"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("the rest beside the array (lower it"), std::string::npos) << e.what();
  }
  arch.output_stage.beside = false;
  arch.output_stage.gemm_latency = 2;
  try {
    check_lowered_for(arch, turns);
    FAIL() << "ran a network lowered for other latencies";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("a.json's is the same with other latencies"), std::string::npos) << e.what();
  }
  arch.output_stage.gemm_latency = 0;
  EXPECT_NO_THROW(check_lowered_for(arch, turns));
}

}  // namespace
}  // namespace bitsys
