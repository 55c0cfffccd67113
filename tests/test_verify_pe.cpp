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

}  // namespace
}  // namespace bitsys
