// `bitsys run` and `bitsys compare` end to end: the table, JSON and CSV report the same numbers,
// and the SystemC fidelity reports the analytic model's cycles.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/report/table.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kSrc = BITSYS_SOURCE_DIR;

TEST(CliRun, TableJsonAndCsvAgreeAndFidelitiesMatch) {
  const std::string dir = test::TempFile::dir();
  const std::string args = "run --arch " + kSrc + "/configs/binary-32x32.json --workload " + kSrc +
                           "/workloads/resnet20-int8.json --baseline " + kSrc + "/configs/int8-32x32.json";
  std::string table;
  ASSERT_EQ(test::run_bitsys(args + " --json " + dir + "/a.json --csv " + dir + "/a.csv", &table), 0) << table;
  ASSERT_EQ(test::run_bitsys(args + " --fidelity systemc --verify --json " + dir + "/s.json -q"), 0);
  const auto a = nlohmann::json::parse(test::slurp(dir + "/a.json"));
  const auto s = nlohmann::json::parse(test::slurp(dir + "/s.json"));
  EXPECT_EQ(a["fidelity"], "analytic");
  EXPECT_EQ(s["fidelity"], "systemc");
  EXPECT_TRUE(s["verified"].get<bool>());
  EXPECT_EQ(a["total_cycles"], s["total_cycles"]);
  EXPECT_EQ(a["baseline"]["total_cycles"], s["baseline"]["total_cycles"]);
  const uint64_t cycles = a["total_cycles"];
  EXPECT_GT(cycles, 0u);
  uint64_t sum = 0;
  for (const auto& l : a["layers"])
    if (l.contains("cycles")) sum += l["cycles"].get<uint64_t>();
  EXPECT_EQ(sum, cycles);
  EXPECT_NE(table.find(with_commas(cycles) + " cycles"), std::string::npos) << table;
  // ResNet-20 is 8-bit: the binary array is never faster than int8 on it, and slower where K
  // is not a multiple of its 64 lanes (conv1's K = 27 still takes 64 plane-pair beats).
  EXPECT_LT(a["speedup"].get<double>(), 1.0);
  EXPECT_GT(a["speedup"].get<double>(), 0.8);
  const std::string csv = test::slurp(dir + "/a.csv");
  const auto total = csv.substr(csv.find("TOTAL"));
  EXPECT_NE(total.find("," + std::to_string(cycles) + ","), std::string::npos) << total;
}

