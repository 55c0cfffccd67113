// Every malformed or out-of-range input is one InputError line naming the file, the place and
// the field (library level); the CLI turns it into a non-zero exit with no partial output.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <array>
#include <cstdio>

#include "sim/io/arch_json.h"
#include "sim/io/workload_loader.h"
#include "sim/ir/arch_config.h"
#include "sim/lowering/lower.h"
#include "sim/timing/analytic.h"
#include "test_util.h"

namespace bitsys {
namespace {

using test::expect_input_error;
using test::TempFile;

std::string net_with(const std::string& layer, const std::string& shape = "[3, 8, 8]") {
  return R"({"name": "n", "inputs": [{"name": "x", "shape": )" + shape + R"(}], "layers": [)" + layer + "]}";
}

void expect_workload_error(const std::string& text, std::initializer_list<std::string> fragments) {
  TempFile f("bad.json", text);
  std::vector<std::string> all(fragments);
  all.push_back(f.path());
  try {
    lower(load_workload(f.path()));
    ADD_FAILURE() << "accepted: " << text;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& s : all) EXPECT_NE(msg.find(s), std::string::npos) << "'" << s << "' missing from: " << msg;
  }
}

TEST(BadInput, MissingFile) {
  expect_input_error([] { load_workload("/nonexistent/net.json"); }, {"/nonexistent/net.json", "no such file"});
  expect_input_error([] { load_arch("/nonexistent/arch.json"); }, {"/nonexistent/arch.json", "no such file"});
}

TEST(BadInput, TruncatedAndInvalidJson) {
  const std::string good = net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 3})");
  expect_workload_error(good.substr(0, good.size() / 2), {"invalid JSON"});
  expect_workload_error("{\"name\": \"n\", \"inputs\": [}", {"invalid JSON"});
  expect_workload_error("", {"empty"});
  // Found by the fuzzer: a number beyond a double's range is a JSON error too, not a crash.
  expect_workload_error(R"({"name": "n", "batch": 1E99999, "inputs": []})", {"invalid JSON", "number overflow"});
  expect_workload_error("hello", {"unknown workload format"});
}

TEST(BadInput, UnknownLayerTypeAndUnknownField) {
  expect_workload_error(net_with(R"({"name": "c", "type": "conv3d"})"), {"layer 'c'", "'type'", "conv3d", "conv2d"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernal": 3})"),
                        {"layer 'c'", "'kernal'", "unknown field"});
}

TEST(BadInput, ZeroAndNegativeSizes) {
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 0, "kernel": 3})"),
                        {"layer 'c'", "'out_channels'", "got 0"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": -3})"),
                        {"layer 'c'", "'kernel'", "got -3"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "stride": 0})"),
                        {"'stride'"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1})", "[0, 8, 8]"),
                        {"'c'", "got 0"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4.5, "kernel": 1})"),
                        {"'out_channels'", "integer"});
}

TEST(BadInput, KernelLargerThanPaddedInput) {
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 11, "padding": 1})"),
                        {"layer 'c'", "'kernel'", "larger than the padded input"});
}

TEST(BadInput, BitsOutOfRange) {
  expect_workload_error(
      net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "weights": {"bits": 0}})"),
      {"layer 'c' weights", "'bits'", "1..8", "got 0"});
  expect_workload_error(
      net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "output": {"bits": 9}})"),
      {"layer 'c' output", "'bits'", "got 9"});
}

TEST(BadInput, MaskWithNoPlaneOrWrongLength) {
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1,
                                     "weights": {"format": "sign_magnitude", "mask": "00000000"}})"),
                        {"layer 'c' weights", "'mask'", "no bit plane"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1,
                                     "weights": {"format": "sign_magnitude", "mask": [1, 0, 1]}})"),
                        {"'mask'", "exactly 8"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1,
                                     "weights": {"bits": 4, "mask": "11110000"}})"),
                        {"'mask'", "sign_magnitude"});
}

TEST(BadInput, MacCountOverflowingSixtyFourBits) {
  expect_workload_error(net_with(R"({"name": "big", "type": "conv2d", "out_channels": 1099511627776, "kernel": 1})",
                                 "[1099511627776, 1024, 1024]"),
                        {"layer 'big'", "overflows 64 bits"});
}

TEST(BadInput, GraphErrors) {
  expect_workload_error(
      net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "inputs": ["nope"]})"),
      {"layer 'c'", "'inputs'", "unknown tensor 'nope'"});
  expect_workload_error(net_with(R"({"name": "a", "type": "add"})"), {"layer 'a'", "'inputs'", "2 or more"});
  expect_workload_error(net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "groups": 2})"),
                        {"layer 'c'", "'groups'", "not divisible"});
}

