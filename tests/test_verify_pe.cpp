// `bitsys verify-pe` on rtl/'s own PE (passes), on the planted-bug PE (fails, names the cycle,
// writes the VCD of the window) and on a file Verilator rejects (one clear line, exit 2).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <array>
#include <cstdio>

#include "test_util.h"

namespace bitsys {
namespace {

const std::string kRtl = std::string(BITSYS_SOURCE_DIR) + "/rtl/";

TEST(VerifyPe, ReferencePePasses) {
  std::string out;
  const std::string work = test::TempFile::dir() + "/vp-pass";
  EXPECT_EQ(test::run_bitsys(
                "verify-pe --rtl " + kRtl + "bitsys_pe_bitserial.v --kind bitserial --lanes 8 --workdir " + work, &out),
            0)
      << out;
  EXPECT_NE(out.find("PASS: bitsys_pe_bitserial matches the bitserial golden model (LANES=8) on all 100000 cycles"),
            std::string::npos)
      << out;
}

TEST(VerifyPe, BrokenPeFailsWithFirstMismatchAndWaveform) {
  std::string out;
  const std::string work = test::TempFile::dir() + "/vp-fail", vcd = test::TempFile::dir() + "/broken.vcd";
  EXPECT_EQ(test::run_bitsys("verify-pe --rtl " + kRtl + "test/bitsys_pe_binary_broken.v --kind binary --workdir " +
                                 work + " --vcd " + vcd,
                             &out),
            1)
      << out;
  EXPECT_NE(out.find("FAIL: bitsys_pe_binary_broken differs"), std::string::npos) << out;
  EXPECT_NE(out.find("first mismatch at cycle"), std::string::npos) << out;
  EXPECT_NE(out.find("inputs: rst="), std::string::npos) << out;
  EXPECT_NE(out.find("acc: RTL"), std::string::npos) << out;
  struct stat st {};
  ASSERT_EQ(stat(vcd.c_str(), &st), 0) << out;
  EXPECT_GT(st.st_size, 1000);
}

TEST(VerifyPe, VerilatorErrorIsOneClearLine) {
  test::TempFile bad("bad_pe.v",
                     "module bad_pe(input wire clk,\n  output reg acc\n  always @(posedge clk) acc <= 1;\nendmodule\n");
  std::string out;
  EXPECT_EQ(test::run_bitsys(
                "verify-pe --rtl " + bad.path() + " --kind int8 --workdir " + test::TempFile::dir() + "/vp-bad", &out),
            2)
      << out;
  EXPECT_NE(out.find("bitsys: error: " + bad.path() + ": Verilator rejected the design: %Error: "), std::string::npos)
      << out;
  EXPECT_NE(out.find("syntax error"), std::string::npos) << out;
}

// --formal: a bug that fires for one 64-bit activation pattern in 2^64 passes 100,000 random
// co-simulation cycles and is found by the formal check, with the pattern in its counterexample.
TEST(VerifyPeFormal, OnePatternBugMissedByRandomStimulusFoundByFormal) {
  const std::string pe = kRtl + "test/bitsys_pe_binary_one_pattern.v";
  std::string out;
  EXPECT_EQ(
      test::run_bitsys("verify-pe --rtl " + pe + " --kind binary --workdir " + test::TempFile::dir() + "/vp-one", &out),
      0)
      << out;
  EXPECT_NE(out.find("PASS:"), std::string::npos) << out;
  const std::string work = test::TempFile::dir() + "/vpf-one";
  EXPECT_EQ(test::run_bitsys("verify-pe --formal --rtl " + pe + " --kind binary --workdir " + work, &out), 1) << out;
  EXPECT_NE(out.find("FAIL: bitsys_pe_binary_one_pattern differs from the binary reference PE"), std::string::npos)
      << out;
  // The pattern arrives as an activation word: on h_in (OS, WS) or v_in (the IS preload), low 64 bits.
  EXPECT_NE(out.find("deadbeefcafef00d"), std::string::npos) << out;
  struct stat st {};
  EXPECT_EQ(stat((work + "/bitsys_pe_binary_one_pattern-counterexample.vcd").c_str(), &st), 0) << out;
}

TEST(VerifyPeFormal, ShippedAndRestructuredPesAreProvenEqualAndTheBrokenOneIsNot) {
  std::string out;
  const std::string work = test::TempFile::dir() + "/vpf-";
  EXPECT_EQ(test::run_bitsys(
                "verify-pe --formal --rtl " + kRtl + "bitsys_pe_binary.v --kind binary --workdir " + work + "b", &out),
            0)
      << out;
  EXPECT_NE(
      out.find("EQUAL: bitsys_pe_binary is equal to the binary reference PE (LANES=64) on every cycle from reset"),
      std::string::npos)
      << out;
  for (const char* kind : {"int8", "bitserial"}) {  // the other shipped PEs, at their default lanes
    EXPECT_EQ(test::run_bitsys("verify-pe --formal --rtl " + kRtl + "bitsys_pe_" + kind + ".v --kind " + kind +
                                   " --workdir " + work + kind,
                               &out),
              0)
        << out;
    EXPECT_NE(out.find("EQUAL: bitsys_pe_" + std::string(kind) + " is equal to the " + kind + " reference PE"),
              std::string::npos)
        << out;
  }
  // Lanes summed in the other order: another circuit, the same function.
  EXPECT_EQ(test::run_bitsys("verify-pe --formal --rtl " + kRtl +
                                 "test/bitsys_pe_int8_reordered.v --kind int8 --lanes 2 --workdir " + work + "r",
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("EQUAL:"), std::string::npos) << out;
  EXPECT_EQ(test::run_bitsys("verify-pe --formal --rtl " + kRtl +
                                 "test/bitsys_pe_binary_broken.v --kind binary --workdir " + work + "x",
                             &out),
            1)
      << out;
  EXPECT_NE(out.find("FAIL:"), std::string::npos) << out;
}

// A proof that cannot finish in its time says so: never "equal".
TEST(VerifyPeFormal, AProofOutOfTimeIsUndecidedNeverEqual) {
  std::string out;
  EXPECT_EQ(test::run_bitsys("verify-pe --formal --formal-timeout 2 --rtl " + kRtl +
                                 "test/bitsys_pe_int8_reordered.v --kind int8 --lanes 4 --workdir " +
                                 test::TempFile::dir() + "/vpf-u",
                             &out),
            3)
      << out;
  EXPECT_NE(out.find("UNDECIDED after "), std::string::npos) << out;
  EXPECT_EQ(out.find("EQUAL"), std::string::npos) << out;
}

}  // namespace
}  // namespace bitsys
