// Each RTL PE, verilated, runs in lockstep with the golden model for 100,000+ cycles of random
// stimulus covering every precision and CSQ mask its kind accepts, with resets mid-run; a
// planted bug is caught and reported with its cycle, inputs and both outputs.
#include <gtest/gtest.h>

#include "rtl/cosim/pe_lockstep.h"
#include "test_util.h"

namespace bitsys {
namespace {

struct Harness {
  const char* kind;
  const char* exe;
  int lanes;
};

const Harness kHarnesses[] = {
    {"int8", BITSYS_PE_HARNESS_INT8, 4},
    {"binary", BITSYS_PE_HARNESS_BINARY, 64},
    {"bitserial", BITSYS_PE_HARNESS_BITSERIAL, 8},
};

TEST(RtlPe, EveryKindMatchesTheGoldenModelEveryCycle) {
  for (const Harness& h : kHarnesses) {
    SCOPED_TRACE(h.kind);
    const PeKind& kind = *find_pe_kind(h.kind);
    const Stimulus stim = make_stimulus(kind, h.lanes, 120000, 42);
    EXPECT_GE(stim.episodes.size(), 200u);  // many precision pairs, every dataflow
    const auto rtl = run_harness(h.exe, stim, test::TempFile::dir());
    ASSERT_EQ(rtl.size(), stim.cycles.size());
    const auto m = first_mismatch(kind, stim, rtl);
    EXPECT_FALSE(m.has_value()) << describe(*m);
  }
}

/// The activation word a stimulus cycle presents (IS: from above, for the preload).
uint64_t activation(const bitsys_rtl::PeStimulus& c) {
  return c.df == 2 ? c.v.w : c.h.w;
}
uint64_t weight_bits(const bitsys_rtl::PeStimulus& c) {
  return c.df == 2 ? c.h.w : c.v.w;
}

TEST(RtlPe, StimulusCoversResetsStallsAndEveryDataflow) {
  const Stimulus s = make_stimulus(*find_pe_kind("bitserial"), 8, 100000, 1);
  uint64_t rst = 0, stalled = 0, os = 0, ws = 0, is = 0, drains = 0, loads = 0;
  for (const auto& c : s.cycles) {
    rst += c.rst;
    stalled += !c.en;
    os += c.df == 0;
    ws += c.df == 1;
    is += c.df == 2;
    drains += c.drain;
    loads += c.load;
  }
  EXPECT_TRUE(s.cycles[50000].rst);  // the mid-run reset
  EXPECT_GT(stalled, 5000u);
  EXPECT_GT(os, 25000u);
  EXPECT_GT(ws, 25000u);
  EXPECT_GT(is, 25000u);
  EXPECT_GT(drains, 500u);
  EXPECT_GT(loads, 5000u);
  bool noncontiguous_mask = false;
  for (const auto& e : s.episodes) noncontiguous_mask = noncontiguous_mask || e.find("sm[") != std::string::npos;
  EXPECT_TRUE(noncontiguous_mask);
}

// Every lane carries data and every lane is set at once, so a popcount or adder that loses its
// top lanes or its top bit cannot pass (a 6-bit popcount of 64 lanes once did).
TEST(RtlPe, StimulusReachesEveryLaneAndTheCorners) {
  const Stimulus bin = make_stimulus(*find_pe_kind("binary"), 64, 120000, 42);
  uint64_t lanes_seen = 0, all_set = 0, all_matched = 0;
  for (const auto& c : bin.cycles) {
    lanes_seen |= activation(c);
    all_set += activation(c) == ~uint64_t{0};
    all_matched += (activation(c) & weight_bits(c)) == ~uint64_t{0};
  }
  EXPECT_EQ(lanes_seen, ~uint64_t{0}) << "some lane never carries a one";
  EXPECT_GT(all_set, 100u);
  EXPECT_GT(all_matched, 10u);
  bool max_episode = false, min_episode = false;
  for (const auto& e : bin.episodes) {
    max_episode = max_episode || e.find(" max") != std::string::npos;
    min_episode = min_episode || e.find(" min") != std::string::npos;
  }
  EXPECT_TRUE(max_episode && min_episode);
  // Bit-serial: all 8 lanes at byte 0xFF (255 unsigned, the largest activation).
  const Stimulus ser = make_stimulus(*find_pe_kind("bitserial"), 8, 120000, 42);
  uint64_t full = 0;
  for (const auto& c : ser.cycles) full += activation(c) == ~uint64_t{0};
  EXPECT_GT(full, 10u);
}

TEST(RtlPe, PlantedBugIsCaughtWithCycleInputsAndOutputs) {
  const PeKind& kind = *find_pe_kind("binary");
  const Stimulus stim = make_stimulus(kind, 64, 100000, 42);
  const auto rtl = run_harness(BITSYS_PE_HARNESS_BINARY_BROKEN, stim, test::TempFile::dir());
  const auto m = first_mismatch(kind, stim, rtl);
  ASSERT_TRUE(m.has_value());
  // The bug adds one to a popcount when lanes 0 and 1 of a are both set; outside IS (where the
  // activation is the one held) a mismatch can only appear on a cycle with such an activation.
  if (m->in.df != 2) EXPECT_EQ(m->in.h.w & 3u, 3u);
  const std::string report = describe(*m);
  EXPECT_NE(report.find("cycle " + std::to_string(m->cycle)), std::string::npos) << report;
  EXPECT_NE(report.find("inputs:"), std::string::npos) << report;
  EXPECT_NE(report.find("acc: RTL"), std::string::npos) << report;
  EXPECT_NE(report.find("golden model"), std::string::npos) << report;
}

}  // namespace
}  // namespace bitsys