TEST(BadInput, ArchitectureFields) {
  auto arch_error = [](const std::string& text, std::initializer_list<std::string> fr) {
    TempFile f("arch.json", text);
    std::vector<std::string> all(fr);
    expect_input_error([&] { load_arch(f.path()); }, fr);
    expect_input_error([&] { load_arch(f.path()); }, {f.path()});
  };
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int9"}})",
             {"arch pe", "'kind'", "int9", "binary, bitserial, int8"});
  arch_error(R"({"name": "a", "rows": 0, "cols": 32, "pe": {"kind": "int8"}})", {"'rows'", "got 0"});
  arch_error(R"({"name": "a", "rows": 8, "cols": 8, "pe": {"kind": "int8"}, "schedule": "overlaped"})",
             {"'schedule'", "overlaped", "did you mean", "overlapped"});
  arch_error(R"({"name": "a", "rows": 8, "cols": 8, "pe": {"kind": "int8"}, "vector_unit": {"schedule": "besides"}})",
             {"arch vector_unit", "'schedule'", "besides", "did you mean", "beside"});
  arch_error(R"({"name": "a", "rows": 8, "cols": 8, "pe": {"kind": "int8"}, "conventions": "scale-sim"})",
             {"'conventions'", "scale-sim", "bitsys, scalesim"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "dataflow": "rs", "pe": {"kind": "int8"}})",
             {"'dataflow'", "rs"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "binary", "lanes": 65}})", {"'lanes'", "1..64"});
  arch_error(
      R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "dram": {"bandwidth_bytes_per_cycle": -1}})",
      {"arch dram", "'bandwidth_bytes_per_cycle'"});
  arch_error(
      R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "dram": {"bandwidth_bytes_per_cycle": 0}})",
      {"arch dram", "'bandwidth_bytes_per_cycle'", "got 0"});
  arch_error(
      R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "dram": {"bandwidth_bytes_per_cycle": "fast"}})",
      {"'bandwidth_bytes_per_cycle'", "unlimited"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "buffers": {"ifmap_kib": 0}})",
             {"arch buffers", "'ifmap_kib'", "got 0"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "buffers": {"filter_kib": -4}})",
             {"'filter_kib'"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "dram": {"latency_cycles": -1}})",
             {"'latency_cycles'"});
  arch_error(R"({"name": "a", "rows": 32, "cols": 32, "pe": {"kind": "int8"}, "colums": 3})",
             {"'colums'", "unknown field"});
}

TEST(BadInput, TileThatCanNeverFitNamesTheBuffer) {
  // WS: one stationary weight tile of 32 rows x 32 columns at 8 bits is 1 KiB; half of a
  // 1 KiB filter buffer cannot hold it, whatever the tiling.
  TempFile arch("tiny.json", R"({"name": "tiny", "rows": 32, "cols": 32, "dataflow": "ws", "pe": {"kind": "int8"},
                                 "buffers": {"ifmap_kib": 64, "filter_kib": 1, "ofmap_kib": 64}})");
  TempFile net("n.json", net_with(R"({"name": "c", "type": "conv2d", "out_channels": 64, "kernel": 3, "padding": 1})",
                                  "[64, 8, 8]"));
  const ArchConfig a = load_arch(arch.path());
  const LoweredNetwork n = lower(load_workload(net.path()));
  expect_input_error([&] { analytic_network(a, n); }, {arch.path(), "layer 'c'", "'buffers.filter_kib'", "never fit"});
  // OS: one lane-chunk of K for 32 columns is 32 weight bytes; half of a 10-byte filter buffer is 5.
  TempFile os("os.json", R"({"name": "tiny", "rows": 32, "cols": 32, "dataflow": "os", "pe": {"kind": "int8"},
                             "buffers": {"ifmap_kib": 64, "filter_kib": 0.01, "ofmap_kib": 64}})");
  expect_input_error([&] { analytic_network(load_arch(os.path()), n); },
                     {"layer 'c'", "'buffers.filter_kib'", "never fit"});
}

TEST(BadInput, HugeLayerIsRefusedInsteadOfRunningForMinutes) {
  // 10^10 output pixels on a 32x32 array: hundreds of millions of tiles.
  TempFile net("huge.json",
               net_with(R"({"name": "c", "type": "conv2d", "out_channels": 512, "kernel": 3, "padding": 1})",
                        "[64, 100000, 100000]"));
  const ArchConfig a = load_arch(std::string(BITSYS_SOURCE_DIR) + "/configs/int8-32x32.json");
  const LoweredNetwork n = lower(load_workload(net.path()));
  expect_input_error([&] { analytic_network(a, n); }, {net.path(), "layer 'c'", "tiles", "shrink the layer"});
  // Found by the fuzzer: 244 M filters, refused before any tile is planned (it once took 10 s).
  TempFile wide("wide.csv", "Layer Name, M, N, K,\nTest 1,2785, 244442785, 249,\n");
  expect_input_error([&] { analytic_network(a, lower(load_workload(wide.path()))); }, {"layer 'Test 1'", "tiles"});
  // And one whose folds are few but each streams hundreds of thousands of chunks.
  TempFile tall("tall.csv", "Layer Name, M, N, K,\nT,5104444441,4144432,4,\n");
  expect_input_error([&] { analytic_network(a, lower(load_workload(tall.path()))); }, {"layer 'T'", "tiles"});
}