TEST(CliRun, ComparePlanPrintsEveryCaseWithSpeedups) {
  const std::string dir = test::TempFile::dir();
  std::string out;
  ASSERT_EQ(test::run_bitsys("compare --plan " + kSrc + "/workloads/plans/quickstart.json --json " + dir +
                                 "/c.json --csv " + dir + "/c.csv",
                             &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(test::slurp(dir + "/c.json"));
  ASSERT_EQ(j.size(), 6u);
  EXPECT_EQ(j[0]["workload"], "resnet18-int8");
  EXPECT_EQ(j[1]["baseline_label"], "ResNet-18 int8 / int8");
  EXPECT_GT(j[1]["speedup"].get<double>(), 1.0);  // a binary network on binary PEs beats 8-bit
  EXPECT_EQ(j[4]["speedup"].get<double>(), 1.0);  // an 8-bit network gains nothing from bit-serial PEs
  for (const auto& c : j) EXPECT_NE(out.find(c["label"].get<std::string>()), std::string::npos);
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

TEST(CliRun, ScaleSimReportHasScaleSimLayoutAndPaperCycles) {
  const std::string dir = test::TempFile::dir();
  const std::string shared = BITSYS_SHARED_DIR;
  std::string out;
  ASSERT_EQ(
      test::run_bitsys("run -q --arch " + shared + "/scalesim/configs/scale.cfg --workload " + shared +
                           "/scalesim/topologies/Resnet18.csv --scalesim-report " + dir + " --json " + dir + "/ss.json",
                       &out),
      0)
      << out;
  const std::string report = test::slurp(dir + "/COMPUTE_REPORT.csv");
  std::istringstream lines(report);
  std::string header, first;
  std::getline(lines, header);
  EXPECT_EQ(header, "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,");
  std::getline(lines, first);
  // Conv1 on 32x32 OS: M = 109*109 = 11881, N = 64, T = K = 147: ceil(11881/32) * 2 folds of
  // 2*32 + 32 + 147 - 2 cycles each, no stall (InterfaceBandwidth CALC). Utilization:
  // 11881*147*64 MACs / (179304 cycles * 1024 PEs) = 60.8780 %; mapping efficiency:
  // 11881*64 mapped / (744 folds * 1024 PEs) = 99.8068 %.
  EXPECT_EQ(first, "0, " + std::to_string(372 * 2 * (64 + 32 + 147 - 2)) + ", 0, 60.8780, 99.8068, 60.8780,");
  const auto j = nlohmann::json::parse(test::slurp(dir + "/ss.json"));
  size_t rows = 0;
  for (std::string l; std::getline(lines, l);) rows += !l.empty();
  EXPECT_EQ(rows + 1, j["layers"].size());
  EXPECT_EQ(j["stall_cycles"], 0);
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

TEST(CliRun, CrosscheckCommandReportsEquality) {
  std::string out;
  ASSERT_EQ(test::run_bitsys("crosscheck --arch " + kSrc + "/configs/bitserial-32x32.json --workload " + kSrc +
                                 "/workloads/resnet20-int8.json",
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("EQUAL"), std::string::npos) << out;
  EXPECT_NE(out.find("SystemC outputs equal the whole-network reference"), std::string::npos) << out;
}

TEST(CliRun, VerifyNeedsAFidelityThatComputesValues) {
  std::string out;
  EXPECT_EQ(test::run_bitsys("run --arch " + kSrc + "/configs/int8-32x32.json --workload " + kSrc +
                                 "/workloads/resnet20-int8.json --verify",
                             &out),
            2);
  EXPECT_NE(out.find("--verify"), std::string::npos) << out;
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

TEST(CliRun, VcdTracesEveryPeAndRefusesHugeTraces) {
  const std::string dir = test::TempFile::dir();
  test::TempFile net("tiny.json",
                     R"({"name": "tiny", "inputs": [{"name": "x", "shape": [4, 6, 6], "bits": 8}], "layers": [
      {"name": "c1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1}, {"name": "p", "type": "maxpool", "kernel": 2}]})");
  test::TempFile arch("a4.json", R"({"name": "a4", "rows": 4, "cols": 3, "dataflow": "ws", "pe": {"kind": "int8"},
      "dram": {"bandwidth_bytes_per_cycle": 4, "latency_cycles": 10}})");
  std::string out;
  std::string err;
  ASSERT_EQ(test::run_bitsys("run -q --fidelity systemc --arch " + arch.path() + " --workload " + net.path() +
                                 " --vcd " + dir + "/w.vcd",
                             &out, &err),
            0)
      << out << err;
  EXPECT_EQ(out.find("Info:"), std::string::npos) << "SystemC reports stay off stdout: " << out;
  const std::string vcd = test::slurp(dir + "/w.vcd");
  EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
  // Dotted names become VCD scopes: array > pe_3_2 > acc, dram > busy, controller > tile.
  for (const char* v : {"module array", "module pe_0_0", "module pe_3_2", " acc ", " w_bits ", "module dram", " busy ",
                        " transfer_bytes ", "module controller", " waiting_for_data "})
    EXPECT_NE(vcd.find(v), std::string::npos) << v;
  EXPECT_EQ(test::run_bitsys("run -q --fidelity systemc --arch " + kSrc + "/configs/int8-32x32.json --workload " +
                                 kSrc + "/workloads/resnet18-int8.json --vcd " + dir + "/big.vcd",
                             &out),
            2);
  EXPECT_NE(out.find("--vcd-max-mb 200"), std::string::npos) << out;
  EXPECT_EQ(test::slurp(dir + "/big.vcd"), "");
  EXPECT_EQ(
      test::run_bitsys("run -q --arch " + arch.path() + " --workload " + net.path() + " --vcd " + dir + "/x.vcd", &out),
      2);  // analytic: no waveform
}

}  // namespace
}  // namespace bitsys
