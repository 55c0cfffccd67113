// SCALE-Sim's own files (../shared/scalesim, unchanged with their quirks) are read as SCALE-Sim
// means them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/ir/arch_config.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

const std::string kScaleSim = std::string(BITSYS_SHARED_DIR) + "/scalesim/";

class ScaleSimFormats : public ::testing::Test {
 protected:
  void SetUp() override {
    struct stat st {};
    ASSERT_EQ(stat(kScaleSim.c_str(), &st), 0)
        << kScaleSim << " is missing: the SCALE-Sim reference files live in ../shared beside the project";
  }
};

TEST_F(ScaleSimFormats, ConfigsReadWithScaleSimMeaning) {
  const ArchConfig scale = load_arch(kScaleSim + "configs/scale.cfg");
  EXPECT_EQ(scale.psum_policy, PsumPolicy::Unbounded);  // SCALE-Sim never splits folds for partial sums
  EXPECT_EQ(scale.name, "scale_example_run_32x32_os");
  EXPECT_EQ(scale.rows, 32);
  EXPECT_EQ(scale.cols, 32);
  EXPECT_EQ(scale.dataflow, Dataflow::OS);
  EXPECT_EQ(scale.pe->name(), "int8");  // one word = one byte
  EXPECT_EQ(scale.ifmap_kib, 64);
  EXPECT_TRUE(scale.dram_unlimited);  // CALC: no bandwidth stalls
  const ArchConfig google = load_arch(kScaleSim + "configs/google.cfg");
  EXPECT_EQ(google.rows, 256);
  EXPECT_EQ(google.dataflow, Dataflow::WS);
  EXPECT_EQ(google.filter_kib, 6144);
  const ArchConfig eyeriss = load_arch(kScaleSim + "configs/eyeriss.cfg");
  EXPECT_EQ(eyeriss.rows, 12);
  EXPECT_EQ(eyeriss.cols, 14);
}

TEST_F(ScaleSimFormats, EveryTopologyLoads) {
  for (const char* f : {"Resnet18.csv", "Resnet50.csv", "alexnet.csv", "gpt2.csv", "mobilenet.csv",
                        "test_mnk_input.csv", "yolo_tiny.csv"}) {
    SCOPED_TRACE(f);
    const LoweredNetwork n = lower(load_workload(kScaleSim + "topologies/" + f));
    EXPECT_GT(n.ops.size(), 0u);
    EXPECT_GT(n.total_macs, 0u);
  }
}

TEST_F(ScaleSimFormats, ConvRowsAreUnpaddedConvs) {
  const LoweredNetwork n = lower(load_workload(kScaleSim + "topologies/Resnet18.csv"));
  const LoweredOp& c1 = n.ops.front();
  EXPECT_EQ(c1.name, "Conv1");
  // 224x224 taken as already padded: ceil((224 - 7 + 2) / 2) = 109.
  EXPECT_EQ(c1.out_shape.h, 109);
  EXPECT_EQ(c1.gemm.M, 109 * 109);
  EXPECT_EQ(c1.gemm.K, 7 * 7 * 3);
  EXPECT_EQ(c1.gemm.N, 64);
  EXPECT_EQ(c1.act.bits, 8);
  EXPECT_EQ(c1.weights.bits, 8);
}

TEST_F(ScaleSimFormats, GemmRowsKeepMNK) {
  const LoweredNetwork n = lower(load_workload(kScaleSim + "topologies/test_mnk_input.csv"));
  ASSERT_EQ(n.ops.size(), 1u);
  EXPECT_EQ(n.ops[0].name, "Test 1");
  EXPECT_EQ(n.ops[0].gemm.M, 128);
  EXPECT_EQ(n.ops[0].gemm.N, 64);
  EXPECT_EQ(n.ops[0].gemm.K, 256);
}

TEST_F(ScaleSimFormats, ExtraColumnsAndBlankRowsAreSkipped) {
  // Resnet50.csv has three extra columns and a row of commas under its header.
  const LoweredNetwork n = lower(load_workload(kScaleSim + "topologies/Resnet50.csv"));
  EXPECT_EQ(n.ops.front().name, "Conv1");
  EXPECT_EQ(n.ops.front().gemm.N, 64);
}

}  // namespace
}  // namespace bitsys