TEST(BadInput, ScaleSimTopologyWithMissingColumnOrValue) {
  TempFile missing_col("topo.csv",
                       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                       "Strides,\nConv1,224,224,7,7,3,2,\n");
  expect_input_error([&] { load_workload(missing_col.path()); },
                     {missing_col.path(), "'num filter'", "missing column"});
  TempFile missing_val("topo2.csv",
                       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                       "Strides,\nConv1,224,224,7,7,3,,2,\n");
  expect_input_error([&] { load_workload(missing_val.path()); },
                     {"line 2", "'Conv1'", "'num filter'", "missing value"});
  TempFile bad_val("topo3.csv", "Layer Name, M, N, K,\nQ,1024,x,64,\n");
  expect_input_error([&] { load_workload(bad_val.path()); }, {"line 2", "'n'", "not an integer"});
  // Found by the fuzzer: a NUL inside a number once ended it ("51\0...4441" read as 51).
  TempFile nul("topo-nul.csv", std::string("Layer Name, M, N, K,\nQ,51\0\0004441,5,64,\n", 38));
  expect_input_error([&] { load_workload(nul.path()); }, {"'m'", "not an integer"});
  TempFile zero("topo4.csv", "Layer Name, M, N, K,\nQ,0,5,64,\n");
  expect_input_error([&] { load_workload(zero.path()); }, {"'m'", "got 0"});
  TempFile kernel("topo5.csv",
                  "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                  "Strides,\nC,5,5,7,7,3,8,1,\n");
  expect_input_error([&] { lower(load_workload(kernel.path())); }, {"layer 'C'", "larger than the padded input"});
}

TEST(BadInput, ScaleSimConfigFields) {
  TempFile no_height("a.cfg", "[architecture_presets]\nArrayWidth: 32\nDataflow : os\n");
  expect_input_error([&] { load_arch(no_height.path()); }, {"'ArrayHeight'", "missing"});
  TempFile bad_df("b.cfg", "[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\nDataflow : xs\n");
  expect_input_error([&] { load_arch(bad_df.path()); }, {"line 4", "'Dataflow'", "xs"});
  TempFile zero("c.cfg", "[architecture_presets]\nArrayHeight: 0\nArrayWidth: 32\nDataflow : os\n");
  expect_input_error([&] { load_arch(zero.path()); }, {"'ArrayHeight'", "got 0"});
}

// ---- the CLI --------------------------------------------------------------------------------

struct Exec {
  int code;
  std::string out, err;
};

Exec run_cli(const std::string& args) {
  Exec e;
  e.code = test::run_bitsys(args, &e.out, &e.err);
  return e;
}

bool exists(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0;
}

const std::string kSrc = BITSYS_SOURCE_DIR;

TEST(CliBadInput, EachBadInputExitsNonZeroWithOneLineAndNoOutputFile) {
  TempFile truncated("t.json", R"({"name": "n", "inputs": [{"name": "x", "shape": [3, 8)");
  TempFile bits9(
      "b.json", net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 1, "weights": {"bits": 9}})"));
  TempFile badcsv(
      "m.csv",
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Channels, Num Filter, Strides,\nC,8,8,3,3,8,1,\n");
  TempFile badpe("p.json", R"({"name": "a", "rows": 4, "cols": 4, "pe": {"kind": "quantum"}})");
  const std::string arch = kSrc + "/configs/int8-32x32.json";
  const std::string out_json = TempFile::dir() + "/out.json", out_csv = TempFile::dir() + "/out.csv";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--arch " + arch + " --workload /no/such.json", "no such file"},
      {"--arch " + arch + " --workload " + truncated.path(), "invalid JSON"},
      {"--arch " + arch + " --workload " + bits9.path(), "'bits'"},
      {"--arch " + arch + " --workload " + badcsv.path(), "missing column"},
      {"--arch " + badpe.path() + " --workload " + bits9.path(), "quantum"},
      {"--arch " + arch + " --workload " + kSrc + "/workloads/resnet20-int8.json --fidelity warp", "warp"},
      {"--arch " + arch + " --workload " + kSrc + "/workloads/resnet20-int8.json --baseline /no/base.json",
       "no such file"},
  };
  for (const auto& [args, fragment] : cases) {
    SCOPED_TRACE(args);
    std::remove(out_json.c_str());
    std::remove(out_csv.c_str());
    const Exec e = run_cli("run " + args + " --json " + out_json + " --csv " + out_csv);
    EXPECT_EQ(e.code, 2);
    EXPECT_NE(e.err.find(fragment), std::string::npos) << e.err;
    EXPECT_EQ(std::count(e.err.begin(), e.err.end(), '\n'), 1) << e.err;
    EXPECT_EQ(e.err.rfind("bitsys", 0), 0u) << e.err;
    EXPECT_FALSE(exists(out_json));
    EXPECT_FALSE(exists(out_csv));
  }
}

