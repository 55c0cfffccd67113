// The output stage as a hardware option: which post-ops it fuses (and so which leave the vector
// unit), the pipeline registers each adds to a fold, and one-line errors for bad stage fields.
#include <gtest/gtest.h>

#include "sim/engine/crosscheck.h"
#include "sim/io/arch_json.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "test_util.h"

namespace bitsys {
namespace {

using test::expect_input_error;

ArchConfig arch_with_stage(const std::string& stage) {
  return parse_arch_json(R"({"name": "s", "rows": 8, "cols": 8, "dataflow": "ws", "pe": {"kind": "int8"},
                             "dram": {"bandwidth_bytes_per_cycle": "unlimited"})" +
                             (stage.empty() ? std::string() : ", \"output_stage\": " + stage) + "}",
                         "stage.json");
}

/// fc 16 -> 8 on a 16-element 8-bit input, then `post` (a one-input per-channel op).
Network fc_then(LayerType post) {
  Network n;
  n.name = "fc-post";
  n.inputs.push_back({"x", {16, 1, 1}, ActPrecision{8, true}});
  Layer fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.out_features = 8;
  fc.weights = WeightPrecision::twos(8);
  fc.output = ActPrecision{8, true};
  n.layers.push_back(fc);
  Layer p;
  p.name = "post";
  p.type = post;
  p.output = ActPrecision{8, true};
  n.layers.push_back(p);
  return n;
}

TEST(OutputStage, TheDefaultStageFusesWhatItAlwaysDid) {
  const ArchConfig a = arch_with_stage("");
  EXPECT_EQ(a.output_stage.fused_names(), "sign, relu, requantize");
  EXPECT_EQ(a.output_stage, OutputStageConfig{});
  const LoweredNetwork relu = lower_for(fc_then(LayerType::Relu), a);
  EXPECT_EQ(relu.ops[1].placement, OpPlacement::Fused);
  const LoweredNetwork bn = lower_for(fc_then(LayerType::ScaleBias), a);
  EXPECT_EQ(bn.ops[1].placement, OpPlacement::Vector);
}

TEST(OutputStage, TheFuseListDecidesWhatLeavesTheVectorUnit) {
  const ArchConfig a = arch_with_stage(R"({"fuse": ["requantize", "scale_bias", "prelu"],
                                          "latency_cycles": {"gemm": 2, "scale_bias": 1, "prelu": 3}})");
  EXPECT_FALSE(a.output_stage.fuses(LayerType::Relu));
  const LoweredNetwork relu = lower_for(fc_then(LayerType::Relu), a);
  EXPECT_EQ(relu.ops[1].placement, OpPlacement::Vector);  // no longer in the stage
  EXPECT_EQ(relu.ops[0].output_latency, 2);
  const LoweredNetwork bn = lower_for(fc_then(LayerType::ScaleBias), a);
  EXPECT_EQ(bn.ops[1].placement, OpPlacement::Fused);
  EXPECT_EQ(bn.ops[0].output_latency, 2 + 1);
  const LoweredNetwork pr = lower_for(fc_then(LayerType::PRelu), a);
  EXPECT_EQ(pr.ops[0].output_latency, 2 + 3);
  // Written back out, the stage reads the same.
  EXPECT_EQ(parse_arch_json(arch_to_json(a).dump(), "again.json").output_stage, a.output_stage);
  // A written-out stage with an op taken off its fuse list still reads: 0 cycles is no registers.
  EXPECT_FALSE(arch_with_stage(R"({"fuse": ["requantize"], "latency_cycles": {"relu": 0}})")
                   .output_stage.fuses(LayerType::Relu));
}

TEST(OutputStage, EveryFoldWaitsForTheStagesRegistersByHand) {
  // fc: M = 1 (batch 1), K = 16, N = 8; int8 at one lane: Kb = 16. WS on 8x8: Sr = Kb = 16,
  // Sc = N = 8, T = M = 1 -> ceil(16/8) * ceil(8/8) = 2 folds of 2R + C + T - 2 = 16 + 8 + 1 - 2
  // = 23 cycles: 46 with ideal memory. A stage of 2 registers plus relu's 1 delays each fold's
  // last result by 3 (partial sums pass the same registers): 2 * (23 + 3) = 52.
  for (const auto& [stage, expected] : std::vector<std::pair<std::string, uint64_t>>{
           {"", 46}, {R"({"fuse": ["relu"], "latency_cycles": {"gemm": 2, "relu": 1}})", 52}}) {
    const ArchConfig a = arch_with_stage(stage);
    RunOptions opt;
    opt.verify = true;  // values leave the registers unchanged
    const CrossCheck c = crosscheck(a, lower_for(fc_then(LayerType::Relu), a), opt);
    EXPECT_EQ(c.analytic.total_cycles, expected) << stage;
    EXPECT_EQ(c.systemc.total_cycles, expected) << stage;
    EXPECT_TRUE(c.systemc.verified) << stage;
    EXPECT_EQ(c.analytic.vector_cycles(), 0u);
    EXPECT_EQ(analytic_gemm(a, lower_for(fc_then(LayerType::Relu), a).ops[0]).cycles, expected);
  }
}

TEST(OutputStage, AFusedBatchNormCostsNoVectorCyclesAndNoTripThroughMemory) {
  // Unfused, scale_bias reads the fc's 8 outputs back and writes 8: ceil(8 / 32 lanes) = 1
  // vector cycle. Fused, it is gone from the vector unit and its tensor never exists.
  const ArchConfig plain = arch_with_stage(""),
                   fused = arch_with_stage(R"({"fuse": ["requantize", "relu", "sign", "scale_bias"]})");
  const RunResult before = run_network(plain, lower_for(fc_then(LayerType::ScaleBias), plain), RunOptions{});
  const RunResult after = run_network(fused, lower_for(fc_then(LayerType::ScaleBias), fused), RunOptions{});
  EXPECT_EQ(before.vector_cycles(), 1u);
  EXPECT_EQ(after.vector_cycles(), 0u);
  EXPECT_EQ(before.total_cycles, after.total_cycles + 1);
}

TEST(OutputStage, ANetworkLoweredForAnotherStageIsRefused) {
  const ArchConfig a = arch_with_stage(R"({"fuse": ["requantize"]})");
  EXPECT_THROW(analytic_network(a, lower(fc_then(LayerType::Relu))), std::logic_error);
}

TEST(OutputStage, BadStageFieldsGetOneLineErrors) {
  expect_input_error([] { arch_with_stage(R"({"fuse": ["relu6"]})"); },
                     {"stage.json", "output_stage", "fuse", "relu6", "scale_bias"});
  expect_input_error([] { arch_with_stage(R"({"fuse": ["add"]})"); },
                     {"stage.json", "fuse", "add", "not a one-input per-channel step"});
  expect_input_error([] { arch_with_stage(R"({"fuse": "relu"})"); }, {"stage.json", "fuse", "array"});
  expect_input_error([] { arch_with_stage(R"({"fuse": ["relu"], "latency_cycles": {"prelu": 1}})"); },
                     {"stage.json", "prelu", "not in output_stage.fuse"});
  expect_input_error([] { arch_with_stage(R"({"latency_cycles": {"gemm": -1}})"); }, {"stage.json", "gemm"});
  expect_input_error([] { arch_with_stage(R"({"fuse": ["relu"], "latncy_cycles": {}})"); },
                     {"stage.json", "latncy_cycles"});
}

}  // namespace
}  // namespace bitsys
