// Measured switching activity (app/activity): the gate-level simulator counts transitions as
// derived by hand on a two-cell netlist; the PE netlists it simulates are the ones rtl/synth.json
// prices (same NAND2-equivalents) and compute every beat as the golden model does.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/activity/gate_sim.h"
#include "app/activity/pe_activity.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kSrc = BITSYS_SOURCE_DIR;

TEST(Activity, GateSimCountsTransitionsByHand) {
  // a -> NOT -> y -> flip-flop (enable 1, reset 0) -> q.
  const auto net = nlohmann::json::parse(R"({"modules": {"t": {
      "ports": {"a": {"direction": "input", "bits": [2]}, "clk": {"direction": "input", "bits": [5]},
                "q": {"direction": "output", "bits": [4]}},
      "cells": {"n": {"type": "$_NOT_", "connections": {"A": [2], "Y": [3]}},
                "f": {"type": "$_SDFFE_PP0P_", "connections": {"C": [5], "D": [3], "E": ["1"], "R": ["0"], "Q": [4]}}}}}})");
  GateSim sim(net, "t");
  EXPECT_EQ(sim.logic_nand2(), 0.5);  // an inverter is 2 transistors
  EXPECT_EQ(sim.flip_flops(), 1u);
  // Settled at a = 0: y = 1, q = 0. Then a = 1, 0, 1, 0: y toggles every cycle (4 x 0.5 NAND2-eq);
  // q takes y's value before the edge: 0 (no change), 1, 0, 1 (3 transitions).
  const uint64_t a[] = {1, 0, 1, 0}, q[] = {0, 1, 0, 1};
  for (int i = 0; i < 4; ++i) {
    sim.set_input("a", a[i]);
    sim.cycle();
    EXPECT_EQ(sim.output("q")[0], q[i]) << i;
  }
  EXPECT_EQ(sim.gate_transitions(), 2.0);
  EXPECT_EQ(sim.flip_flop_transitions(), 3u);
  const auto loop = nlohmann::json::parse(R"({"modules": {"l": {"ports": {},
      "cells": {"n": {"type": "$_NOT_", "connections": {"A": [2], "Y": [2]}}}}}})");
  EXPECT_THROW(GateSim(loop, "l"), std::runtime_error);
  const auto odd = nlohmann::json::parse(R"({"modules": {"o": {"ports": {},
      "cells": {"m": {"type": "$_MUX_", "connections": {"A": [2], "B": [3], "S": [4], "Y": [5]}}}}}})");
  EXPECT_THROW(GateSim(odd, "o"), std::runtime_error);
}

TEST(Activity, PeNetlistsAreTheSynthesizedOnesAndMatchTheGoldenModel) {
  const auto synth = nlohmann::json::parse(test::slurp(kSrc + "/rtl/synth.json"));
  auto transistors = [&](const std::string& name) {
    for (const auto& d : synth["designs"])
      if (d["name"] == name) return d["logic_transistors"].get<double>();
    return -1.0;
  };
  const std::string work = test::TempFile::dir() + "/activity";
  ActPrecision a8;
  a8.is_signed = false;
  ActPrecision a1;
  a1.bits = 1;
  struct Case {
    const char* kind;
    int lanes;
    ActPrecision a;
    WeightPrecision w;
  };
  for (const Case& c : {Case{"int8", 1, a8, WeightPrecision::twos(8)}, Case{"binary", 64, a1, WeightPrecision::twos(1)},
                        Case{"bitserial", 8, a8, WeightPrecision::twos(4)}}) {
    SCOPED_TRACE(c.kind);
    // Throws on any beat whose accumulator differs from psum_in + the golden product.
    const ActivityResult r = measure_pe_activity(c.kind, c.lanes, c.a, c.w, 256, 7, work);
    EXPECT_EQ(r.beats, 256u);
    EXPECT_EQ(r.logic_nand2 * 4, transistors(std::string("pe_") + c.kind + "_L" + std::to_string(c.lanes)));
    EXPECT_EQ(r.flip_flops, 320u);
    EXPECT_GT(r.logic_activity, 0.01);
    EXPECT_LT(r.logic_activity, 1.0);
    EXPECT_GT(r.register_activity, 0.0);
    EXPECT_LT(r.register_activity, 0.5);
  }
  // The calibration circuit: configs/tech/reference-gates.json's 88 NAND2-eq; random operands switch
  // between a quarter and two thirds of it (zero-delay).
  const ActivityResult add = measure_adder_activity(4096, 7, work);
  EXPECT_EQ(add.logic_nand2, 88);
  EXPECT_GT(add.logic_activity, 0.25);
  EXPECT_LT(add.logic_activity, 0.67);
}

TEST(Activity, ReadmeTableIsTheCommandsOutput) {
  std::string out;
  ASSERT_EQ(test::run_bitsys("activity --workdir " + test::TempFile::dir() + "/activity-readme", &out), 0) << out;
  const std::string readme = test::slurp(kSrc + "/README.md");
  const std::string marker = "$ ./build/bitsys activity\n";
  const size_t at = readme.find(marker);
  ASSERT_NE(at, std::string::npos) << "README lacks the activity block";
  const size_t end = readme.find("```", at);
  EXPECT_EQ(readme.substr(at + marker.size(), end - at - marker.size()), out);
}

}  // namespace
}  // namespace bitsys
