// Values: the integer semantics and storage codes by hand, and whole networks computed by the
// SystemC system from the bytes it moves, equal to the independent reference layer by layer.
#include <gtest/gtest.h>

#include "sim/engine/crosscheck.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "sim/values/codec.h"
#include "sim/values/semantics.h"
#include "test_util.h"

namespace bitsys {
namespace {

TEST(Values, RoundingAndSaturationByHand) {
  // round_shift rounds half up: 5/4 = 1.25 -> 1, 6/4 = 1.5 -> 2, -6/4 = -1.5 -> -1, -7/4 -> -2.
  EXPECT_EQ(round_shift(5, 2), 1);
  EXPECT_EQ(round_shift(6, 2), 2);
  EXPECT_EQ(round_shift(-6, 2), -1);
  EXPECT_EQ(round_shift(-7, 2), -2);
  // Means rounded half up: 7/2 = 3.5 -> 4, -7/2 = -3.5 -> -3, -8/3 = -2.67 -> -3.
  EXPECT_EQ(rounded_mean(7, 2), 4);
  EXPECT_EQ(rounded_mean(-7, 2), -3);
  EXPECT_EQ(rounded_mean(-8, 3), -3);
  EXPECT_EQ(saturate(200, ActPrecision{8, true}), 127);
  EXPECT_EQ(saturate(-3, ActPrecision{4, false}), 0);
  EXPECT_EQ(saturate(0, ActPrecision{1, true}), 1);  // +-1 maps: 0 counts as positive
  EXPECT_EQ(saturate(-1, ActPrecision{1, true}), -1);
}

TEST(Values, StorageCodesByHand) {
  // a4s: -3 is 1101; a1: +1 is 1, -1 is 0; sm mask 01101000 keeps planes 3, 5, 6: -40 = -(32 + 8)
  // stores magnitude bits (plane 3, 5, 6) = (1, 1, 0) -> 011, sign 1 above them: 1011.
  EXPECT_EQ(encode_act(-3, ActPrecision{4, true}), 0xDu);
  EXPECT_EQ(decode_act(0xD, ActPrecision{4, true}), -3);
  EXPECT_EQ(decode_act(0xD, ActPrecision{4, false}), 13);
  EXPECT_EQ(encode_act(-1, ActPrecision{1, true}), 0u);
  const WeightPrecision sm = WeightPrecision::sign_magnitude(0b01101000);
  EXPECT_EQ(encode_weight(-40, sm), 0b1011u);
  EXPECT_EQ(decode_weight(0b1011, sm), -40);
  for (int v = -104; v <= 104; v += 8)
    if (sm.representable(v)) EXPECT_EQ(decode_weight(encode_weight(v, sm), sm), v) << v;
  // A 5-bit field across a byte boundary: bits 6..10.
  uint8_t bytes[3] = {0, 0, 0};
  put_bits(bytes, 6, 5, 0b10111);
  EXPECT_EQ(bytes[0], 0b11000000);
  EXPECT_EQ(bytes[1], 0b101);
  EXPECT_EQ(get_bits(bytes, 6, 5), 0b10111u);
}

RunOptions verified() {
  RunOptions o;
  o.verify = true;
  o.seed = 7;
  return o;
}

ArchConfig arch(const char* kind, Dataflow df, double kib) {
  ArchConfig a;
  a.name = "t";
  a.file = "t";
  a.rows = 4;
  a.cols = 3;
  a.dataflow = df;
  a.pe = find_pe_kind(kind);
  a.lanes = a.pe->default_lanes();
  a.ifmap_kib = a.filter_kib = a.ofmap_kib = kib;
  a.dram_bytes_per_cycle = 2;
  a.dram_latency_cycles = 5;
  a.vector_lanes = 4;
  return a;
}

// Every vector-unit op and both free ops, through buffers small enough that every tensor
// streams in several tiles, in every dataflow: each layer equals the reference.
TEST(Values, EveryOpComputedFromTheBuffersEqualsTheReference) {
  test::TempFile net("ops.json", R"({"name": "ops", "inputs": [{"name": "x", "shape": [6, 9, 10], "bits": 6}],
    "layers": [
      {"name": "c1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "weights": {"bits": 4}, "output": {"bits": 8}},
      {"name": "bn", "type": "scale_bias", "output": {"bits": 7}},
      {"name": "pr", "type": "prelu", "output": {"bits": 7}},
      {"name": "bs", "type": "bias_shift", "output": {"bits": 7}},
      {"name": "mp", "type": "maxpool", "kernel": 3, "stride": 2, "padding": 1, "output": {"bits": 7}},
      {"name": "c2", "type": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1, "weights": {"bits": 3}, "output": {"bits": 7}},
      {"name": "add", "type": "add", "inputs": ["mp", "c2"], "output": {"bits": 8}},
      {"name": "up", "type": "upsample", "scale": 2, "mode": "bilinear", "output": {"bits": 8}},
      {"name": "near", "type": "upsample", "inputs": ["add"], "scale": 2, "output": {"bits": 8}},
      {"name": "cat", "type": "concat", "inputs": ["up", "near"], "output": {"bits": 8}},
      {"name": "shuf", "type": "upsample", "scale": 2, "mode": "pixel_shuffle", "output": {"bits": 8}},
      {"name": "rq", "type": "requantize", "output": {"bits": 4}},
      {"name": "ap", "type": "avgpool", "kernel": 2, "stride": 2, "output": {"bits": 4}},
      {"name": "sg", "type": "sign", "output": {"bits": 1}},
      {"name": "c3", "type": "conv2d", "out_channels": 5, "kernel": 3, "padding": 1, "weights": {"bits": 1}, "output": {"bits": 8}},
      {"name": "gp", "type": "avgpool", "global": true, "output": {"bits": 8}},
      {"name": "fc", "type": "fc", "out_features": 3, "weights": {"bits": 8}, "output": {"bits": 8}}]})");
  const LoweredNetwork n = lower(load_workload(net.path()));
  for (Dataflow df : {Dataflow::OS, Dataflow::WS, Dataflow::IS})
    for (const char* kind : {"int8", "binary", "bitserial"}) {
      const CrossCheck c = crosscheck(arch(kind, df, 1), n, verified());
      EXPECT_TRUE(c.equal()) << kind << " " << dataflow_info(df).name << ": " << c.differences.front();
      EXPECT_TRUE(c.systemc.verified) << kind << " " << dataflow_info(df).name;
    }
}

// A layer whose first tile loads what the previous layer's last tile writes back must wait for
// that write: with ideal memory the load would otherwise land before the write and read stale
// bytes. The sign writes its 16 x 20 x 20 one-bit map (800 B) back in 13 tiles of 512 input bytes;
// the last covers channel 15's pixels 144..399. The conv's 800 B input does not fit a 512 B half,
// so its first WS tile streams 12 rows (240 pixels) of all 16 channels: channel 15's pixels
// 144..239 among them.
TEST(Values, ALayerReadsWhatThePreviousLayerWroteLast) {
  test::TempFile net("dep.json", R"({"name": "dep", "inputs": [{"name": "x", "shape": [16, 20, 20], "bits": 8}],
    "layers": [{"name": "sg", "type": "sign", "output": {"bits": 1}},
               {"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "weights": {"bits": 1}, "output": {"bits": 8}}]})");
  ArchConfig a = arch("binary", Dataflow::WS, 1);
  a.dram_unlimited = true;
  const CrossCheck c = crosscheck(a, lower(load_workload(net.path())), verified());
  EXPECT_TRUE(c.equal()) << c.differences.front();
  EXPECT_TRUE(c.systemc.verified);
  EXPECT_TRUE(c.analytic.layers[0].memory.tiles >= 13u);
  EXPECT_FALSE(c.analytic.layers[1].memory.ifmap_resident);
}

}  // namespace
}  // namespace bitsys
