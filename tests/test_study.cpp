// The study: it runs every network of the plan, its report shows exactly the JSON's numbers,
// the plots are drawn, and a bad plan is refused before anything runs.
#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/report/table.h"
#include "app/study/study.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kSrc = BITSYS_SOURCE_DIR;

TEST(Study, EveryWorkloadFileLoadsAndLowers) {
  DIR* d = opendir((kSrc + "/workloads").c_str());
  ASSERT_NE(d, nullptr);
  int n = 0;
  while (dirent* e = readdir(d)) {
    const std::string f = e->d_name;
    if (f.size() < 5 || f.substr(f.size() - 5) != ".json") continue;
    SCOPED_TRACE(f);
    const LoweredNetwork net = lower(load_workload(kSrc + "/workloads/" + f));
    EXPECT_GT(net.total_macs, 0u);
    EXPECT_FALSE(load_workload(kSrc + "/workloads/" + f).source.empty()) << "every network names its source";
    ++n;
  }
  closedir(d);
  EXPECT_GE(n, 23);
}

TEST(Study, ReportShowsTheJsonNumbersAndPlotsAreDrawn) {
  // An output folder with a space and an apostrophe: bitsys starts Python with an argument vector.
  const std::string out = test::TempFile::dir() + "/it's a study";
  std::string log;
  ASSERT_EQ(test::run_bitsys(std::vector<std::string>{"study", "-q", "--out", out}, &log), 0) << log;
  const auto j = nlohmann::json::parse(test::slurp(out + "/study.json"));
  const std::string report = test::slurp(out + "/report.md");
  ASSERT_GE(j["cases"].size(), 30u);
  for (const auto& c : j["cases"]) {
    EXPECT_NE(report.find("| " + c["label"].get<std::string>() + " | "), std::string::npos) << c["label"];
    EXPECT_NE(report.find(" | " + std::to_string(c["total_cycles"].get<uint64_t>()) + " | "), std::string::npos)
        << c["key"];
    char speed[32];
    std::snprintf(speed, sizeof speed, "| %.2fx |", c["speedup"].get<double>());
    EXPECT_NE(report.find(speed), std::string::npos) << c["key"] << " " << speed;
    struct stat st {};
    EXPECT_EQ(stat((out + "/" + c["plot"].get<std::string>()).c_str(), &st), 0) << c["plot"];
  }
  ASSERT_EQ(j["claims"].size(), 8u);
  for (const auto& cl : j["claims"]) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "| %.2fx | %s |", cl["bitsys"].get<double>(),
                  cl["verdict"].get<std::string>().c_str());
    EXPECT_NE(report.find(ratio), std::string::npos) << cl["claim"] << " " << ratio;
  }
  for (const char* png : {"speedup_by_task.png", "csq_speedup.png"}) {
    struct stat st {};
    ASSERT_EQ(stat((out + "/" + png).c_str(), &st), 0) << png;
    EXPECT_GT(st.st_size, 10000) << png;
  }
  EXPECT_GE(j["sensitivity"].size(), 7u);
  const std::string csv = test::slurp(out + "/study.csv");
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')), j["cases"].size() + 1);
}

// A plan with other networks, claims, tolerance and assumptions renders its own report: nothing
// of the BNN/CSQ study is written into the code.
TEST(Study, ASecondPlanRendersItsOwnReportWithNoCodeChange) {
  const std::string out = test::TempFile::dir() + "/second";
  std::string log;
  ASSERT_EQ(test::run_bitsys("study -q --plan " + kSrc + "/tests/data/study-second.json --out " + out, &log), 0) << log;
  const auto j = nlohmann::json::parse(test::slurp(out + "/study.json"));
  const std::string report = test::slurp(out + "/report.md");
  EXPECT_EQ(j["study"], "second-study");
  EXPECT_EQ(j["plan"], "tests/data/study-second.json") << "paths relative to the project";
  ASSERT_EQ(j["cases"].size(), 2u);
  ASSERT_EQ(j["claims"].size(), 1u);
  const auto& cl = j["claims"][0];
  EXPECT_EQ(cl["tolerance"].get<double>(), 0.05);
  const double ratio = cl["bitsys"].get<double>();
  // The verdict follows the plan's 5 % tolerance around [1.5, 2.0].
  const std::string verdict = ratio < 1.5 / 1.05   ? "below the paper"
                              : ratio > 2.0 * 1.05 ? "above the paper"
                                                   : "agrees";
  EXPECT_EQ(cl["verdict"], verdict);
  // The ratio is the baseline's cycles over the faster case's.
  EXPECT_DOUBLE_EQ(ratio, j["cases"][0]["total_cycles"].get<double>() / j["cases"][1]["total_cycles"].get<double>());
  char row[96];
  std::snprintf(row, sizeof row, "| two-bit weights vs eight-bit | 1.5-2x | %.2fx | %s |", ratio, verdict.c_str());
  EXPECT_NE(report.find(row), std::string::npos) << row << "\n" << report;
  for (const char* text :
       {"How ResNet-20 with 2-bit CSQ weights", "Fixture note: the figure is made up.", "- **Clock**: every array runs",
        "within 5 % of the claimed figure", "DRAM bandwidth (16 B/cycle): x0.25 / x4",
        "No claim moves by 0.01x or more when these change: clock.", "(`workloads/resnet20-int8.json`)"})
    EXPECT_NE(report.find(text), std::string::npos) << text << "\n" << report;
  for (const char* absent : {"BiNeal", "ReActNet", "PE lanes", "/../", BITSYS_SOURCE_DIR})
    EXPECT_EQ(report.find(absent), std::string::npos) << absent;
  // The sensitivity moves the ratio with DRAM bandwidth and never with the clock, which changes no cycle count.
  ASSERT_EQ(j["sensitivity"].size(), 2u);
  EXPECT_EQ(j["sensitivity"][1]["variants"][0]["ratios"][0].get<double>(), ratio);
  struct stat st {};
  EXPECT_EQ(stat((out + "/speedup_by_task.png").c_str(), &st), 0);
}

