// SCALE-Sim's own files (../shared/scalesim, unchanged with their quirks) are read as SCALE-Sim
// means them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
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

namespace bitsys {
namespace {

/// SCALE-Sim v2's Total Cycles for one topology row in CALC mode, derived from its code
/// (topology_utils.topo_calc_hyperparams, systolic_compute_{os,ws,is}.py, the memory system's
/// last serviced cycle): E = ceil((H - F + S) / S) per axis, no padding (topology IFMAPs are
/// padded already); P = Eh * Ew, K = Fh * Fw * C; (Sr, Sc, T) = OS (P, N, K), WS (K, N, P), IS (K, P,
/// N); folds = ceil(Sr/R) * ceil(Sc/C), each R + C + T - 2 rows (OS) or 2R + C + T - 2 (WS, IS),
/// edge folds padded to full size; total = folds * rows - 1.
/// Conv1 by hand (224x224, 7x7, 3 -> 64, stride 2, 32x32): E = ceil(219/2) = 110, P = 12,100,
/// K = 147. OS: 379 * 2 = 758 folds of 32 + 32 + 147 - 2 = 209 -> 158,421. WS: 5 * 2 = 10 folds
/// of 64 + 32 + 12,100 - 2 = 12,194 -> 121,939. IS: 5 * 379 = 1,895 folds of 64 + 32 + 64 - 2 = 158
/// -> 299,409.
int64_t scalesim_total(Dataflow df, int64_t R, int64_t C, const std::vector<int64_t>& row) {
  const int64_t H = row[0], W = row[1], Fh = row[2], Fw = row[3], Ch = row[4], N = row[5], S = row[6];
  const int64_t Eh = (H - Fh + S + S - 1) / S, Ew = (W - Fw + S + S - 1) / S;
  const int64_t P = Eh * Ew, K = Fh * Fw * Ch;
  const int64_t Sr = df == Dataflow::OS ? P : K, Sc = df == Dataflow::IS ? P : N,
                T = df == Dataflow::OS   ? K
                    : df == Dataflow::WS ? P
                                         : N;
  const int64_t folds = (Sr + R - 1) / R * ((Sc + C - 1) / C);
  const int64_t rows = (df == Dataflow::OS ? R : 2 * R) + C + T - 2;
  return folds * rows - 1;
}

TEST_F(ScaleSimFormats, ConventionsScaleSimReproducesV2ComputeReportTotalsForResNet18) {
  // The topology's rows, read here on their own (not through bitsys's reader).
  std::ifstream csv(kScaleSim + "topologies/Resnet18.csv");
  std::string line;
  std::getline(csv, line);  // header
  std::vector<std::vector<int64_t>> rows;
  while (std::getline(csv, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, ',');  // name
    std::vector<int64_t> v;
    while (std::getline(ss, cell, ',') && v.size() < 7) v.push_back(std::stoll(cell));
    if (v.size() == 7) rows.push_back(v);
  }
  ASSERT_EQ(rows.size(), 21u);
  EXPECT_EQ(scalesim_total(Dataflow::OS, 32, 32, rows[0]), 158421);  // the hand figures above
  EXPECT_EQ(scalesim_total(Dataflow::WS, 32, 32, rows[0]), 121939);
  EXPECT_EQ(scalesim_total(Dataflow::IS, 32, 32, rows[0]), 299409);
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS}) {
    ArchConfig a = load_arch(kScaleSim + "configs/scale.cfg");  // 32x32, CALC
    a.dataflow = df;
    a.conventions = Conventions::ScaleSim;
    const RunResult r = run_network(a, lower_for(load_workload(kScaleSim + "topologies/Resnet18.csv"), a), {});
    size_t i = 0;
    for (const auto& l : r.layers) {
      if (l.op.placement != OpPlacement::Array) continue;
      ASSERT_LT(i, rows.size());
      EXPECT_EQ(static_cast<int64_t>(l.timing.cycles()), scalesim_total(df, 32, 32, rows[i]))
          << dataflow_info(df).name << " layer " << l.op.name;
      EXPECT_EQ(l.timing.stall, 0u);
      ++i;
    }
    EXPECT_EQ(i, rows.size());
    // bitsys's own conventions give other numbers: Conv1's output is 109 x 109 there.
    a.conventions = Conventions::Bitsys;
    const LoweredNetwork own = lower_for(load_workload(kScaleSim + "topologies/Resnet18.csv"), a);
    EXPECT_EQ(own.ops[0].out_shape.h, 109);
    EXPECT_EQ(lower(load_workload(kScaleSim + "topologies/Resnet18.csv"), {}, Conventions::ScaleSim).ops[0].out_shape.h,
              110);
  }
}

TEST_F(ScaleSimFormats, ConventionsScaleSimAreRefusedWhereHardwareIsSimulated) {
  ArchConfig a = load_arch(kScaleSim + "configs/scale.cfg");
  a.conventions = Conventions::ScaleSim;
  RunOptions opt;
  opt.fidelity = "systemc";
  try {
    run_network(a, lower_for(load_workload(kScaleSim + "topologies/Resnet18.csv"), a), opt);
    FAIL() << "systemc ran SCALE-Sim's report arithmetic";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("conventions"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("analytic"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bitsys
