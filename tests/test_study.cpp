// The study: it runs every network of the plan, its report shows exactly the JSON's numbers,
// the plots are drawn, and a bad plan is refused before anything runs.
#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <array>
#include <cmath>
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
    // The plan's own ratio, then one per configuration ("realistic"), then the verdict.
    std::string ratio = strf("| %.2fx |", cl["bitsys"].get<double>());
    ASSERT_EQ(cl["configurations"].size(), 1u);
    for (const auto& [name, x] : cl["configurations"].items()) ratio += strf(" %.2fx |", x.get<double>());
    ratio += strf(" %.2fx | %.2fx |", cl["equal_area"].get<double>(), cl["energy"].get<double>());
    ratio += " " + cl["verdict"].get<std::string>() + " |";
    EXPECT_NE(report.find(ratio), std::string::npos) << cl["claim"] << " " << ratio;
  }
  for (const char* png : {"speedup_by_task.png", "csq_speedup.png", "energy_breakdown.png"}) {
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
  const std::string row = strf("| two-bit weights vs eight-bit | 1.5-2x | %.2fx | %.2fx | %.2fx | %s |", ratio,
                               cl["equal_area"].get<double>(), cl["energy"].get<double>(), verdict.c_str());
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

// The README explains each disagreement with the paper from per-layer numbers; these hold the
// explanations to what bitsys computes (README "The BNN and CSQ study").
TEST(Study, ReadmeExplanationsMatchTheNumbers) {
  RunOptions opt;
  const StudyResult r = run_study(load_study_plan(kSrc + "/workloads/plans/study.json"), opt);
  auto layer = [&](const std::string& key, const std::string& name) -> const LayerResult& {
    for (const auto& l : r.find(key)->run.layers)
      if (l.op.name == name) return l;
    ADD_FAILURE() << key << " has no layer " << name;
    return r.find(key)->run.layers.front();
  };
  auto share = [](uint64_t part, uint64_t whole) { return static_cast<double>(part) / static_cast<double>(whole); };
  // BiNeal 1.5x's 8-bit stem, 3 -> 96 channels, 7x7 stride 2 on 224x224, on the 32x32 binary WS array (64 lanes):
  // K = 147 pads to 3 chunks of 64, each 8x8 = 64 plane pairs: Kb = 192 beats on rows (6 row blocks); 96 filters
  // on columns (3 column blocks); T = 112 x 112 = 12,544 pixels, split so a column block's 32-bit partial sums fit
  // half the 64 KiB ofmap buffer: 32 KiB / (32 x 4 B) = 256 pixels, 49 T-tiles. 6 x 3 x 49 = 882 folds of
  // 2R + C + T - 2 = 64 + 32 + 256 - 2 = 350 cycles: 308,700.
  EXPECT_EQ(layer("BiNeal-18 1.5x@binary", "stem").timing.compute, 308700u);
  EXPECT_EQ(r.find("BiNeal-18 1.5x@binary")->run.total_cycles, 1022069u);
  // ReActNet-A's real-valued ops: 1.09 M vector-unit cycles, 3.7 M stalls, 81 MB of DRAM against BiNeal's 12.6 MB.
  const RunResult& reactnet = r.find("ReActNet-A@binary")->run;
  const RunResult& bineal = r.find("BiNeal-18 1.5x@binary")->run;
  EXPECT_NEAR(static_cast<double>(reactnet.vector_cycles()) / 1e6, 1.09, 0.005);
  EXPECT_NEAR(static_cast<double>(reactnet.stall_cycles()) / 1e6, 3.7, 0.05);
  EXPECT_NEAR(static_cast<double>(reactnet.dram_read + reactnet.dram_written) / 1e6, 81, 0.5);
  EXPECT_NEAR(static_cast<double>(bineal.dram_read + bineal.dram_written) / 1e6, 12.6, 0.05);
  // Segmentation: the 2x-wide stem 4.3 M, the x32 upsampling 1.25 M of 2.9 M vector cycles, 6.8 M stalls of 16.6 M.
  EXPECT_NEAR(static_cast<double>(layer("FCN BiNeal 2x@binary", "stem").timing.compute) / 1e6, 4.3, 0.05);
  EXPECT_NEAR(static_cast<double>(layer("FCN BiNeal 2x@binary", "upsample").timing.compute) / 1e6, 1.25, 0.005);
  EXPECT_NEAR(static_cast<double>(r.find("FCN BiNeal 2x@binary")->run.stall_cycles()) / 1e6, 6.8, 0.05);
  EXPECT_NEAR(static_cast<double>(r.find("FCN BiNeal 2x@binary")->run.total_cycles) / 1e6, 16.6, 0.05);
  // Matching: 94.5 M cycles for the 8-bit R2D2, 20 % of them stalls; 6.25 M for the BiNeal one, 57 % stalls.
  const RunResult& r2d2 = r.find("R2D2 8-bit@int8")->run;
  const RunResult& r2d2_bnn = r.find("R2D2 BiNeal@binary")->run;
  EXPECT_NEAR(100 * share(r2d2.stall_cycles(), r2d2.total_cycles), 20, 0.5);
  EXPECT_NEAR(static_cast<double>(r2d2.total_cycles) / 1e6, 94.5, 0.05);
  EXPECT_NEAR(static_cast<double>(r2d2_bnn.total_cycles) / 1e6, 6.25, 0.005);
  EXPECT_NEAR(100 * share(r2d2_bnn.stall_cycles(), r2d2_bnn.total_cycles), 57, 0.5);
  // Detection: the 8-bit head's convs take 7.2 M array cycles of the backbone variant's 21.6 M.
  uint64_t head = 0;
  for (const char* n : {"deconv0.conv", "deconv1.conv", "deconv2.conv", "heatmap.conv", "heatmap.out", "size.conv",
                        "size.out", "offset.conv", "offset.out"})
    head += layer("CenterNet BiNeal backbone@binary", n).timing.compute;
  EXPECT_NEAR(static_cast<double>(head) / 1e6, 7.2, 0.05);
  EXPECT_NEAR(static_cast<double>(r.find("CenterNet BiNeal backbone@binary")->run.total_cycles) / 1e6, 21.6, 0.05);
  // Which assumptions move which claim: overlapped folds alone, the fused output stage alone, the vector unit
  // beside the array alone, all three (the realistic configuration), on the three classification claims.
  auto variant = [&](const std::string& assumption) -> const std::vector<double>& {
    for (const auto& v : r.sensitivity)
      if (v.assumption == assumption) return v.ratios.front();
    ADD_FAILURE() << "no sensitivity variant " << assumption;
    return r.sensitivity.front().ratios.front();
  };
  const auto& overlap = variant("overlapped folds");
  const auto& fused = variant("output stage also folds BN/scale, PReLU and bias shifts");
  EXPECT_NEAR(r.claims[0].measured, 3.90, 0.005);
  EXPECT_NEAR(overlap[0], 3.52, 0.005);
  EXPECT_NEAR(overlap[1], 5.38, 0.005);
  EXPECT_NEAR(fused[1], 4.51, 0.005);
  EXPECT_NEAR(fused[2], 1.88, 0.005);
  EXPECT_NEAR(fused[0], r.claims[0].measured, 1e-9);  // nothing more to fuse in BiNeal or ResNet-18
  const auto& beside = variant("vector unit beside the array (unfused post-ops and residual adds fold by fold)");
  EXPECT_NEAR(beside[0], 3.99, 0.005);
  EXPECT_NEAR(beside[1], 2.80, 0.005);
  EXPECT_NEAR(beside[2], 1.40, 0.005);
  // A variant that sets fields is named as it is, with no factor after it.
  EXPECT_EQ(r.claims[1].driver,
            "vector unit beside the array (unfused post-ops and residual adds fold by fold) moves "
            "it to 2.8x");
  EXPECT_NEAR(static_cast<double>(r.find("ReActNet-A@binary")->run.total_cycles) / 1e6, 5.19, 0.005);
  ASSERT_EQ(r.configuration_ratios.size(), 1u);
  EXPECT_NEAR(r.configuration_ratios[0][0], 3.61, 0.005);
  EXPECT_NEAR(r.configuration_ratios[0][1], 2.87, 0.005);
  EXPECT_NEAR(r.configuration_ratios[0][2], 1.40, 0.005);
  // At equal area and in energy (45 nm).
  const StudyCase &resnet = *r.find("ResNet-18 8-bit@int8"), &bnn = *r.find("BiNeal-18 1.5x@binary");
  EXPECT_NEAR(resnet.area_mm2, 3.56, 0.005);
  EXPECT_NEAR(bnn.area_mm2, 4.99, 0.005);
  EXPECT_EQ(bnn.equal_area_side, 25);
  EXPECT_NEAR(bnn.equal_area_mm2, 3.47, 0.005);
  EXPECT_EQ(r.find("BiNeal-18 1.5x@bitserial")->equal_area_side, 29);
  EXPECT_NEAR(r.find("BiNeal-18 1.5x@bitserial")->area_mm2, 4.13, 0.005);
  EXPECT_NEAR(r.find("BiNeal-18 1.5x@bitserial")->equal_area_mm2, 3.59, 0.005);
  EXPECT_NEAR(r.claims[0].equal_area, 2.78, 0.005);
  EXPECT_NEAR(r.claims[0].energy, 3.35, 0.005);
  EXPECT_NEAR(r.claims[1].energy, 4.66, 0.005);
  EXPECT_NEAR(bnn.energy_j * 1e3, 4.6, 0.05);
  EXPECT_NEAR(resnet.energy_j * 1e3, 15.4, 0.05);
  EXPECT_NEAR(r.find("CenterNet BiNeal backbone@binary")->equal_area_speedup, 0.89, 0.005);
  double least = 1, most = 0;  // how much each claim shrinks at equal area
  for (const auto& cl : r.claims) {
    least = std::min(least, 1 - cl.equal_area / cl.measured);
    most = std::max(most, 1 - cl.equal_area / cl.measured);
  }
  EXPECT_NEAR(100 * least, 19, 0.5);
  EXPECT_NEAR(100 * most, 43, 0.5);
  EXPECT_NEAR(1 - r.claims[2].equal_area / r.claims[2].measured, least, 1e-12);  // Bi-Real-18
  EXPECT_NEAR(1 - r.claims[3].equal_area / r.claims[3].measured, most, 1e-12);   // segmentation
}

TEST(Study, EqualAreaArraysAreTheNearestSquareAndEnergyIsPriced) {
  RunOptions opt;
  const StudyResult r = run_study(load_study_plan(kSrc + "/workloads/plans/study.json"), opt);
  const StudyCase& base = *r.find("ResNet-18 8-bit@int8");
  EXPECT_EQ(base.equal_area_side, 32);
  EXPECT_EQ(base.equal_area_cycles, base.run.total_cycles);
  EXPECT_GT(base.energy_j, 0);
  for (const char* key : {"BiNeal-18 1.5x@binary", "BiNeal-18 1.5x@bitserial"}) {
    const StudyCase& c = *r.find(key);
    const ArchConfig& arch = r.archs.at(c.arch);
    const Tech& tech = load_tech(arch.tech);
    auto area_at = [&](int side) {
      ArchConfig a = arch;
      a.rows = a.cols = side;
      return cost_model(a, tech).area_mm2();
    };
    // No other square side comes closer to the baseline's area.
    const double gap = std::fabs(area_at(c.equal_area_side) - base.area_mm2);
    EXPECT_LE(gap, std::fabs(area_at(c.equal_area_side - 1) - base.area_mm2)) << key;
    EXPECT_LE(gap, std::fabs(area_at(c.equal_area_side + 1) - base.area_mm2)) << key;
    EXPECT_NEAR(c.equal_area_mm2, area_at(c.equal_area_side), 1e-9);
    // Its cycles there are an analytic run on that array.
    ArchConfig a = arch;
    a.rows = a.cols = c.equal_area_side;
    EXPECT_EQ(
        c.equal_area_cycles,
        analytic_network(a, lower_for(load_workload(kSrc + "/workloads/bineal-resnet18-1.5x.json"), a)).total_cycles);
    EXPECT_NEAR(c.energy_ratio, base.energy_j / c.energy_j, 1e-12);
  }
  // The claim: BiNeal 1.5x vs ResNet-18 at equal area and in energy, from the two cases.
  const StudyCase& bnn = *r.find("BiNeal-18 1.5x@binary");
  EXPECT_NEAR(r.claims[0].equal_area,
              static_cast<double>(base.equal_area_cycles) / static_cast<double>(bnn.equal_area_cycles), 1e-12);
  EXPECT_NEAR(r.claims[0].energy, base.energy_j / bnn.energy_j, 1e-12);
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
  bad(base + R"({"assumption": "a", "set": {"output_stage.fuse": ["relu6"]}}]})", {"sensitivity #0", "set", "relu6"});
}

}  // namespace
}  // namespace bitsys
