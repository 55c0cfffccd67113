// Energy and area (sim/cost): prices derived by hand from configs/tech/45nm.json and
// rtl/synth.json, equality across fidelities, strict technology files, the scaled 22 nm set as the
// rule's output, the validation table against published silicon, and the reports carrying it all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/sweep/sweep_runner.h"
#include "app/sweep/sweep_spec.h"
#include "sim/cost/energy.h"
#include "sim/cost/tech.h"
#include "sim/cost/tech_scale.h"
#include "sim/cost/validation.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kSrc = BITSYS_SOURCE_DIR;

std::vector<std::string> lines_in(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

const Tech& tech45() {
  return load_tech(kSrc + "/configs/tech/45nm.json");
}

ArchConfig arch_8x8_int8() {
  ArchConfig a;
  a.rows = a.cols = 8;
  a.pe = find_pe_kind("int8");
  a.lanes = 1;
  return a;  // buffers 64 KiB each, 32 vector lanes, 1000 MHz
}

TEST(Cost, PricesPerActionDerivedByHand) {
  const CostModel m = cost_model(arch_8x8_int8(), tech45());
  EXPECT_EQ(m.pe.design, "pe_int8_L1");
  // rtl/synth.json pe_int8_L1: 9,330 logic transistors = 2,332.5 NAND2-eq, 320 flip-flops.
  // Logic per beat: 2,332.5 x 1.364 fJ x activity 0.25 = 795.3825 fJ.
  EXPECT_NEAR(m.pe_beat_pj, 0.7953825, 1e-9);
  // Registers per beat: 320 x register activity 0.25 x 7.73 fJ = 618.4 fJ.
  EXPECT_NEAR(m.pe_move_pj, 0.6184, 1e-9);
  // Clock per array cycle: 64 PEs x 320 flip-flops x 2.2 fJ = 45.056 pJ.
  EXPECT_NEAR(m.array_cycle_pj, 45.056, 1e-9);
  // Each buffer's bank is half of 64 KiB = 32 KiB, a read point: 20 pJ per 64 bits = 2.5 pJ/B; writes
  // cost as much (write_to_read 1).
  for (int b = 0; b < kBuffers; ++b) {
    EXPECT_NEAR(m.sram_read_pj_per_byte[b], 2.5, 1e-12);
    EXPECT_NEAR(m.sram_write_pj_per_byte[b], 2.5, 1e-12);
  }
  // PE: 9,330 x 0.10225 + 320 x 4.522 = 953.9925 + 1,447.04 = 2,401.0325 um2; 64 of them.
  EXPECT_NEAR(m.pe_area_um2, 2401.0325, 1e-6);
  EXPECT_NEAR(m.area_um2[kAreaPeArray], 153666.08, 1e-4);
  // A 64 KiB buffer: 524,288 bits x 0.692 um2 = 362,807.296 um2.
  EXPECT_NEAR(m.area_um2[kAreaIfmap], 362807.296, 1e-6);
  // Vector unit: 32 lanes x (381.5 x 0.409 + 64 x 4.522) = 32 x 445.4415 = 14,254.128 um2.
  EXPECT_NEAR(m.area_um2[kAreaVectorUnit], 14254.128, 1e-6);
  // Total 153,666.08 + 3 x 362,807.296 + 14,254.128 = 1,256,342.096 um2; leakage 25 mW/mm2 at 1000 MHz
  // = 25 pJ per mm2 per cycle -> 31.4085524 pJ.
  EXPECT_NEAR(m.area_mm2(), 1.256342096, 1e-9);
  EXPECT_NEAR(m.leakage_pj_per_cycle, 31.4085524, 1e-6);
  // Logic depth 91 levels x 20 ps = 1.82 ns -> 549.45 MHz.
  EXPECT_NEAR(m.pe_max_clock_mhz, 1e6 / 1820, 1e-6);

  ActionCounts c;
  c.pe_beats = 1000;
  c.array_cycles = 100;
  c.sram_read = {800, 160, 0};
  c.sram_write = {0, 0, 400};
  c.dram_bytes = 64;
  c.vector_ops = 50;
  c.cycles = 200;
  const Energy e = energy_of(m, c);
  EXPECT_NEAR(e.pj[kPeCompute], 795.3825, 1e-6);   // 1000 x 0.7953825
  EXPECT_NEAR(e.pj[kArrayMovement], 618.4, 1e-6);  // 1000 x 0.6184
  EXPECT_NEAR(e.pj[kArrayClock], 4505.6, 1e-6);    // 100 x 45.056
  EXPECT_NEAR(e.pj[kSramReadIfmap], 2000, 1e-9);   // 800 B x 2.5
  EXPECT_NEAR(e.pj[kSramReadFilter], 400, 1e-9);   // 160 B x 2.5
  EXPECT_NEAR(e.pj[kSramWriteOfmap], 1000, 1e-9);  // 400 B x 2.5
  EXPECT_NEAR(e.pj[kDram], 15600, 1e-9);           // 64 B x 243.75
  EXPECT_NEAR(e.pj[kVectorUnit], 5, 1e-9);         // 50 x 0.1
  EXPECT_NEAR(e.pj[kLeakage], 6281.71048, 1e-4);   // 200 x 31.4085524
  EXPECT_EQ(e.pj[kSramReadOfmap] + e.pj[kSramWriteIfmap] + e.pj[kSramWriteFilter], 0);
  EXPECT_NEAR(e.total_pj(), 795.3825 + 618.4 + 4505.6 + 2000 + 400 + 1000 + 15600 + 5 + 6281.71048, 1e-4);
}

TEST(Cost, SramEnergyInterpolatesInLogLog) {
  const Tech& t = tech45();
  // Points: 8 KiB 1.25 pJ/B, 32 KiB 2.5 pJ/B, 1024 KiB 12.5 pJ/B (10, 20, 100 pJ per 64 bits).
  EXPECT_NEAR(t.sram_pj_per_byte(8, false), 1.25, 1e-12);
  EXPECT_NEAR(t.sram_pj_per_byte(16, false), std::sqrt(1.25 * 2.5), 1e-12);  // log-midpoint: geometric mean
  EXPECT_NEAR(t.sram_pj_per_byte(2, false), 0.625, 1e-12);  // first segment's slope 1/2: 1.25 x (1/4)^(1/2)
  EXPECT_NEAR(t.sram_pj_per_byte(2048, false), 12.5 * std::pow(5.0, 0.2), 1e-9);  // last slope ln5/ln32
}

TEST(Cost, PeInterpolatesBetweenSynthesizedLaneCounts) {
  const Tech& t = tech45();
  // binary L32 15,644 and L64 22,948 transistors -> L48: 19,296.
  const PeSynthesis b48 = t.pe("binary", 48);
  EXPECT_DOUBLE_EQ(b48.logic_transistors, 19296);
  EXPECT_DOUBLE_EQ(b48.flip_flops, 320);
  EXPECT_NE(b48.design.find("interpolated"), std::string::npos);
  // int8 L2 16,322 and L4 29,838 -> L3: 23,080.
  EXPECT_DOUBLE_EQ(t.pe("int8", 3).logic_transistors, 23080);
  // binary L8 below the synthesized 16 and 32: along their line, 9,716 - (15,644 - 9,716) / 2 = 6,752.
  EXPECT_DOUBLE_EQ(t.pe("binary", 8).logic_transistors, 6752);
  EXPECT_EQ(t.pe("bitserial", 8).design, "pe_bitserial_L8");
  test::expect_input_error([&] { t.pe("quantum", 1); }, {"synth.json", "quantum"});
}

// Overlapped folds need each PE's shadow and output registers: the architecture is priced from the
// PE synthesized with them (rtl/synth.json pe_int8_L1_overlapped: 10,422 logic transistors, 375
// flip-flops; tests/test_synthesis.cpp derives the 55 more), and per-beat, per-cycle and area prices follow.
TEST(Cost, OverlappedArraysArePricedWithTheirShadowRegisters) {
  ArchConfig a = arch_8x8_int8();
  a.schedule = FoldSchedule::Overlapped;
  const CostModel m = cost_model(a, tech45());
  EXPECT_EQ(m.pe.design, "pe_int8_L1_overlapped");
  // Logic per beat: 10,422 / 4 = 2,605.5 NAND2-eq x 1.364 fJ x 0.25 = 888.4755 fJ.
  EXPECT_NEAR(m.pe_beat_pj, 0.8884755, 1e-9);
  // Registers per beat: 375 x 0.25 x 7.73 fJ = 724.6875 fJ; clock: 64 x 375 x 2.2 fJ = 52.8 pJ.
  EXPECT_NEAR(m.pe_move_pj, 0.7246875, 1e-9);
  EXPECT_NEAR(m.array_cycle_pj, 52.8, 1e-9);
  // PE: 10,422 x 0.10225 + 375 x 4.522 = 1,065.6495 + 1,695.75 = 2,761.3995 um2 (2,401.0325 without).
  EXPECT_NEAR(m.pe_area_um2, 2761.3995, 1e-6);
  EXPECT_NEAR(m.area_um2[kAreaPeArray], 64 * 2761.3995, 1e-4);
  // Interpolation stays among the overlapped designs: int8 L2 17,670 and L4 31,902 -> L3 24,786.
  EXPECT_DOUBLE_EQ(tech45().pe("int8", 3, true).logic_transistors, 24786);
  // A synthesis file from before the overlapped designs: a clear error, not the plain PE's price.
  Tech old = tech45();
  old.pes.erase(std::remove_if(old.pes.begin(), old.pes.end(), [](const PeSynthesis& p) { return p.overlapped; }),
                old.pes.end());
  test::expect_input_error([&] { old.pe("int8", 1, true); },
                           {"synth.json", "no synthesized PE of kind 'int8' with the overlapped schedule's registers"});
}

// The cost is a pure function of the counts, and both fidelities produce the same counts: every
// layer's energy is equal. A one-byte difference in one layer's counts changes it (the comparison
// is not vacuous).
TEST(Cost, EqualAcrossFidelities) {
  const LoweredNetwork net = lower(load_workload(kSrc + "/workloads/tiny-cnn.json"));
  for (const char* cfg : {"int8-8x8.json", "binary-8x8.json", "bitserial-8x8.json"}) {
    SCOPED_TRACE(cfg);
    const ArchConfig arch = load_arch(kSrc + "/configs/" + cfg);
    RunOptions o;
    const RunResult a = run_network(arch, net, o);
    o.fidelity = "systemc";
    RunResult s = run_network(arch, net, o);
    const RunCost ca = run_cost(a, tech45()), cs = run_cost(s, tech45());
    ASSERT_EQ(ca.layers.size(), cs.layers.size());
    for (size_t i = 0; i < ca.layers.size(); ++i)
      for (int p = 0; p < kEnergyParts; ++p)
        EXPECT_EQ(ca.layers[i].pj[p], cs.layers[i].pj[p]) << a.layers[i].op.name << " " << energy_part_name(p);
    EXPECT_EQ(ca.total.total_pj(), cs.total.total_pj());
    EXPECT_EQ(ca.edp_js(), cs.edp_js());
    for (int p : {kPeCompute, kArrayMovement, kArrayClock, kSramReadIfmap, kSramReadFilter, kSramWriteOfmap, kDram,
                  kVectorUnit, kLeakage})
      EXPECT_GT(ca.total.pj[p], 0) << energy_part_name(p);
    // Leakage covers every cycle of the run: the layers' cycles add up to the total.
    EXPECT_NEAR(ca.total.pj[kLeakage], static_cast<double>(a.total_cycles) * ca.model.leakage_pj_per_cycle, 1e-6);

    size_t gemm = 0;
    while (s.layers[gemm].op.placement != OpPlacement::Array) ++gemm;
    s.layers[gemm].timing.sram_read[kIfmap] += 1;
    EXPECT_NE(run_cost(s, tech45()).layers[gemm].total_pj(), ca.layers[gemm].total_pj());
  }
}

/// The 45 nm file with one change, written to a temporary file.
std::string tech_with(const std::function<void(nlohmann::json&)>& change, const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(test::slurp(kSrc + "/configs/tech/45nm.json"));
  j["pe_synthesis"] = kSrc + "/rtl/synth.json";
  change(j);
  const std::string path = test::TempFile::dir() + "/" + name;
  std::ofstream(path) << j.dump(2);
  return path;
}

TEST(TechFile, BadFilesGetOneLineErrorsNamingFilePlaceAndField) {
  struct Case {
    std::function<void(nlohmann::json&)> change;
    std::vector<std::string> fragments;
  };
  const std::vector<Case> cases = {
      {[](nlohmann::json& j) { j.erase("dram"); }, {"'dram'", "missing"}},
      {[](nlohmann::json& j) { j["logic"]["gate_energy"]["value"] = -1; },
       {"tech logic gate_energy", "'value'", "must not be negative"}},
      {[](nlohmann::json& j) { j["sram"]["bit_area"]["unit"] = "acre"; },
       {"tech sram bit_area", "'unit'", "unknown unit \"acre\"", "um2, mm2"}},
      {[](nlohmann::json& j) { j["dram"]["energy"]["unit"] = "pJ"; }, {"'unit'", "energy per byte", "pJ/B"}},
      {[](nlohmann::json& j) { j["logic"].erase("clock_energy"); }, {"tech logic", "'clock_energy'", "missing"}},
      {[](nlohmann::json& j) { j["leakage"]["power_density"]["source"] = ""; }, {"'source'"}},
      {[](nlohmann::json& j) { j["vector_unit"]["op_energy"]["status"] = "guess"; }, {"'status'", "guess"}},
      {[](nlohmann::json& j) { j["vector_unit"]["op_enrgy"] = j["vector_unit"]["op_energy"]; },
       {"op_enrgy", "did you mean 'op_energy'"}},
      {[](nlohmann::json& j) { j["sram"]["read_energy"][1]["capacity_kib"] = 4; },
       {"read_energy[1]", "'capacity_kib'", "increasing"}},
      {[](nlohmann::json& j) { j["pe_synthesis"] = "/no/synth.json"; }, {"'pe_synthesis'", "no such file"}},
      {[](nlohmann::json& j) { j["logic"]["logic_activity"]["value"] = 3; },
       {"tech logic", "'logic_activity'", "at most 1"}},
      {[](nlohmann::json& j) { j["logic"]["gate_energy"]["value"] = 0; },
       {"tech logic gate_energy", "'value'", "more than 0"}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = tech_with(cases[i].change, "bad-tech-" + std::to_string(i) + ".json");
    SCOPED_TRACE(test::slurp(path).substr(0, 0) + std::to_string(i));
    std::vector<std::string> fragments = cases[i].fragments;
    fragments.push_back(path);
    try {
      parse_tech(test::slurp(path), path);
      ADD_FAILURE() << "case " << i << ": no InputError";
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' missing: " << msg;
    }
  }
}

TEST(TechFile, CommandsRefuseBadTechWithExitCodeTwoAndNoOutput) {
  const std::string bad = tech_with([](nlohmann::json& j) { j["dram"]["energy"]["value"] = -5; }, "neg.json");
  const std::string out = test::TempFile::dir() + "/never.json";
  std::string o, err;
  EXPECT_EQ(test::run_bitsys("run --arch " + kSrc + "/configs/int8-8x8.json --workload " + kSrc +
                                 "/workloads/tiny-cnn.json --tech " + bad + " --json " + out,
                             &o, &err),
            2);
  EXPECT_NE(err.find(bad), std::string::npos) << err;
  EXPECT_NE(err.find("must not be negative"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(std::ifstream(out).good());
  // A supply voltage no technology file may have: refused, nothing written.
  EXPECT_EQ(test::run_bitsys("tech-scale --node 22 --vdd -1 --name x --out " + out, &o, &err), 2);
  EXPECT_NE(err.find("--vdd"), std::string::npos) << err;
  EXPECT_FALSE(std::ifstream(out).good());
  // An architecture's technology file is found beside it; a missing one names the architecture and field.
  nlohmann::json a = nlohmann::json::parse(test::slurp(kSrc + "/configs/int8-8x8.json"));
  a["tech"] = "beside-tech.json";
  const test::TempFile beside("beside-tech.json", test::slurp(kSrc + "/configs/tech/45nm.json"));
  const test::TempFile arch("arch-beside.json", a.dump());
  EXPECT_EQ(load_arch(arch.path()).tech, beside.path());
  a["tech"] = "nowhere-tech.json";
  const test::TempFile lost("arch-lost.json", a.dump());
  test::expect_input_error([&] { load_arch(lost.path()); }, {lost.path(), "'tech'", "nowhere-tech.json"});
  // A node the rule has no row or neighbours for.
  EXPECT_EQ(test::run_bitsys("tech-scale --node 3 --vdd 0.7 --name x --out " + out, &o, &err), 2);
  EXPECT_NE(err.find("no scaling rule for 3 nm"), std::string::npos) << err;
  EXPECT_FALSE(std::ifstream(out).good());
}

TEST(TechFile, Committed22nmIsTheScalingRulesOutput) {
  const std::string out = test::TempFile::dir() + "/22nm.json";
  std::string o;
  ASSERT_EQ(test::run_bitsys("tech-scale --node 22 --vdd 0.8 --name 22nm --out " + out, &o), 0) << o;
  const auto made = nlohmann::json::parse(test::slurp(out));
  const auto committed = nlohmann::json::parse(test::slurp(kSrc + "/configs/tech/22nm.json"));
  EXPECT_EQ(made, committed) << "regenerate: " << committed["generated_by"]["command"];
  // By hand from configs/tech/scaling.json: energy e(V) = aV^2 + bV + c, 45 nm at 0.9 V: 0.69885;
  // 32 nm at 0.8 V: 0.358308, 20 nm: 0.1532; 22 nm is w = ln(32/22)/ln(32/20) = 0.797212 of the way in
  // log(node): 0.358308^0.202788 x 0.1532^0.797212 = 0.18202 -> x0.26046. Area 0.46^0.202788 x
  // 0.21^0.797212 = 0.24623.
  EXPECT_NEAR(made["generated_by"]["factors"]["energy"].get<double>(), 0.26046, 2e-4);
  EXPECT_NEAR(made["generated_by"]["factors"]["area"].get<double>(), 0.24623, 2e-4);
  const Tech t22 = parse_tech(test::slurp(out), out);
  EXPECT_NEAR(t22.gate_energy_pj, 1.364e-3 * 0.260437, 1e-8);
  EXPECT_EQ(t22.dram_pj_per_byte, tech45().dram_pj_per_byte);  // not_scaled: off-chip
}

TEST(TechFile, ValidationAgainstPublishedSilicon) {
  const auto rows = validation_rows(kSrc + "/configs/tech/45nm.json", kSrc + "/configs/tech/22nm.json",
                                    kSrc + "/configs/tech/scaling.json", kSrc + "/configs/tech/reference-gates.json");
  std::map<std::string, const ValidationRow*> by;
  for (const auto& r : rows) by[r.figure] = &r;
  // Calibration points are met up to the 4 digits the file keeps (1.364 fJ, 0.409 um2); the predictions
  // README calls reproducible stay within 2x.
  EXPECT_NEAR(by.at("8-bit add")->ratio(), 1.0, 1e-3);
  EXPECT_NEAR(by.at("8-bit adder area")->ratio(), 1.0, 1e-3);
  for (const char* f : {"8-bit multiply", "32-bit add", "32-bit multiply", "8-bit multiplier area",
                        "global buffer (108 KB) / MAC, 16-bit", "UNPU efficiency 1-bit / 16-bit weights"}) {
    SCOPED_TRACE(f);
    EXPECT_TRUE(by.at(f)->within_2x()) << by.at(f)->ratio();
    EXPECT_FALSE(by.at(f)->calibration);
  }
  // The explained ones are held where README puts them.
  EXPECT_NEAR(by.at("DRAM / MAC, 16-bit")->ratio(), 2.03, 0.01);
  EXPECT_NEAR(by.at("8-bit MAC (int8 PE logic per beat)")->ratio(), 2.65, 0.01);
  EXPECT_LT(by.at("UNPU 1-bit weights: bit-serial PE (TOPS/W, 65 nm)")->ratio(), 0.1);
  EXPECT_NEAR(by.at("binary op: binary PE at 22 nm (fJ/op)")->ratio(), 0.31, 0.01);
}

TEST(TechFile, ReadmeValidationTableIsTheCommandsOutput) {
  std::string out;
  ASSERT_EQ(test::run_bitsys("tech-check", &out), 0) << out;
  const std::string readme = test::slurp(kSrc + "/README.md");
  const std::string marker = "$ ./build/bitsys tech-check\n";
  const size_t at = readme.find(marker);
  ASSERT_NE(at, std::string::npos) << "README lacks the tech-check block";
  const size_t end = readme.find("```", at);
  EXPECT_EQ(readme.substr(at + marker.size(), end - at - marker.size()), out);
}

TEST(CostReport, RunReportsEnergyAndAreaByComponentInTableJsonAndCsv) {
  const std::string dir = test::TempFile::dir();
  std::string table;
  ASSERT_EQ(test::run_bitsys("run --arch " + kSrc + "/configs/binary-8x8.json --workload " + kSrc +
                                 "/workloads/tiny-cnn.json --json " + dir + "/e.json --csv " + dir + "/e.csv",
                             &table),
            0)
      << table;
  const auto j = nlohmann::json::parse(test::slurp(dir + "/e.json"));
  const auto& cost = j["cost"];
  EXPECT_EQ(cost["tech"]["file"], "configs/tech/45nm.json");
  EXPECT_EQ(cost["pe_design"], "pe_binary_L64");
  double layers = 0;
  for (const auto& l : j["layers"])
    if (l.contains("energy_pj")) layers += l["energy_pj"]["total"].get<double>();
  const double total = cost["energy_pj"]["total"].get<double>();
  EXPECT_GT(total, 0);
  EXPECT_NEAR(layers, total, 1e-9 * total);  // the layers' cycles cover the run
  double parts = 0;
  for (int p = 0; p < kEnergyParts; ++p) parts += cost["energy_pj"][energy_part_name(p)].get<double>();
  EXPECT_NEAR(parts, total, 1e-9 * total);
  const double seconds = j["total_cycles"].get<double>() / 1e9;  // 1000 MHz
  EXPECT_NEAR(cost["power_w"].get<double>(), total * 1e-12 / seconds, 1e-12);
  EXPECT_NEAR(cost["edp_js"].get<double>(), total * 1e-12 * seconds, 1e-24);
  EXPECT_NE(table.find("configs/tech/45nm.json"), std::string::npos) << table;
  EXPECT_NE(table.find("DRAM"), std::string::npos) << table;
  const std::string csv = test::slurp(dir + "/e.csv");
  EXPECT_NE(csv.find(",energy_pj,energy_pe_compute_pj,"), std::string::npos);
  const std::string total_row = csv.substr(csv.find("TOTAL"));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", total);
  EXPECT_NE(total_row.find(std::string(",") + buf + ","), std::string::npos) << total_row;
  // The TOTAL row carries the whole-run figures by column name: area by component, energy per
  // inference, power, EDP and the technology file, equal to the JSON's (to the CSV's 6 digits).
  auto cells = [](const std::string& line) {
    std::vector<std::string> v;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) v.push_back(c);
    if (!line.empty() && line.back() == ',') v.push_back("");
    return v;
  };
  const auto header = cells(csv.substr(0, csv.find('\n')));
  const auto totals = cells(total_row.substr(0, total_row.find('\n')));
  ASSERT_EQ(header.size(), totals.size()) << total_row;
  auto at = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return totals[i];
    ADD_FAILURE() << "no CSV column " << name;
    return std::string();
  };
  EXPECT_NEAR(std::stod(at("power_w")), cost["power_w"].get<double>(), 1e-5 * cost["power_w"].get<double>());
  EXPECT_NEAR(std::stod(at("edp_js")), cost["edp_js"].get<double>(), 1e-5 * cost["edp_js"].get<double>());
  EXPECT_NEAR(std::stod(at("area_pe_array_mm2")), cost["area_mm2"]["pe_array"].get<double>(),
              1e-5 * cost["area_mm2"]["pe_array"].get<double>());
  EXPECT_GT(std::stod(at("energy_per_inference_j")), 0);
  const std::string tech = at("tech_file");
  EXPECT_EQ(tech.substr(tech.size() - std::min<size_t>(tech.size(), 22)), "configs/tech/45nm.json") << tech;
  // The 22 nm set, by the option and by the architecture's field, prices the same counts lower.
  ASSERT_EQ(test::run_bitsys("run -q --arch " + kSrc + "/configs/binary-8x8.json --workload " + kSrc +
                             "/workloads/tiny-cnn.json --tech configs/tech/22nm.json --json " + dir + "/f.json"),
            0);
  const auto k = nlohmann::json::parse(test::slurp(dir + "/f.json"));
  EXPECT_EQ(k["cost"]["tech"]["name"], "22nm");
  EXPECT_LT(k["cost"]["energy_pj"]["total"].get<double>(), total);
  EXPECT_LT(k["cost"]["area_mm2"]["total"].get<double>(), cost["area_mm2"]["total"].get<double>());
}

TEST(CostReport, ArchitectureFieldSelectsTheTechnology) {
  nlohmann::json a = nlohmann::json::parse(test::slurp(kSrc + "/configs/int8-8x8.json"));
  a["tech"] = "configs/tech/22nm.json";  // relative to bitsys's data folder
  const test::TempFile arch("arch-22nm.json", a.dump());
  const ArchConfig cfg = load_arch(arch.path());
  EXPECT_EQ(cfg.tech, "configs/tech/22nm.json");
  EXPECT_EQ(arch_to_json(cfg)["tech"], "configs/tech/22nm.json");
  const std::string out = test::TempFile::dir() + "/arch-22nm-report.json";
  ASSERT_EQ(test::run_bitsys("run -q --arch " + arch.path() + " --workload " + kSrc +
                             "/workloads/tiny-cnn.json --json " + out),
            0);
  EXPECT_EQ(nlohmann::json::parse(test::slurp(out))["cost"]["tech"]["name"], "22nm");
  a["tech"] = "configs/tech/7nm.json";
  const test::TempFile missing("arch-7nm.json", a.dump());
  std::string o, err;
  EXPECT_EQ(test::run_bitsys("run -q --arch " + missing.path() + " --workload " + kSrc + "/workloads/tiny-cnn.json", &o,
                             &err),
            2);
  EXPECT_NE(err.find("7nm.json"), std::string::npos) << err;
}

// Every sweep point carries area, energy, power and EDP, consistent with its cycles; a constraint
// on area_mm2 keeps exactly the points whose architecture is that small.
TEST(CostSweep, PointsCarryCostAndConstraintsReadArea) {
  nlohmann::json spec = {{"name", "area"},
                         {"base", kSrc + "/configs/int8-32x32.json"},
                         {"vary", {{"rows", {8, 16, 32}}, {"cols", {8, 32}}, {"pe.kind", {"int8", "binary"}}}},
                         {"constraints", {"area_mm2 <= 2"}},
                         {"workloads", {kSrc + "/workloads/resnet20-int8.json"}}};
  const test::TempFile file("area-sweep.json", spec.dump());
  const SweepSpec s = SweepSpec::load(file.path());
  std::set<std::string> kept;
  for (uint64_t c : s.points()) kept.insert(s.id_of(c));
  size_t small = 0;
  for (uint64_t c = 0; c < s.combinations(); ++c) {
    const ArchConfig a = s.arch_of(c);
    const bool fits = cost_model(a, load_tech(a.tech)).area_mm2() <= 2;
    small += fits;
    EXPECT_EQ(kept.count(s.id_of(c)), fits ? 1u : 0u) << a.summary();
  }
  EXPECT_GT(small, 0u);
  EXPECT_LT(small, s.combinations());

  SweepOptions o;
  o.out = test::TempFile::dir() + "/area-sweep.jsonl";
  std::remove(o.out.c_str());
  run_sweep(s, o);
  size_t n = 0;
  for (const std::string& l : lines_in(o.out)) {
    ++n;
    const auto j = nlohmann::json::parse(l);
    SCOPED_TRACE(l);
    EXPECT_LE(j["area_mm2"].get<double>(), 2);
    const double e = j["energy_j"], seconds = j["cycles"].get<double>() / 1e9;  // 1000 MHz
    EXPECT_GT(e, 0);
    EXPECT_NEAR(j["power_w"].get<double>(), e / seconds, 1e-9 * e / seconds);
    EXPECT_NEAR(j["edp_js"].get<double>(), e * seconds, 1e-9 * e * seconds);
    EXPECT_EQ(j["energy_per_inference_j"], e);  // batch 1
    EXPECT_EQ(j["tech"], "45nm");
  }
  EXPECT_EQ(n, small);
  // The sweep prices a point as a run's report does (network_energy against run_cost).
  const auto first = nlohmann::json::parse(lines_in(o.out).front());
  for (uint64_t c : s.points())
    if (s.id_of(c) == first["id"]) {
      const ArchConfig a = s.arch_of(c);
      const RunResult r = run_network(a, lower(load_workload(s.workloads[0])), RunOptions{});
      const double e = run_cost(r, load_tech(a.tech)).energy_j();
      EXPECT_NEAR(first["energy_j"].get<double>(), e, 1e-12 * e);
    }
  // A results file from before the cost fields is not resumed into (its points would rank on
  // cycles only): refused in one line.
  nlohmann::json old = first;
  for (const char* k : {"area_mm2", "energy_j", "energy_per_inference_j", "power_w", "edp_js", "tech"}) old.erase(k);
  const test::TempFile stale("stale-sweep.jsonl", old.dump() + "\n");
  SweepOptions so;
  so.out = stale.path();
  test::expect_input_error([&] { run_sweep(s, so); }, {stale.path(), "without area and energy"});
}

}  // namespace
}  // namespace bitsys
