// Tensors a user supplies (.npy) drive the SystemC model: its written outputs equal a direct
// convolution computed here (grouped, strided, padded; 1-bit activations padded with -1) passed
// through the output stage, and bad tensors are refused with one line naming the file.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <random>

#include "sim/io/npy.h"
#include "test_util.h"

namespace bitsys {
namespace {

TEST(Tensors, NpyReadsIntegerDtypesAndRoundTrips) {
  const std::string p = test::TempFile::dir() + "/a.npy";
  write_npy(p, {2, 3}, {1, -2, 3, -4, 5, -6000000000LL});
  const NpyArray a = read_npy(p);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<int64_t>{1, -2, 3, -4, 5, -6000000000LL}));
  // An int8 array as NumPy writes it (format 1.0, header padded to 64 bytes).
  std::string header = "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header +
                      std::string("\xfb\x07\x80", 3);
  std::ofstream(test::TempFile::dir() + "/b.npy", std::ios::binary) << bytes;
  EXPECT_EQ(read_npy(test::TempFile::dir() + "/b.npy").data, (std::vector<int64_t>{-5, 7, -128}));
  std::ofstream(test::TempFile::dir() + "/c.npy", std::ios::binary) << "not numpy";
  test::expect_input_error([&] { read_npy(test::TempFile::dir() + "/c.npy"); }, {"c.npy", "not a .npy file"});
}

struct Conv {
  int64_t cin = 4, h = 7, w = 9, cout = 6, k = 3, stride = 2, pad = 1, groups = 2;
  int64_t oh() const { return (h + 2 * pad - k) / stride + 1; }
  int64_t ow() const { return (w + 2 * pad - k) / stride + 1; }
};

std::vector<int64_t> direct_conv(const Conv& c, const std::vector<int64_t>& x, const std::vector<int64_t>& wt,
                                 int64_t pad_value) {
  std::vector<int64_t> y(static_cast<size_t>(c.cout * c.oh() * c.ow()), 0);
  const int64_t cin_g = c.cin / c.groups, cout_g = c.cout / c.groups;
  for (int64_t o = 0; o < c.cout; ++o)
    for (int64_t i = 0; i < c.oh(); ++i)
      for (int64_t j = 0; j < c.ow(); ++j) {
        int64_t s = 0;
        for (int64_t ci = 0; ci < cin_g; ++ci)
          for (int64_t a = 0; a < c.k; ++a)
            for (int64_t b = 0; b < c.k; ++b) {
              const int64_t yy = i * c.stride - c.pad + a, xx = j * c.stride - c.pad + b;
              const int64_t ch = (o / cout_g) * cin_g + ci;
              const int64_t v = yy >= 0 && yy < c.h && xx >= 0 && xx < c.w ? x[(ch * c.h + yy) * c.w + xx] : pad_value;
              s += v * wt[((o * cin_g + ci) * c.k + a) * c.k + b];
            }
        y[(o * c.oh() + i) * c.ow() + j] = s;
      }
  return y;
}

/// The output stage (sim/values/README.md) on c1's accumulators, then the fused relu: shift by s
/// rounding half up, saturate to c1's 8-bit signed output, then max(0, x).
std::vector<int64_t> output_stage(std::vector<int64_t> acc, int shift) {
  for (auto& v : acc) {
    const int64_t shifted = shift ? (v + (int64_t{1} << (shift - 1))) >> shift : v;
    v = std::max<int64_t>(0, std::clamp<int64_t>(shifted, -128, 127));
  }
  return acc;
}

/// c1's shift: K = (4 / 2 groups) * 3 * 3 = 18, ceil(sqrt(18)) = 5 takes 3 bits; the largest
/// weight magnitude of w3 is 4 (3 bits); activations a4s: 8 (4 bits), a1: 1 (1 bit). The output
/// a8s holds magnitudes of 8 bits (128). Shift = 3 + 4 + 3 - 8 = 2 for a4s; 3 + 1 + 3 - 8 < 0,
/// so 0, for a1.
int c1_shift(int act_bits) {
  return act_bits == 1 ? 0 : 2;
}

