// The SystemC fidelity: the network's tile plan replayed on the cycle-accurate system
// (controller, DRAM channel, buffers, array, vector unit) with real values. DRAM starts with the
// network's inputs and weights (seeded random values of each precision, or the user's tensors);
// every tile moves the bytes its plan names; the array and vector unit compute from what the
// buffers hold. --verify compares every layer's output with the independent whole-network
// reference (sim/values); cycles are what the simulation measured.
#include "models/system/systemc_fidelity.h"

#include <unistd.h>

#include "models/array/buffer_operands.h"
#include "models/system/systemc_engine.h"
#include "sim/fidelity/fidelity.h"
#include "sim/io/input_error.h"
#include "sim/io/npy.h"
#include "sim/lowering/output_shape.h"
#include "sim/timing/analytic.h"
#include "sim/values/codec.h"
#include "sim/values/values.h"

namespace bitsys {
namespace {

std::string dims(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

bool readable(const std::string& f) {
  return access(f.c_str(), R_OK) == 0;
}

/// Network inputs and weights: seeded values, replaced by <layer>.input.npy / <layer>.weights.npy
/// where the user supplies them. Returns how many GEMM layers take supplied tensors.
uint64_t starting_values(const LoweredNetwork& net, const RunOptions& opt, NetworkValues& v) {
  v = random_values(net, opt.seed);
  if (opt.tensors_dir.empty()) return 0;
  uint64_t supplied = 0;
  for (uint32_t i = 0; i < net.ops.size(); ++i) {
    const LoweredOp& op = net.ops[i];
    if (op.placement != OpPlacement::Array) continue;
    const std::string in_file = opt.tensors_dir + "/" + op.name + ".input.npy";
    const std::string w_file = opt.tensors_dir + "/" + op.name + ".weights.npy";
    const bool has_in = readable(in_file), has_w = readable(w_file);
    const std::string where = "layer '" + op.name + "'";
    if (!has_in && !has_w) continue;
    bool produced = false;  // a layer inside the network takes supplied weights alone
    for (uint32_t j = 0; j < i; ++j) produced = produced || net.ops[j].emits == op.inputs.front();
    if (has_in != has_w && !(has_w && produced))
      fail_input(has_in ? in_file : w_file, where, "",
                 "comes without its " + std::string(has_in ? "weights" : "input") + " file");
    ++supplied;
    const NpyArray w = read_npy(w_file);
    IntTensor& wt = v.weights.at(i);
    const std::vector<int64_t> w_shape = op.type == LayerType::FullyConnected
                                             ? std::vector<int64_t>{wt.n, wt.c}
                                             : std::vector<int64_t>{wt.n, wt.c, wt.h, wt.w};
    if (w.shape != w_shape)
      fail_input(w_file, "", "shape", dims(w.shape) + " does not fit the layer: expected " + dims(w_shape));
    for (size_t k = 0; k < w.data.size(); ++k) {
      if (!op.weights.representable(w.data[k]))
        fail_input(w_file, where, "",
                   "weight " + std::to_string(w.data[k]) + " at index " + std::to_string(k) + " is not a " +
                       op.weights.str() + " value");
      wt.v[k] = static_cast<int32_t>(w.data[k]);
    }
    if (!has_in) continue;
    const NpyArray x = read_npy(in_file);
    if (produced)
      fail_input(
          in_file, where, "",
          "its input '" + op.inputs.front() + "' is computed by the network; supply the network's input instead");
    IntTensor& t = v.tensors.at(op.inputs.front());
    const int64_t features = t.c * t.h * t.w;
    std::vector<std::vector<int64_t>> shapes;
    if (op.type == LayerType::FullyConnected)
      shapes = {{t.n, features}};
    else
      shapes = {{t.n, t.c, t.h, t.w}};
    if (t.n == 1)
      shapes.push_back(op.type == LayerType::FullyConnected ? std::vector<int64_t>{features}
                                                            : std::vector<int64_t>{t.c, t.h, t.w});
    bool fits = false;
    for (const auto& s : shapes) fits = fits || x.shape == s;
    if (!fits)
      fail_input(in_file, "", "shape", dims(x.shape) + " does not fit the layer: expected " + dims(shapes.front()));
    for (size_t k = 0; k < x.data.size(); ++k) {
      const int64_t a = x.data[k];
      if (a < op.act.min_value() || a > op.act.max_value() || (op.act.binary() && a == 0))
        fail_input(in_file, where, "",
                   "activation " + std::to_string(a) + " at index " + std::to_string(k) + " is not a " + op.act.str() +
                       " value");
      t.v[k] = static_cast<int32_t>(a);
    }
  }
  return supplied;
}

/// Writes a tensor's values into DRAM at its placement.
void store(DramMemory& dram, const TensorPlace& place, const IntTensor& t,
           const std::function<uint32_t(int32_t)>& code) {
  std::vector<uint8_t> bytes(place.bytes() + 2, 0);
  const uint64_t base = place.base / 8 * 8;
  dram.read(base / 8, bytes.size(), bytes.data());
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t c = 0; c < t.c; ++c)
      for (int64_t y = 0; y < t.h; ++y)
        for (int64_t x = 0; x < t.w; ++x)
          put_bits(bytes.data(), place.bit_of(b, c, y, x) - base, place.bits, code(t.at(b, c, y, x)));
  dram.write(base / 8, bytes.size(), bytes.data());
}

/// A tensor's values as DRAM holds them at the end of the run.
IntTensor load(DramMemory& dram, const TensorPlace& place, const ActPrecision& p) {
  IntTensor t = IntTensor::zeros(place.n, place.c, place.h, place.w);
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t c = 0; c < t.c; ++c)
      for (int64_t y = 0; y < t.h; ++y)
        for (int64_t x = 0; x < t.w; ++x) {
          const uint64_t bit = place.bit_of(b, c, y, x);
          uint8_t raw[3] = {0, 0, 0};
          dram.read(bit / 8, 3, raw);
          t.at(b, c, y, x) = decode_act(get_bits(raw, bit % 8, place.bits), p);
        }
  return t;
}

/// "" when equal, else the first difference.
std::string compare(const std::string& what, const IntTensor& got, const IntTensor& want) {
  for (size_t i = 0; i < want.v.size(); ++i)
    if (got.v[i] != want.v[i]) {
      const int64_t x = static_cast<int64_t>(i) % want.w, y = static_cast<int64_t>(i) / want.w % want.h,
                    c = static_cast<int64_t>(i) / (want.w * want.h) % want.c,
                    b = static_cast<int64_t>(i) / (want.w * want.h * want.c);
      return what + " at (" + std::to_string(b) + ", " + std::to_string(c) + ", " + std::to_string(y) + ", " +
             std::to_string(x) + "): systemc " + std::to_string(got.v[i]) + ", reference " + std::to_string(want.v[i]);
    }
  return "";
}

}  // namespace

