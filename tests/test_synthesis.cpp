// `bitsys synth`'s figures (rtl/synth.json) are what a fresh synthesis gives, and the RTL keeps
// its promises: no latches, no multiplier in a binary or bit-serial PE, int8 multipliers 9 x 9.
#include <gtest/gtest.h>

#include "rtl/cosim/synthesis.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kRtl = std::string(BITSYS_SOURCE_DIR) + "/rtl/";

nlohmann::json committed() {
  return parse_json(read_text_file(kRtl + "synth.json"), "rtl/synth.json");
}

const nlohmann::json& entry(const nlohmann::json& figures, const std::string& name) {
  for (const auto& d : figures["designs"])
    if (d["name"] == name) return d;
  throw std::runtime_error("rtl/synth.json has no " + name);
}

TEST(Synthesis, CommittedFiguresKeepThePromises) {
  const auto figures = committed();
  ASSERT_EQ(figures["designs"].size(), default_synth_designs().size());
  for (const auto& d : figures["designs"]) {
    SCOPED_TRACE(d["name"].get<std::string>());
    EXPECT_EQ(d["latches"], 0);
    const int pes = d["rows"].get<int>() * d["cols"].get<int>(), lanes = d["lanes"];
    if (d["kind"] == "int8") {
      EXPECT_EQ(d["multipliers"], pes * lanes);  // one 9 x 9 multiplier per lane
      EXPECT_EQ(d["multipliers_9x9"], pes * lanes);
    } else {
      EXPECT_EQ(d["multipliers"], 0);
    }
    // A PE alone keeps every output register: h_out 144 + v 144 + the 32-bit accumulator.
    if (pes == 1 && !d["overlapped"].get<bool>()) EXPECT_EQ(d["flip_flops"], 144 + 144 + 32);
    // With the overlapped schedule's registers, also the mark (1), the OS output register (32), and
    // of `active` and `shadow` only the bits a product reads (nothing else does): D data bits (int8
    // and bit-serial: a byte per lane, activations and weights in the same positions; binary: a
    // bit per lane), L sign bits and the control bits the kind decodes (int8: c[7], c[8]; binary:
    // c[6:0], c[9], c[15:10] = 14; bit-serial: c[2:0], c[4], c[7] = 5). int8 L1:
    // 320 + 1 + 32 + 2 (8 + 1 + 2) = 375.
    if (pes == 1 && d["overlapped"].get<bool>()) {
      const bool binary = d["kind"] == "binary";
      const int data = binary ? lanes : 8 * lanes;
      const int control = d["kind"] == "int8" ? 2 : binary ? 14 : 5;
      EXPECT_EQ(d["flip_flops"], 320 + 1 + 32 + 2 * (data + lanes + control));
    }
  }
}

TEST(Synthesis, FreshSynthesisEqualsTheCommittedFigures) {
  const auto figures = committed();
  // One design per kind and one with the overlapped schedule's registers (the 64-lane binary PE and
  // the 4 x 4 arrays take minutes; `bitsys synth` redoes them).
  for (const SynthDesign& d : {SynthDesign{"int8", 4}, SynthDesign{"binary", 16}, SynthDesign{"bitserial", 8},
                               SynthDesign{"int8", 1, 0, 0, "", true}}) {
    SCOPED_TRACE(d.name());
    const nlohmann::json fresh = to_json({synthesize(d, test::TempFile::dir() + "/synth", 600)})["designs"][0];
    EXPECT_EQ(fresh, entry(figures, d.name())) << fresh.dump(1);
  }
}

TEST(Synthesis, AMultiplierInABinaryPeIsReported) {
  SynthDesign d{"binary", 16};
  d.verilog = kRtl + "test/bitsys_pe_binary_multiplier.v";
  const SynthFigures f = synthesize(d, test::TempFile::dir() + "/synth-mul", 600);
  EXPECT_GT(f.multipliers, 0);
  const auto failures = synth_check_failures(f);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].find("multipliers in a binary PE"), std::string::npos) << failures[0];
  // The reference PE it was made from keeps the promise.
  EXPECT_TRUE(synth_check_failures(synthesize({"binary", 16}, test::TempFile::dir() + "/synth-ref", 600)).empty());
}

}  // namespace
}  // namespace bitsys