TEST(Study, BinaryNetworksBeatTheirEightBitBaselineAndCsqGainsFromFewerBits) {
  RunOptions opt;
  const StudyResult r = run_study(load_study_plan(kSrc + "/workloads/plans/study.json"), opt);
  for (const auto& c : r.cases) {
    if (c.baseline) {
      EXPECT_DOUBLE_EQ(c.speedup, 1.0) << c.key;
    }
  }
  EXPECT_GT(r.find("BiNeal-18 1x@binary")->speedup, 3.0);
  // CSQ on bit-serial PEs: fewer kept planes, fewer cycles.
  for (const char* net : {"ResNet-18", "ResNet-20"}) {
    const std::string p = std::string("CSQ ") + net + " w";
    EXPECT_GT(r.find(p + "2a4@bitserial")->speedup, r.find(p + "3a4@bitserial")->speedup) << net;
    EXPECT_GT(r.find(p + "3a4@bitserial")->speedup, r.find(p + "4a4@bitserial")->speedup) << net;
  }
  // The alternative BNNs' real-valued work shows up as vector-unit cycles BiNeal does not spend.
  EXPECT_GT(r.find("ReActNet-A@binary")->run.vector_cycles(), 5 * r.find("BiNeal-18 1.5x@binary")->run.vector_cycles());
}

TEST(Study, BadPlansAreRefusedWithOneLine) {
  auto bad = [](const std::string& text, std::initializer_list<std::string> fragments) {
    test::TempFile f("plan.json", text);
    test::expect_input_error([&] { load_study_plan(f.path()); }, fragments);
  };
  const std::string archs = R"("architectures": {"int8": ")" + kSrc + R"(/configs/int8-32x32.json"})";
  const std::string net = R"({"label": "R", "task": "t", "workload": ")" + kSrc +
                          R"(/workloads/resnet20-int8.json", "baseline": true, "archs": ["int8"]})";
  bad(R"({"name": "s", )" + archs +
          R"(, "networks": [{"label": "R", "task": "t", "workload": "x.json", "archs": ["tpu"]}]})",
      {"network #0", "'archs'", "tpu"});
  bad(R"({"name": "s", )" + archs +
          R"(, "networks": [{"label": "R", "task": "t", "workload": "x.json", "archs": ["int8"]}]})",
      {"task 't' has no baseline"});
  bad(R"({"name": "s", )" + archs + R"(, "networks": [)" + net +
          R"(], "claims": [{"claim": "c", "slower": "R@int8", "faster": "Q@int8", "paper": [2, 3]}]})",
      {"claim #0", "'faster'", "Q@int8"});
  bad(R"({"name": "s", )" + archs + R"(, "networks": [)" + net +
          R"(], "claims": [{"claim": "c", "slower": "R@int8", "faster": "R@int8", "paper": [3, 2]}]})",
      {"'paper'", "low <= high"});
  const std::string base = R"({"name": "s", )" + archs + R"(, "networks": [)" + net + R"(], "sensitivity": [)";
  bad(base + R"({"assumption": "a", "field": "pe.lanez", "factors": [2]}]})",
      {"sensitivity #0", "'field'", "pe.lanez"});
  bad(base + R"({"assumption": "a", "field": "pe.kind", "factors": [2]}]})",
      {"sensitivity #0", "'field'", "not a numeric"});
  bad(base + R"({"assumption": "a", "field": "rows", "factors": [0]}]})", {"sensitivity #0", "'factors'", "> 0"});
  bad(base + R"({"assumption": "a", "field": "rows", "factors": [2], "where": "pe.kind = 'x'"}]})",
      {"sensitivity #0", "'where'"});
  bad(base + R"({"assumption": "a", "fuse": ["relu6"]}]})", {"sensitivity #0", "'fuse'", "relu6"});
}

}  // namespace
}  // namespace bitsys