void check_layer(const std::string& arch_kind, int act_bits, uint64_t seed) {
  const Conv c;
  const std::string dir = test::TempFile::dir() + "/t" + std::to_string(seed);
  ASSERT_TRUE(make_directories(dir));
  std::mt19937_64 rng(seed);
  std::vector<int64_t> x(static_cast<size_t>(c.cin * c.h * c.w)),
      wt(static_cast<size_t>(c.cout * (c.cin / c.groups) * c.k * c.k));
  for (auto& v : x) v = act_bits == 1 ? ((rng() & 1) ? 1 : -1) : static_cast<int64_t>(rng() % 16) - 8;
  for (auto& v : wt) v = static_cast<int64_t>(rng() % 7) - 3;
  write_npy(dir + "/c1.input.npy", {1, c.cin, c.h, c.w}, x);
  write_npy(dir + "/c1.weights.npy", {c.cout, c.cin / c.groups, c.k, c.k}, wt);
  test::TempFile net("tnet" + std::to_string(seed) + ".json",
                     R"({"name": "t", "inputs": [{"name": "x", "shape": [4, 7, 9], "bits": )" +
                         std::to_string(act_bits) + R"(}], "layers": [
      {"name": "c1", "type": "conv2d", "out_channels": 6, "kernel": 3, "stride": 2, "padding": 1, "groups": 2, "weights": {"bits": 3}},
      {"name": "r1", "type": "relu"}, {"name": "fc", "type": "fc", "out_features": 5}]})");
  test::TempFile arch(
      "tarch" + std::to_string(seed) + ".json",
      R"({"name": "a", "rows": 4, "cols": 3, "dataflow": "ws", "pe": {"kind": ")" + arch_kind + R"("}})");
  std::string out;
  ASSERT_EQ(test::run_bitsys("run --fidelity systemc --verify --arch " + arch.path() + " --workload " + net.path() +
                                 " --tensors " + dir + " --write-outputs",
                             &out),
            0)
      << out;
  EXPECT_NE(out.find("1 GEMM layer computed on the supplied tensors"), std::string::npos) << out;
  const NpyArray y = read_npy(dir + "/c1.output.npy");
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, c.cout, c.oh(), c.ow()}));
  EXPECT_EQ(y.data, output_stage(direct_conv(c, x, wt, act_bits == 1 ? -1 : 0), c1_shift(act_bits)));
  // Every layer's output is written, not only those of layers with supplied tensors.
  EXPECT_EQ(read_npy(dir + "/fc.output.npy").shape, (std::vector<int64_t>{1, 5}));
  // The relu the output stage applies has its file too: the tensor c1 emits.
  EXPECT_EQ(read_npy(dir + "/r1.output.npy").data, y.data);
}

TEST(Tensors, SuppliedConvMatchesADirectConvolution) {
  check_layer("bitserial", 4, 1);
}
TEST(Tensors, OneBitActivationsPadWithMinusOne) {
  check_layer("binary", 1, 2);
}

TEST(Tensors, BadTensorsAreRefusedWithOneLine) {
  const std::string dir = test::TempFile::dir() + "/bad";
  ASSERT_TRUE(make_directories(dir));
  test::TempFile net("bnet.json", R"({"name": "t", "inputs": [{"name": "x", "shape": [2, 4, 4], "bits": 4}], "layers": [
      {"name": "c1", "type": "conv2d", "out_channels": 3, "kernel": 3, "padding": 1, "weights": {"bits": 3}}]})");
  const std::string arch = std::string(BITSYS_SOURCE_DIR) + "/configs/int8-32x32.json";
  const std::string base = "run --fidelity systemc --arch " + arch + " --workload " + net.path() + " --tensors " + dir;
  std::string out;
  write_npy(dir + "/c1.input.npy", {1, 2, 4, 4}, std::vector<int64_t>(32, 1));
  EXPECT_EQ(test::run_bitsys(base, &out), 2);
  EXPECT_NE(out.find("c1.input.npy: layer 'c1': comes without its weights file"), std::string::npos) << out;
  write_npy(dir + "/c1.weights.npy", {3, 2, 3, 5}, std::vector<int64_t>(90, 1));
  EXPECT_EQ(test::run_bitsys(base, &out), 2);
  EXPECT_NE(out.find("c1.weights.npy: field 'shape': (3, 2, 3, 5) does not fit the layer: expected (3, 2, 3, 3)"),
            std::string::npos)
      << out;
  write_npy(dir + "/c1.weights.npy", {3, 2, 3, 3}, std::vector<int64_t>(54, 1));
  write_npy(dir + "/c1.input.npy", {1, 2, 4, 4}, std::vector<int64_t>(32, 9));  // 9 is not a 4-bit signed value
  EXPECT_EQ(test::run_bitsys(base, &out), 2);
  EXPECT_NE(out.find("layer 'c1'"), std::string::npos) << out;
  EXPECT_NE(out.find("activation 9"), std::string::npos) << out;
  EXPECT_EQ(test::run_bitsys("run --arch " + arch + " --workload " + net.path() + " --tensors " + dir, &out),
            2);  // analytic computes no values
}

}  // namespace
}  // namespace bitsys