TEST(CliBadInput, UnknownCommandAndOptions) {
  EXPECT_EQ(run_cli("frobnicate").code, 2);
  const Exec e = run_cli("run --arch");
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("--arch"), std::string::npos) << e.err;
  EXPECT_EQ(run_cli("run --workload x.json").code, 2);  // --arch missing
}

// Messages point at the mistake: a typo is named with the field it may be, before any
// complaint about the field it hides; files given in each other's place say so.
TEST(CliBadInput, MessagesPointAtTheMistake) {
  const std::string arch = kSrc + "/configs/int8-32x32.json", net = kSrc + "/workloads/resnet20-int8.json";
  TempFile typo("typo.json", net_with(R"({"name": "c", "type": "conv2d", "out_channel": 4, "kernel": 1})"));
  TempFile late_typo("late.json", net_with(R"({"name": "c", "type": "conv2d", "out_channels": 4, "kernal": 1})"));
  TempFile arch_typo("a.json", R"({"name": "a", "row": 4, "cols": 4, "pe": {"kind": "binray"}})");
  TempFile kind_typo("k.json", R"({"name": "a", "rows": 4, "cols": 4, "pe": {"kind": "binray"}})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run --arch " + arch + " --workload " + typo.path(),
       "field 'out_channel': unknown field (did you mean 'out_channels'?)"},
      {"run --arch " + arch + " --workload " + late_typo.path(),
       "field 'kernal': unknown field (did you mean 'kernel'?)"},
      {"run --arch " + arch_typo.path() + " --workload " + net, "field 'row': unknown field (did you mean 'rows'?)"},
      {"run --arch " + kind_typo.path() + " --workload " + net, "unknown PE kind \"binray\" (did you mean \"binary\"?"},
      {"run --arch " + arch + " --wokload " + net, "unknown option '--wokload' (did you mean '--workload'?)"},
      {"run --arch " + net + " --workload " + arch,
       "this is a workload (network), not an architecture: give it as --workload"},
      {"run --arch " + arch + " --workload " + arch,
       "this is an architecture, not a workload (network): give it as --arch"},
      {"run --arch " + std::string(BITSYS_SHARED_DIR) + "/scalesim/topologies/Resnet18.csv --workload " + net,
       "give it as --workload"},
      {"rnu --arch " + arch, "unknown command \"rnu\" (did you mean \"run\"?"},
  };
  for (const auto& [args, fragment] : cases) {
    SCOPED_TRACE(args);
    const Exec e = run_cli(args);
    EXPECT_EQ(e.code, 2);
    EXPECT_NE(e.err.find(fragment), std::string::npos) << e.err;
    EXPECT_EQ(std::count(e.err.begin(), e.err.end(), '\n'), 1) << e.err;
  }
}

// Output folders are created as needed, but only once the inputs are known good; an output
// path under a file fails before anything runs.
TEST(CliBadInput, OutputFoldersAreCreatedOnlyForGoodRuns) {
  const std::string arch = kSrc + "/configs/int8-32x32.json", net = kSrc + "/workloads/resnet20-int8.json";
  TempFile file("plain.txt", "x");
  Exec e = run_cli("run --arch " + arch + " --workload " + net + " --json " + file.path() + "/out.json");
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("is a file, not a folder"), std::string::npos) << e.err;
  EXPECT_TRUE(e.out.empty()) << e.out;
  const std::string fresh = TempFile::dir() + "/fresh-" + std::to_string(getpid());
  e = run_cli("run --arch /no/such.json --workload " + net + " --json " + fresh + "/a/r.json --scalesim-report " +
              fresh + "/s");
  EXPECT_EQ(e.code, 2);
  EXPECT_FALSE(exists(fresh)) << "a bad run created its output folders";
  e = run_cli("run -q --arch " + arch + " --workload " + net + " --json " + fresh + "/a/r.json --scalesim-report " +
              fresh + "/s");
  EXPECT_EQ(e.code, 0) << e.err;
  EXPECT_TRUE(exists(fresh + "/a/r.json"));
  EXPECT_TRUE(exists(fresh + "/s/COMPUTE_REPORT.csv"));
}

}  // namespace
}  // namespace bitsys
