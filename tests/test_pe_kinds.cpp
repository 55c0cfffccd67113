// Every PE kind computes exactly the plain integer dot product for every precision it takes,
// and runs at the throughput pe-semantics.md gives it.
#include <gtest/gtest.h>

#include <random>

#include "sim/pe/operand_encoding.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

std::vector<ActPrecision> all_act_precisions() {
  std::vector<ActPrecision> out;
  for (int bits = 1; bits <= 8; ++bits)
    for (bool s : {true, false}) {
      if (bits == 1 && !s) continue;  // 1 bit is +-1 whatever the signedness
      out.push_back(ActPrecision{bits, s});
    }
  return out;
}

std::vector<WeightPrecision> all_weight_precisions() {
  std::vector<WeightPrecision> out;
  for (int bits = 1; bits <= 8; ++bits) out.push_back(WeightPrecision::twos(bits));
  for (int bits = 1; bits <= 8; ++bits)
    out.push_back(WeightPrecision::sign_magnitude(static_cast<uint8_t>((1u << bits) - 1)));
  // CSQ masks whose kept planes are not contiguous, MSB off, single high plane.
  for (uint8_t mask : {0b01101000, 0b10000001, 0b00010100, 0b10101010, 0b01000000, 0b11110111})
    out.push_back(WeightPrecision::sign_magnitude(mask));
  return out;
}

/// Sum over beats of the kind's product, the way a PE accumulates.
int64_t pe_dot(const PeKind& kind, int lanes, const ActPrecision& ap, const WeightPrecision& wp, const IntGemm& g) {
  const BeatGemm b = encode_gemm(kind, lanes, ap, wp, g);
  int64_t acc = 0;
  for (int64_t k = 0; k < b.Kb; ++k) acc += kind.product(b.A[k], b.W[k]);
  return acc;
}

TEST(PeKinds, RegistryHasTheThreeKinds) {
  EXPECT_NE(find_pe_kind("int8"), nullptr);
  EXPECT_NE(find_pe_kind("binary"), nullptr);
  EXPECT_NE(find_pe_kind("bitserial"), nullptr);
  EXPECT_EQ(find_pe_kind("int9"), nullptr);
  EXPECT_EQ(pe_kind_names(), "binary, bitserial, int8");
}

TEST(PeKinds, ExactForEveryPrecisionFormatMaskAndLaneCount) {
  std::mt19937_64 rng(2024);
  int checked = 0;
  for (const PeKind* kind : pe_kinds())
    for (const auto& ap : all_act_precisions())
      for (const auto& wp : all_weight_precisions())
        for (int lanes : {1, kind->default_lanes(), kind->max_lanes()}) {
          ASSERT_EQ(kind->check(ap, wp), "");
          for (int64_t K : {1, lanes, 3 * lanes + 1, 67}) {
            const IntGemm g = random_gemm(1, K, 1, ap, wp, rng());
            const int64_t want = reference_gemm(g)[0];
            ASSERT_EQ(pe_dot(*kind, lanes, ap, wp, g), want)
                << kind->name() << " L" << lanes << " K" << K << " " << ap.str() << " x " << wp.str();
            ++checked;
          }
        }
  EXPECT_GT(checked, 1000);
}

TEST(PeKinds, ExtremeValuesAreExact) {
  // The corners of each range, where sign handling breaks first.
  for (const PeKind* kind : pe_kinds())
    for (const auto& ap : all_act_precisions())
      for (const auto& wp : all_weight_precisions()) {
        IntGemm g;
        g.M = g.N = 1;
        for (int32_t a : {static_cast<int32_t>(ap.min_value()), static_cast<int32_t>(ap.max_value())})
          for (int32_t w : {static_cast<int32_t>(wp.min_value()), static_cast<int32_t>(wp.max_value())}) {
            g.A.push_back(a);
            g.W.push_back(w);
          }
        g.K = static_cast<int64_t>(g.A.size());
        EXPECT_EQ(pe_dot(*kind, kind->default_lanes(), ap, wp, g), reference_gemm(g)[0])
            << kind->name() << " " << ap.str() << " x " << wp.str();
      }
}

