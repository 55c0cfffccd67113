// The rtl fidelity (the SystemC system around the verilated array) against the systemc fidelity
// (the same system around the C++ grid): ResNet-20 on an 8 x 8 array for each PE kind, and a
// small network in every dataflow at other sizes, small buffers and narrow ports — equal total
// cycles, per-layer compute, stalls and bytes, and every layer's output equal to the reference.
#include <gtest/gtest.h>

#include "sim/fidelity/fidelity.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "test_util.h"

namespace bitsys {
namespace {

ArchConfig arch(const char* kind, int rows, int cols, Dataflow df, double kib) {
  ArchConfig a;
  a.name = a.file = std::string(kind) + ".json";
  a.rows = rows;
  a.cols = cols;
  a.dataflow = df;
  a.pe = find_pe_kind(kind);
  a.lanes = a.pe->default_lanes();
  a.ifmap_kib = a.filter_kib = a.ofmap_kib = kib;
  a.dram_bytes_per_cycle = 4;
  a.dram_latency_cycles = 20;
  a.vector_lanes = 8;
  return a;
}

void expect_same_run(const ArchConfig& a, const LoweredNetwork& net) {
  RunOptions o;
  o.verify = true;
  o.seed = 3;
  const NetworkTiming sc = find_fidelity("systemc")->run(a, net, o);
  const NetworkTiming rtl = find_fidelity("rtl")->run(a, net, o);
  EXPECT_TRUE(sc.verified) << sc.mismatch;
  EXPECT_TRUE(rtl.verified) << rtl.mismatch;
  EXPECT_EQ(rtl.total_cycles, sc.total_cycles);
  EXPECT_EQ(rtl.dram_read, sc.dram_read);
  EXPECT_EQ(rtl.dram_written, sc.dram_written);
  ASSERT_EQ(rtl.ops.size(), sc.ops.size());
  for (size_t i = 0; i < sc.ops.size(); ++i) {
    SCOPED_TRACE(net.ops[i].name);
    EXPECT_EQ(rtl.ops[i].compute, sc.ops[i].compute);
    EXPECT_EQ(rtl.ops[i].stall, sc.ops[i].stall);
    EXPECT_EQ(rtl.ops[i].stall_by, sc.ops[i].stall_by);
    EXPECT_EQ(rtl.ops[i].dram_bytes(), sc.ops[i].dram_bytes());
  }
  EXPECT_GT(sc.total_cycles, 0u);
}

TEST(RtlFidelity, ResNet20OnAn8x8ArrayEqualsSystemCForEveryKind) {
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/resnet20-int8.json"));
  for (const char* kind : {"int8", "binary", "bitserial"}) {
    SCOPED_TRACE(kind);
    expect_same_run(arch(kind, 8, 8, Dataflow::WS, 64), net);
  }
}

// Every dataflow, arrays from 2 x 2 to the RTL's full 16 x 16 and non-square, buffers small
// enough that layers split into T-tiles and stream, and every kind.
TEST(RtlFidelity, EveryDataflowAndSizeEqualsSystemC) {
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/tiny-cnn.json"));
  const struct {
    int rows, cols;
    Dataflow df;
    double kib;
  } cases[] = {{2, 2, Dataflow::OS, 1},    {5, 3, Dataflow::WS, 1},   {3, 7, Dataflow::IS, 1},
               {16, 16, Dataflow::WS, 64}, {16, 16, Dataflow::OS, 2}, {16, 9, Dataflow::IS, 2}};
  for (const char* kind : {"int8", "binary", "bitserial"})
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(kind) + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " +
                   dataflow_info(c.df).name);
      expect_same_run(arch(kind, c.rows, c.cols, c.df, c.kib), net);
    }
}

// The overlapped schedule through the whole system: the RTL's shadow and output registers with
// the controller starting folds early, T-tiles in small buffers, the vector unit beside the array
// in half the cases; every dataflow and kind.
TEST(RtlFidelity, OverlappedScheduleEqualsSystemC) {
  const Network tiny = load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/tiny-cnn.json");
  const LoweredNetwork net = lower(tiny);
  const struct {
    int rows, cols;
    Dataflow df;
    double kib;
    bool beside;
  } cases[] = {{2, 2, Dataflow::OS, 1, false},    {5, 3, Dataflow::WS, 1, true}, {3, 7, Dataflow::IS, 1, false},
               {16, 16, Dataflow::WS, 64, false}, {8, 6, Dataflow::OS, 2, true}, {16, 9, Dataflow::IS, 2, true}};
  for (const char* kind : {"int8", "binary", "bitserial"})
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(kind) + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " +
                   dataflow_info(c.df).name + (c.beside ? " beside" : " turns"));
      ArchConfig a = arch(kind, c.rows, c.cols, c.df, c.kib);
      a.schedule = FoldSchedule::Overlapped;
      a.output_stage.beside = c.beside;
      expect_same_run(a, c.beside ? lower(tiny, a.output_stage) : net);
    }
}

TEST(RtlFidelity, AnArrayLargerThanTheRtlIsAClearError) {
  const LoweredNetwork net = lower(load_workload(std::string(BITSYS_SOURCE_DIR) + "/workloads/tiny-cnn.json"));
  try {
    find_fidelity("rtl")->run(arch("int8", 17, 8, Dataflow::WS, 64), net, RunOptions{});
    FAIL() << "a 17-row array ran";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("int8.json: field 'rows': the rtl fidelity's array has 2..16 rows, not 17"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

TEST(RtlFidelity, CrosscheckComparesAllThreeLevelsWhenAsked) {
  test::TempFile arch("bin-8x8.json", R"({"name": "bin-8x8", "rows": 8, "cols": 8, "dataflow": "is",
    "pe": {"kind": "binary"}, "buffers": {"ifmap_kib": 4, "filter_kib": 4, "ofmap_kib": 4}})");
  std::string out;
  EXPECT_EQ(test::run_bitsys("crosscheck --arch " + arch.path() + " --workload " + std::string(BITSYS_SOURCE_DIR) +
                                 "/workloads/tiny-cnn.json --rtl",
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("  rtl "), std::string::npos) << out;
  EXPECT_NE(out.find("RTL outputs equal the whole-network reference"), std::string::npos) << out;
  EXPECT_NE(out.find("EQUAL: every layer's compute, stall and DRAM bytes agree"), std::string::npos) << out;
}

}  // namespace
}  // namespace bitsys
