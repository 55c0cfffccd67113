// The analytic model equals the SystemC model — total cycles, stalls, DRAM bytes, and every
// op's compute, stall and traffic — on thousands of random cases: layer shapes from tiny to
// larger than the array, every dataflow, PE kind and precision, buffers from a few bytes to
// ample, bandwidth from starved to unlimited. The SystemC outputs are verified too.
#include <gtest/gtest.h>

#include <random>

#include "sim/engine/crosscheck.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

template <class T>
T pick(std::mt19937_64& rng, std::initializer_list<T> v) {
  return *(v.begin() + rng() % v.size());
}
int64_t range(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

ArchConfig random_arch(std::mt19937_64& rng) {
  ArchConfig a;
  a.name = "random";
  a.file = "random-arch";
  a.rows = static_cast<int>(range(rng, 1, 9));
  a.cols = static_cast<int>(range(rng, 1, 9));
  a.dataflow = pick(rng, {Dataflow::OS, Dataflow::WS, Dataflow::IS});
  const auto kinds = pe_kinds();
  a.pe = kinds[rng() % kinds.size()];
  a.lanes = static_cast<int>(range(rng, 1, a.pe->max_lanes()));
  auto kib = [&] { return pick(rng, {0.25, 0.5, 1.0, 2.0, 8.0, 64.0, 4096.0}); };
  a.ifmap_kib = kib();
  a.filter_kib = kib();
  a.ofmap_kib = kib();
  a.dram_unlimited = rng() % 6 == 0;
  a.dram_bytes_per_cycle = pick(rng, {0.125, 0.5, 1.0, 3.0, 16.0, 1000.0});
  a.dram_latency_cycles = static_cast<int>(pick(rng, {0, 1, 7, 100}));
  a.vector_lanes = static_cast<int>(pick(rng, {1, 3, 16, 64}));
  a.sram_port_bytes_per_cycle = pick(rng, {0.0, 0.0, 0.0, 0.5, 2.0, 5.0, 64.0});  // 0: unlimited
  // An output stage fusing a random set of post-ops, each with its pipeline registers.
  a.output_stage.fused = 0;
  for (LayerType t : {LayerType::Requantize, LayerType::Relu, LayerType::Sign, LayerType::ScaleBias, LayerType::PRelu,
                      LayerType::BiasShift})
    if (rng() % 3) {
      a.output_stage.fused |= 1u << static_cast<int>(t);
      a.output_stage.latency[static_cast<size_t>(t)] = pick(rng, {0, 0, 1, 3});
    }
  a.output_stage.gemm_latency = pick(rng, {0, 0, 1, 2});
  a.schedule = rng() & 1 ? FoldSchedule::Overlapped : FoldSchedule::NoOverlap;
  a.output_stage.beside = rng() & 1;  // unfused post-ops: vector unit beside the array, or in turns
  return a;
}

ActPrecision random_act(std::mt19937_64& rng) {
  return ActPrecision{static_cast<int>(range(rng, 1, 8)), (rng() & 1) != 0};
}

WeightPrecision random_weights(std::mt19937_64& rng) {
  if (rng() % 3 == 0) return WeightPrecision::sign_magnitude(static_cast<uint8_t>(range(rng, 1, 255)));
  return WeightPrecision::twos(static_cast<int>(range(rng, 1, 8)));
}

/// A small network: conv (+ fused post-op), optionally a residual add and a pool, an fc.
Network random_network(std::mt19937_64& rng) {
  Network n;
  n.name = "random";
  n.file = "random-net";
  n.batch = range(rng, 1, 2);
  n.inputs.push_back({"x", {range(rng, 1, 6), range(rng, 2, 9), range(rng, 2, 9)}, random_act(rng)});
  Layer c;
  c.name = "conv";
  c.type = LayerType::Conv2d;
  c.kernel_h = c.kernel_w = pick<int64_t>(rng, {1, 3});
  c.padding = c.kernel_h / 2;
  c.stride = range(rng, 1, 2);
  c.groups = (rng() % 4 == 0) ? n.inputs[0].shape.c : 1;
  c.out_channels = c.groups > 1 ? c.groups : range(rng, 1, 12);
  c.weights = random_weights(rng);
  c.output = random_act(rng);
  n.layers.push_back(c);
  for (int64_t k = 0, posts = pick<int64_t>(rng, {0, 0, 1, 2, 3}); k < posts; ++k) {  // a chain of post-ops
    Layer r;
    r.name = "post" + std::to_string(k);
    r.type = pick(rng, {LayerType::Relu, LayerType::Sign, LayerType::Requantize, LayerType::ScaleBias, LayerType::PRelu,
                        LayerType::BiasShift});
    r.output = random_act(rng);
    n.layers.push_back(r);
  }
  const std::string main = n.layers.back().name;
  if (rng() % 3 == 0) {  // a residual branch: a 1x1 conv on the same input, then an add
    Layer s = c;
    s.name = "shortcut";
    s.kernel_h = s.kernel_w = 1;
    s.padding = 0;
    s.groups = 1;
    s.inputs = {"x"};
    n.layers.push_back(s);
    Layer add;
    add.name = "add";
    add.type = LayerType::Add;
    add.inputs = {main, "shortcut"};
    add.output = random_act(rng);
    n.layers.push_back(add);
  }
  if (rng() % 3 == 0) {
    Layer p;
    p.name = "pool";
    p.type = rng() & 1 ? LayerType::MaxPool : LayerType::AvgPool;
    p.global = rng() & 1;
    p.kernel_h = p.kernel_w = 1;
    p.output = random_act(rng);
    n.layers.push_back(p);
  }
  if (rng() & 1) {
    Layer f;
    f.name = "fc";
    f.type = LayerType::FullyConnected;
    f.out_features = range(rng, 1, 11);
    f.weights = random_weights(rng);
    f.output = random_act(rng);
    n.layers.push_back(f);
  }
  return n;
}

/// Everything that varies between cases, for a failure message that lets the case be rebuilt.
std::string describe(const ArchConfig& a, const Network& n) {
  std::string s = a.summary() + ", buffers " + std::to_string(a.ifmap_kib) + "/" + std::to_string(a.filter_kib) + "/" +
                  std::to_string(a.ofmap_kib) + " KiB, DRAM " +
                  (a.dram_unlimited ? std::string("unlimited") : std::to_string(a.dram_bytes_per_cycle) + " B/cycle") +
                  " latency " + std::to_string(a.dram_latency_cycles) + ", SRAM ports " +
                  std::to_string(a.sram_port_bytes_per_cycle) + " B/cycle, vector lanes " +
                  std::to_string(a.vector_lanes) + " " + arch_to_json(a)["vector_unit"]["schedule"].get<std::string>() +
                  ", schedule " + schedule_name(a.schedule) + ", output stage " +
                  arch_to_json(a)["output_stage"].dump() + "; batch " + std::to_string(n.batch) + " input " +
                  std::to_string(n.inputs[0].shape.c) + "x" + std::to_string(n.inputs[0].shape.h) + "x" +
                  std::to_string(n.inputs[0].shape.w) + " " + n.inputs[0].precision.str() + ";";
  for (const auto& l : n.layers) {
    s += " " + l.name + "(" + layer_type_info(l.type).name + " -> " + l.output.str();
    if (l.type == LayerType::Conv2d)
      s += " k" + std::to_string(l.kernel_h) + " s" + std::to_string(l.stride) + " p" + std::to_string(l.padding) +
           " g" + std::to_string(l.groups) + " out " + std::to_string(l.out_channels) + " " + l.weights.str();
    if (l.type == LayerType::FullyConnected) s += " out " + std::to_string(l.out_features) + " " + l.weights.str();
    if (l.type == LayerType::MaxPool || l.type == LayerType::AvgPool) s += l.global ? " global" : " k1";
    s += ")";
  }
  return s;
}

TEST(CrossCheck, AnalyticEqualsSystemCOnTwoThousandRandomCases) {
  std::mt19937_64 rng(20261127);
  int checked = 0, never_fit = 0;
  // ... and layers whose post-ops ran beside the array, adds among them
  uint64_t with_stalls = 0, with_posts = 0, with_operands = 0;
  while (checked < 2000) {
    const ArchConfig arch = random_arch(rng);
    const Network net = random_network(rng);
    RunOptions opt;
    opt.verify = true;
    opt.seed = rng();
    CrossCheck c;
    try {
      c = crosscheck(arch, lower_for(net, arch), opt);
    } catch (const std::exception& e) {  // a model error (std::logic_error) fails with the case that caused it
      if (!dynamic_cast<const InputError*>(&e))
        FAIL() << e.what() << " in case " << checked << " (seed " << opt.seed << "): " << describe(arch, net);
      const InputError& ie = static_cast<const InputError&>(e);
      // Tiny buffers can leave a tile that never fits: a clear error, and not a case to compare.
      ASSERT_NE(std::string(ie.what()).find("never fit"), std::string::npos) << ie.what();
      ++never_fit;
      continue;
    }
    ASSERT_TRUE(c.equal()) << "case " << checked << ": " << c.differences.front() << "; " << describe(arch, net);
    ASSERT_TRUE(c.systemc.verified);
    with_stalls += c.analytic.stall_cycles() > 0;
    for (const auto& l : c.analytic.layers) {
      with_posts += l.timing.beside > 0;
      with_operands += l.timing.beside > 0 && !l.op.beside_operands.empty();
    }
    ++checked;
  }
  // The corpus must exercise stalls and the never-fits refusal, or it proves little.
  EXPECT_GT(with_stalls, 500u);
  EXPECT_GT(with_posts, 200u);
  EXPECT_GT(with_operands, 50u);
  EXPECT_GT(never_fit, 0);
  RecordProperty("cases_with_stalls", static_cast<int>(with_stalls));
  RecordProperty("never_fit", never_fit);
  RecordProperty("layers_with_posts_beside", static_cast<int>(with_posts));
  RecordProperty("layers_with_adds_beside", static_cast<int>(with_operands));
}

}  // namespace
}  // namespace bitsys