TEST(PeKinds, ThroughputFollowsPeSemantics) {
  const PeKind& int8 = *find_pe_kind("int8");
  const PeKind& bin = *find_pe_kind("binary");
  const PeKind& bs = *find_pe_kind("bitserial");
  const ActPrecision a1{1, true}, a4{4, false}, a8{8, true};
  const auto w1 = WeightPrecision::twos(1), w3 = WeightPrecision::twos(3), w8 = WeightPrecision::twos(8);
  const auto csq = WeightPrecision::sign_magnitude(0b01101000);  // k = 3 planes
  // int8: one pass whatever the precision.
  EXPECT_EQ(int8.passes(a1, w1), 1);
  EXPECT_EQ(int8.passes(a8, w8), 1);
  // binary: a*w plane pairs; 1x1 is one XNOR pass; sign-magnitude splits each plane in two.
  EXPECT_EQ(bin.passes(a1, w1), 1);
  EXPECT_EQ(bin.passes(a4, w3), 12);
  EXPECT_EQ(bin.passes(a8, w8), 64);
  EXPECT_EQ(bin.passes(a4, csq), 4 * 6);
  // bitserial: one pass per kept weight plane, whichever planes they are.
  EXPECT_EQ(bs.passes(a8, w8), 8);
  EXPECT_EQ(bs.passes(a4, w3), 3);
  EXPECT_EQ(bs.passes(a8, csq), 3);
  EXPECT_EQ(bs.passes(a8, w1), 1);
  // With the default lanes, an 8x8-bit layer runs at 1 MAC/cycle/PE on every kind.
  for (const PeKind* k : pe_kinds()) EXPECT_EQ(k->default_lanes(), k->passes(a8, w8)) << k->name();
  EXPECT_EQ(beats_for(bin, 130, 64, a1, w1), 3);
  EXPECT_EQ(beats_for(bs, 17, 8, a8, csq), 9);
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

TEST(PeKinds, RefusesOperandsOutsideTheirPrecision) {
  const PeKind& bs = *find_pe_kind("bitserial");
  IntGemm g;
  g.M = g.K = g.N = 1;
  g.A = {9};
  g.W = {1};
  const ActPrecision a4{4, true};
  try {
    encode_gemm(bs, 8, a4, WeightPrecision::twos(2), g);
    FAIL() << "9 is not a 4-bit signed activation";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("activation 9"), std::string::npos) << e.what();
  }
  g.A = {1};
  g.W = {1};
  EXPECT_THROW(encode_gemm(bs, 8, a4, WeightPrecision::sign_magnitude(0b10), g),
               std::invalid_argument);                                                       // plane 0 not kept
  EXPECT_THROW(encode_gemm(bs, 9, a4, WeightPrecision::twos(2), g), std::invalid_argument);  // too many lanes
  g.A = {0};
  EXPECT_THROW(encode_gemm(bs, 8, ActPrecision{1, true}, WeightPrecision::twos(2), g),
               std::invalid_argument);  // 1 bit is +-1
}

}  // namespace
}  // namespace bitsys

namespace bitsys {
namespace {

struct WorkedBeat {
  const char* kind;
  int lanes;
  ActPrecision ap;
  WeightPrecision wp;
  std::vector<int32_t> a, w;
  int beat;  ///< which beat of the chunk
  uint64_t act_word, bits, sign;
  uint16_t ctrl;
  int64_t product;
};

// The worked beats of rtl/README.md ("Port contract"), derived there by hand: the encoder must
// produce exactly these words and the kind's product exactly these values.
TEST(PeKinds, WorkedBeatsOfRtlReadme) {
  const WorkedBeat cases[] = {
      // activation plane 0 x weight plane 1 (the two's-complement sign plane): beat 1 of 4
      {"binary", 4, {2, false}, WeightPrecision::twos(2), {3, 1, 0, 2}, {1, -2, -1, 1}, 1, 0x3, 0x6, 0, 0x0c11, -2},
      {"binary", 4, {1, true}, WeightPrecision::twos(1), {1, -1, 1, 1}, {1, 1, -1, 1}, 0, 0xd, 0xb, 0, 0x0c20, 0},
      // planes 0 and 2 kept: beat 1 is plane 2
      {"bitserial",
       4,
       {8, true},
       WeightPrecision::sign_magnitude(0x05),
       {-3, 100, 7, -128},
       {5, -4, 0, -1},
       1,
       0x800764fd,
       0x3,
       0xa,
       0x0c82,
       -412},
      {"int8",
       2,
       {8, false},
       WeightPrecision::sign_magnitude(0xff),
       {200, 17},
       {-255, 3},
       0,
       0x11c8,
       0x03ff,
       0x1,
       0x0100,
       -50949},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.kind) + " " + c.ap.str() + " x " + c.wp.str());
    const PeKind& kind = *find_pe_kind(c.kind);
    const int64_t K = static_cast<int64_t>(c.a.size());
    std::vector<uint64_t> words(static_cast<size_t>(beats_for(kind, K, c.lanes, c.ap, c.wp)));
    std::vector<Beat> beats(words.size());
    kind.encode_activations(c.a.data(), K, c.lanes, c.ap, c.wp, words.data());
    kind.encode_weights(c.w.data(), K, c.lanes, c.ap, c.wp, beats.data());
    const Beat& b = beats[static_cast<size_t>(c.beat)];
    EXPECT_EQ(words[static_cast<size_t>(c.beat)], c.act_word);
    EXPECT_EQ(b.bits, c.bits);
    EXPECT_EQ(b.sign, c.sign);
    EXPECT_EQ(b.ctrl, c.ctrl);
    EXPECT_EQ(kind.product(c.act_word, b), c.product);
  }
}

}  // namespace
}  // namespace bitsys
