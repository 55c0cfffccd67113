// The memory system's timing on cases small enough to work out by hand, and the effects it
// must show: activation width moves DRAM traffic and stalls, ideal memory removes stalls.
#include <gtest/gtest.h>

#include "sim/engine/crosscheck.h"
#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "test_util.h"

namespace bitsys {
namespace {

/// One relu on an n-element 8-bit network input: a single vector-unit op.
LoweredNetwork relu_of(int64_t n) {
  Network net;
  net.name = "relu";
  net.inputs.push_back({"x", {1, 1, n}, ActPrecision{8, true}});
  Layer r;
  r.name = "relu";
  r.type = LayerType::Relu;
  r.output = ActPrecision{8, false};
  net.layers.push_back(r);
  return lower(net);
}

ArchConfig small_arch(double kib) {
  ArchConfig a;
  a.name = "hand";
  a.pe = find_pe_kind("int8");
  a.vector_lanes = 16;
  a.dram_bytes_per_cycle = 4;
  a.dram_latency_cycles = 10;
  a.ifmap_kib = a.filter_kib = a.ofmap_kib = kib;
  return a;
}

TEST(MemoryModel, OneTileByHand) {
  // Load 64 B: 16 cycles on the channel + 10 latency = ready at 26; compute 64/16 = 4 cycles
  // (26..30); write 64 B: 16 cycles (30..46).
  const CrossCheck c = crosscheck(small_arch(64), relu_of(64), RunOptions{});
  EXPECT_TRUE(c.equal()) << c.differences.front();
  EXPECT_EQ(c.analytic.total_cycles, 46u);
  EXPECT_EQ(c.analytic.vector_cycles(), 4u);
  EXPECT_EQ(c.analytic.stall_cycles(), 42u);
  // 26 cycles waiting for the input (all ifmap bytes), 16 for the final write-back.
  const auto& by = c.analytic.layers[0].timing.stall_by;
  EXPECT_EQ(by[kStallIfmap], 26u);
  EXPECT_EQ(by[kStallFilter], 0u);
  EXPECT_EQ(by[kStallWriteback], 16u);
  EXPECT_EQ(c.analytic.dram_read, 64u);
  EXPECT_EQ(c.analytic.dram_written, 64u);
}

// Sizes that do not divide evenly, where a rounding slip on either side would show. Each
// fidelity is held to the hand figure on its own, not only to the other.
TEST(MemoryModel, UnevenBytesAndLanesByHand) {
  ArchConfig a = small_arch(64);
  a.dram_bytes_per_cycle = 3;
  a.dram_latency_cycles = 0;
  a.vector_lanes = 7;
  // 50 B in at 3 B/cycle: ceil(16.67) = 17 cycles; 50 element operations on 7 lanes: ceil(7.14)
  // = 8 cycles (17..25); 50 B out: 17 cycles (25..42).
  const CrossCheck c = crosscheck(a, relu_of(50), RunOptions{});
  EXPECT_EQ(c.analytic.total_cycles, 42u);
  EXPECT_EQ(c.systemc.total_cycles, 42u);
  EXPECT_EQ(c.analytic.vector_cycles(), 8u);
  EXPECT_EQ(c.systemc.vector_cycles(), 8u);
  // A fractional bandwidth: 0.75 B/cycle moves 50 B in ceil(66.67) = 67 cycles: 67 + 8 + 67.
  a.dram_bytes_per_cycle = 0.75;
  const CrossCheck f = crosscheck(a, relu_of(50), RunOptions{});
  EXPECT_EQ(f.analytic.total_cycles, 142u);
  EXPECT_EQ(f.systemc.total_cycles, 142u);
  // Buffer ports of 4 B/cycle: the tile reads 50 B from the ifmap buffer and writes 50 B into the
  // ofmap buffer, ceil(12.5) = 13 cycles each side by side, longer than its 8 cycles of work:
  // 17 + 13 + 17 = 47 at 3 B/cycle.
  a.dram_bytes_per_cycle = 3;
  a.sram_port_bytes_per_cycle = 4;
  const CrossCheck p = crosscheck(a, relu_of(50), RunOptions{});
  EXPECT_EQ(p.analytic.total_cycles, 47u);
  EXPECT_EQ(p.systemc.total_cycles, 47u);
  EXPECT_EQ(p.systemc.vector_cycles(), 13u);
}

/// A 1x1 conv, 2 -> 2 channels over 7 pixels of 8-bit data, on a 2x2 WS array with ideal memory:
/// Kb = 2 (one k-block), 2 columns, T = 7.
CrossCheck seven_pixel_conv(double ifmap_bytes, double ofmap_bytes) {
  Network n;
  n.name = "conv";
  n.inputs.push_back({"x", {2, 1, 7}, ActPrecision{8, true}});
  Layer c1;
  c1.name = "conv";
  c1.type = LayerType::Conv2d;
  c1.out_channels = 2;
  c1.kernel_h = c1.kernel_w = 1;
  c1.output = ActPrecision{8, true};
  n.layers.push_back(c1);
  ArchConfig a = small_arch(1);
  a.rows = a.cols = 2;
  a.dataflow = Dataflow::WS;
  a.dram_unlimited = true;
  a.ifmap_kib = ifmap_bytes / 1024;
  a.ofmap_kib = ofmap_bytes / 1024;
  RunOptions opt;
  opt.verify = true;
  return crosscheck(a, lower(n), opt);
}

TEST(MemoryModel, PortWidthIsAConfigField) {
  auto parse = [](const std::string& buffers) {
    return parse_arch_json(R"({"name": "a", "rows": 4, "cols": 4, "pe": {"kind": "int8"}, "buffers": )" + buffers + "}",
                           "a.json");
  };
  EXPECT_EQ(parse(R"({"port_bytes_per_cycle": 4})").sram_port_bytes_per_cycle, 4.0);
  EXPECT_EQ(parse(R"({"port_bytes_per_cycle": "unlimited"})").sram_port_bytes_per_cycle, 0.0);
  EXPECT_EQ(parse("{}").sram_port_bytes_per_cycle, 0.0);
  EXPECT_EQ(parse_arch_json(arch_to_json(parse(R"({"port_bytes_per_cycle": 2.5})")).dump(), "b.json")
                .sram_port_bytes_per_cycle,
            2.5);
  test::expect_input_error([&] { parse(R"({"port_bytes_per_cycle": "fast"})"); },
                           {"a.json", "port_bytes_per_cycle", "\"unlimited\""});
  test::expect_input_error([&] { parse(R"({"port_bytes_per_cycle": 0})"); }, {"a.json", "port_bytes_per_cycle"});
}

TEST(MemoryModel, AFoldSplitIntoUnevenTilesByHand) {
  // Half the ifmap buffer holds 6 B. The 14 B input does not fit, so it streams: a tile of n
  // pixels needs n bytes of each of the 2 input channels (2n <= 6), so the fold streams as tiles
  // of 3, 3 and 1 pixels. Cycles: 3 + R (preload) = 5, then 3, then 1 + R + C - 2 = 3: 11 =
  // 2R + C + T - 2, with ideal memory no stall.
  const CrossCheck c = seven_pixel_conv(12, 1024);
  EXPECT_EQ(c.analytic.layers[0].memory.tiles, 3u);
  EXPECT_EQ(c.analytic.layers[0].memory.folds, 1u);
  EXPECT_EQ(c.analytic.total_cycles, 11u);
  EXPECT_EQ(c.systemc.total_cycles, 11u);
  EXPECT_TRUE(c.systemc.verified);
}

TEST(MemoryModel, AFoldsResultsWaitInTheOfmapBufferByHand) {
  // A WS fold's results leave the array up to R + C - 2 cycles after its last beat, so they wait
  // in the ofmap buffer until the fold ends: with 6 B halves a fold may produce 3 pixels of 2
  // one-byte outputs, so T = 7 splits into folds of 3, 3 and 1, each 2R + C + T - 2 = 4 + T
  // cycles: 7 + 7 + 5 = 19.
  const CrossCheck c = seven_pixel_conv(1024, 12);
  EXPECT_EQ(c.analytic.layers[0].memory.folds, 3u);
  EXPECT_EQ(c.analytic.total_cycles, 19u);
  EXPECT_EQ(c.systemc.total_cycles, 19u);
  EXPECT_TRUE(c.systemc.verified);
}

TEST(MemoryModel, DoubleBufferingOverlapsTheSecondLoadByHand) {
  // Buffers of 64 B: halves of 32 B, so two tiles of 32 elements. L0: channel 0..8, ready 18.
  // L1: channel 8..16, ready 26. Tile 0: 18..20. S0: channel 20..28. Tile 1: 26..28.
  // S1: channel 28..36. Total 36, of which 4 compute.
  const CrossCheck c = crosscheck(small_arch(64.0 / 1024), relu_of(64), RunOptions{});
  EXPECT_TRUE(c.equal()) << c.differences.front();
  EXPECT_EQ(c.analytic.layers[0].memory.tiles, 2u);
  EXPECT_EQ(c.analytic.total_cycles, 36u);
  EXPECT_EQ(c.analytic.stall_cycles(), 32u);
  EXPECT_EQ(c.analytic.layers[0].memory.peak[kIfmap], 64u);  // both halves full
}

TEST(MemoryModel, IdealMemoryHasNoStallAndTheArrayTakesTheFoldFormula) {
  ArchConfig a = load_arch(std::string(BITSYS_SOURCE_DIR) + "/configs/int8-32x32.json");
  a.dram_unlimited = true;
  a.ifmap_kib = a.filter_kib = a.ofmap_kib = 1 << 16;  // nothing needs tiling
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/resnet18-int8.json"));
  const NetworkTiming t = analytic_network(a, net);
  uint64_t formula = 0, compute = 0, stall = 0;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    if (net.ops[i].placement == OpPlacement::Array) formula += analytic_gemm(a, net.ops[i]).cycles;
    if (net.ops[i].placement == OpPlacement::Array) compute += t.ops[i].compute;
    stall += t.ops[i].stall;
  }
  EXPECT_EQ(stall, 0u);
  EXPECT_EQ(compute, formula);
  EXPECT_EQ(formula, 2855052u);  // the stall-free figure of the README
}

TEST(MemoryModel, IdealMemoryOverlappedFoldsTakeTheLayerFormulaInEveryDataflow) {
  // With ideal memory a layer's cycles (busy and waits for an output half) are analytic_gemm's
  // closed form of the overlapped schedule; SystemC agrees layer by layer.
  ArchConfig a = load_arch(std::string(BITSYS_SOURCE_DIR) + "/configs/int8-8x8.json");
  a.dram_unlimited = true;
  a.ifmap_kib = a.filter_kib = a.ofmap_kib = 1 << 16;
  a.schedule = FoldSchedule::Overlapped;
  a.output_stage.gemm_latency = 2;
  const LoweredNetwork net =
      lower_for(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/resnet20-int8.json"), a);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    a.dataflow = df;
    const CrossCheck c = crosscheck(a, net, RunOptions{});
    EXPECT_TRUE(c.equal()) << c.differences.front();
    for (const auto& l : c.analytic.layers) {
      if (l.op.placement != OpPlacement::Array) continue;
      EXPECT_EQ(l.timing.cycles(), analytic_gemm(a, l.op).cycles) << dataflow_info(df).name << " " << l.op.name;
    }
  }
}

TEST(MemoryModel, OneBitActivationMapsMoveLessDataAndStallLessWhenBandwidthIsScarce) {
  const std::string src = BITSYS_SOURCE_DIR;
  const ArchConfig low = load_arch(src + "/configs/int8-32x32-lowbw.json");
  const LoweredNetwork a8 = lower(load_workload(src + "/workloads/resnet18-int8.json"));
  const LoweredNetwork a1 = lower(load_workload(src + "/workloads/resnet18-a1w8.json"));
  const NetworkTiming t8 = analytic_network(low, a8), t1 = analytic_network(low, a1);
  // Same layers and compute on the int8 array...
  uint64_t c8 = 0, c1 = 0;
  for (size_t i = 0; i < a8.ops.size(); ++i) {
    if (a8.ops[i].placement == OpPlacement::Array) c8 += t8.ops[i].compute;
    if (a1.ops[i].placement == OpPlacement::Array) c1 += t1.ops[i].compute;
  }
  EXPECT_EQ(c8, c1);
  // ...but activation traffic shrinks (weights, 11.7 MB, do not), and with it the stalls.
  EXPECT_LT(t1.dram_read + t1.dram_written, (t8.dram_read + t8.dram_written) * 6 / 10);
  uint64_t s8 = 0, s1 = 0;
  for (const auto& o : t8.ops) s8 += o.stall;
  for (const auto& o : t1.ops) s1 += o.stall;
  EXPECT_LT(s1, s8 / 2);
  EXPECT_LT(t1.total_cycles, t8.total_cycles * 6 / 10);
}

TEST(MemoryModel, OutputKeptOnChipIsNeitherWrittenNorReadBack) {
  // conv -> relu(fused) -> maxpool: the conv's output is read only by the pool, the next op,
  // and fits: it never reaches DRAM.
  Network n;
  n.name = "keep";
  n.inputs.push_back({"x", {4, 8, 8}, ActPrecision{8, true}});
  Layer c;
  c.name = "conv";
  c.type = LayerType::Conv2d;
  c.out_channels = 8;
  c.kernel_h = c.kernel_w = 3;
  c.padding = 1;
  n.layers.push_back(c);
  Layer p;
  p.name = "pool";
  p.type = LayerType::MaxPool;
  p.kernel_h = p.kernel_w = 2;
  p.stride = 2;
  n.layers.push_back(p);
  ArchConfig a = small_arch(64);
  a.rows = a.cols = 4;
  const CrossCheck ck = crosscheck(a, lower(n), RunOptions{});
  EXPECT_TRUE(ck.equal());
  const auto& conv = ck.analytic.layers[0];
  const auto& pool = ck.analytic.layers[1];
  EXPECT_TRUE(conv.memory.output_on_chip);
  EXPECT_TRUE(pool.memory.input_on_chip);
  EXPECT_EQ(conv.timing.dram_write, 0u);
  EXPECT_EQ(pool.timing.dram_read[kIfmap], 0u);
  EXPECT_EQ(pool.timing.dram_write, 8u * 4 * 4);  // the pool's 8x4x4 8-bit output leaves
}

// The vector unit beside the array, by hand. Ideal memory; a 2x2 OS int8 array; a 1x1 conv of
// one input channel onto 2 output channels over 1x4 pixels: M = 4, N = 2, K = 1, so two folds
// (rows 0-1 and 2-3) of one beat, each 2R + C + T - 2 = 4 + 2 + 1 - 2 = 5 cycles. Then a
// scale_bias the output stage does not fuse, on a 1-lane vector unit.
//   turns:  folds 0..5 and 5..10, then the scale_bias pass over 4 x 2 = 8 elements: 10..18.
//   beside: fold 0's 2 x 2 results take the vector unit 5..9 while fold 1 runs 5..10; fold 1's
//           take it 10..14; the run ends when they are written back (at once): 14.
TEST(MemoryModel, VectorUnitBesideTheArrayByHand) {
  Network n;
  n.name = "beside";
  n.inputs.push_back({"x", {1, 1, 4}, ActPrecision{8, true}});
  Layer c;
  c.name = "conv";
  c.type = LayerType::Conv2d;
  c.out_channels = 2;
  n.layers.push_back(c);
  Layer bn;
  bn.name = "bn";
  bn.type = LayerType::ScaleBias;
  n.layers.push_back(bn);
  ArchConfig a = small_arch(64);
  a.rows = a.cols = 2;
  a.dataflow = Dataflow::OS;
  a.dram_unlimited = true;
  a.vector_lanes = 1;
  RunOptions verify;
  verify.verify = true;
  for (const bool beside : {false, true}) {
    a.output_stage.beside = beside;
    const LoweredNetwork net = lower_for(n, a);
    EXPECT_EQ(net.ops[1].placement, beside ? OpPlacement::Fused : OpPlacement::Vector);
    const CrossCheck ck = crosscheck(a, net, verify);
    ASSERT_TRUE(ck.equal()) << ck.differences.front();
    EXPECT_TRUE(ck.systemc.verified) << ck.systemc.layers[0].op.name;
    EXPECT_EQ(ck.analytic.total_cycles, beside ? 14u : 18u) << (beside ? "beside" : "turns");
    EXPECT_EQ(ck.analytic.layers[0].timing.compute, 10u);
    EXPECT_EQ(ck.analytic.layers[0].timing.beside, beside ? 8u : 0u);
    EXPECT_EQ(ck.analytic.layers[1].timing.compute, beside ? 0u : 8u);
  }
}

// Overlapped WS folds with partial sums in the slab: the first fold of the next, narrower column
// block (5 of 11 columns on a 6-wide array) wrote its first rows while the previous block's last
// fold still read its own, at another row stride, and a result came out wrong (found by the
// cross-check). 128-byte ofmap halves hold 5 rows of 6 partial sums, so a 1x1 conv of K = 4 on
// a 2-row array (two k-blocks) splits its 6 pixels into T-tiles of 5 and 1.
TEST(MemoryModel, OverlappedFoldsOfANarrowerBlockKeepThePartialSumsTheyRead) {
  Network n;
  n.name = "slab";
  n.inputs.push_back({"x", {4, 2, 3}, ActPrecision{8, true}});
  Layer c;
  c.name = "conv";
  c.type = LayerType::Conv2d;
  c.out_channels = 11;
  c.weights = WeightPrecision::twos(5);
  c.output = ActPrecision{4, false};
  n.layers.push_back(c);
  ArchConfig a = small_arch(64);
  a.rows = 2;
  a.cols = 6;
  a.ofmap_kib = 0.25;
  a.schedule = FoldSchedule::Overlapped;
  RunOptions verify;
  verify.verify = true;
  verify.seed = 2;  // operands that showed the overwrite
  const CrossCheck ck = crosscheck(a, lower_for(n, a), verify);
  EXPECT_TRUE(ck.equal());
  EXPECT_TRUE(ck.systemc.verified);
}

}  // namespace
}  // namespace bitsys