std::string SystemCFidelity::name() const {
  return "systemc";
}
std::string SystemCFidelity::summary() const {
  return "cycle-accurate SystemC system moving real data (DRAM, buffers, array, vector unit)";
}

NetworkTiming SystemCFidelity::run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) {
  check_lowered_for(arch, net);
  if (arch.conventions == Conventions::ScaleSim)
    fail_input(arch.file, "", "conventions",
               "scalesim follows SCALE-Sim v2's report arithmetic (OS folds with no drain, each layer one cycle "
               "short), which no hardware does: only --fidelity analytic follows it");
  check_arch(arch);
  // The closed form sizes the job first, so a run that would take hours is refused up front.
  double updates = 0;
  for (const auto& op : net.ops)
    if (op.placement == OpPlacement::Array)
      updates += static_cast<double>(analytic_gemm(arch, op).cycles) * arch.rows * arch.cols;
  if (updates > opt.max_pe_updates)
    fail_input(arch.file, "", "",
               "the network needs " + std::to_string(updates) + " PE-cycles, above the SystemC limit " +
                   std::to_string(opt.max_pe_updates) + " (use --fidelity analytic, or raise --max-pe-updates)");
  NetworkTiming out;
  out.ops.resize(net.ops.size());
  NetworkValues values;
  out.layers_from_tensors = starting_values(net, opt, values);  // bad files fail before simulating
  const std::vector<Tile> tiles = plan_tiles(arch, net, &out.plans);
  const MemoryMap map(net);

  SystemCEngine& engine = SystemCEngine::instance();
  DramMemory& dram = engine.dram_memory();
  dram.clear();
  for (const auto& [name, t] : values.tensors) {
    const ActPrecision* p = nullptr;
    for (const auto& op : net.ops)
      for (size_t k = 0; k < op.inputs.size(); ++k)
        if (op.inputs[k] == name) p = &op.in_precisions[k];
    store(dram, map.tensor(name), t, [p](int32_t v) { return encode_act(v, *p); });
  }
  for (const auto& [i, w] : values.weights) {
    const WeightPrecision& p = net.ops[i].weights;
    IntTensor rows = w;  // (Cout, Cin/g, Kh, Kw) -> (groups, N, K)
    rows.n = net.ops[i].gemm.groups;
    rows.c = net.ops[i].gemm.N;
    rows.h = 1;
    rows.w = net.ops[i].gemm.K;
    store(dram, map.weights(i), rows, [&p](int32_t v) { return encode_weight(v, p); });
  }

  std::map<uint32_t, IntTensor> produced;  // what the output stage and the vector unit wrote
  auto tap = [&](uint32_t op, uint64_t e, int32_t v) {
    IntTensor& t = produced[op];
    if (t.v.empty()) {
      const Shape& s = net.ops[op].out_shape;
      t = IntTensor::zeros(net.batch, s.c, s.h, s.w);
    }
    t.v[e] = v;
  };
  BufferOperands operands(arch, net, map);
  operands.tap = tap;
  ControllerJob job;
  job.tiles = &tiles;
  job.arch = &arch;
  job.net = &net;
  job.map = &map;
  job.vector_tap = tap;
  job.grids = grid_source();
  job.fold_of = [&](const Tile& t) { return operands.start_fold(t); };
  uint32_t shown = UINT32_MAX;
  job.on_tile = [&](size_t i, const TileRegions& where) {
    operands.set_regions(where);
    if (!opt.progress || tiles[i].op == shown) return;
    shown = tiles[i].op;
    opt.progress(shown, net.ops.size(), net.ops[shown].name);
  };
  engine.run(arch, job, &out.dram_read, &out.dram_written);
  if (!operands.error().empty()) throw std::logic_error("SystemC model: " + operands.error());

  if (opt.verify || opt.write_outputs) {
    NetworkValues ref = values;
    reference_network(net, ref);
    out.verified = opt.verify;
    for (uint32_t i = 0; i < net.ops.size() && (opt.verify || opt.write_outputs); ++i) {
      const LoweredOp& op = net.ops[i];
      if (op.placement != OpPlacement::Array && op.placement != OpPlacement::Vector) continue;
      const IntTensor& want = ref.tensors.at(op.emits);
      auto it = produced.find(i);
      const IntTensor& got = it != produced.end() ? it->second : IntTensor{};
      std::string diff = got.v.size() == want.v.size() ? compare("layer '" + op.name + "'", got, want)
                                                       : "layer '" + op.name + "' produced no output";
      if (diff.empty() && !out.plans[i].output_on_chip)
        diff = compare("layer '" + op.name + "' in DRAM", load(dram, map.tensor(op.emits), op.emit_precision), want);
      if (opt.verify && !diff.empty() && out.verified) {
        out.verified = false;
        out.mismatch = diff;
      }
      if (opt.write_outputs && !opt.tensors_dir.empty() && it != produced.end()) {
        std::vector<int64_t> data(got.v.begin(), got.v.end());
        write_npy(opt.tensors_dir + "/" + op.name + ".output.npy", output_shape(op, net.batch), data);
        // The last post-op the output stage applies produces this very tensor: its file too (the
        // ones before it never exist outside the stage).
        if (op.emits != op.name)
          write_npy(opt.tensors_dir + "/" + op.emits + ".output.npy", output_shape(op, net.batch), data);
      }
    }
  }
  uint64_t accounted = 0;
  for (size_t i = 0; i < tiles.size(); ++i) {
    OpTiming& o = out.ops[tiles[i].op];
    attribute_stall(tiles[i], job.stall[i], job.load_bound[i], o);
    o.compute += job.busy[i];
    o.beside += job.post_cycles[i];
    account_tile(tiles[i], o);
    accounted += job.stall[i] + job.busy[i];
  }
  if (!tiles.empty()) {  // the final writes
    out.ops[tiles.back().op].stall += job.total_cycles - accounted;
    out.ops[tiles.back().op].stall_by[kStallWriteback] += job.total_cycles - accounted;
  }
  out.total_cycles = job.total_cycles;
  return out;
}

BITSYS_REGISTER_FIDELITY(SystemCFidelity);

}  // namespace bitsys
