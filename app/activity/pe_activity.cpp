#include "app/activity/pe_activity.h"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "app/activity/gate_sim.h"
#include "rtl/cosim/yosys.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/subprocess.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {

/// Synthesizes `top` from `files` with bitsys synth's flow (rtl/cosim/synthesis.cpp) and returns
/// the gate netlist; cached in workdir under `name`.
nlohmann::json gate_netlist(const std::string& workdir, const std::string& name, const std::string& read,
                            const std::string& top, const std::string& params) {
  const std::string json = workdir + "/" + name + ".json";
  std::string text = read_file_or_empty(json);
  if (text.empty()) {
    std::ostringstream s;
    s << read << "\n"
      << params << "hierarchy -check -top " << top << "\nproc\nflatten\nopt\nwreduce\n"
      << "synth -top " << top << " -flatten -run coarse:\nabc -g cmos2\nopt_clean\n"
      << "write_json " << yosys_word(json, "netlist") << "\n";
    const ProgramRun r = run_yosys_script(workdir, name, s.str(), 300);
    if (!r.ok())
      throw std::runtime_error(name + ": " + r.failure("yosys") + " (log: " + workdir + "/" + name + ".log)");
    text = read_file_or_empty(json);
  }
  return parse_json(text, json);
}

int64_t pick(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

std::vector<int32_t> random_acts(std::mt19937_64& rng, int n, const ActPrecision& a) {
  std::vector<int32_t> v(n);
  for (auto& x : v)
    x = a.bits == 1 ? (rng() & 1 ? 1 : -1) : static_cast<int32_t>(pick(rng, a.min_value(), a.max_value()));
  return v;
}

std::vector<int32_t> random_weights(std::mt19937_64& rng, int n, const WeightPrecision& w) {
  std::vector<int32_t> v(n);
  for (auto& x : v) {
    do x = static_cast<int32_t>(pick(rng, w.min_value(), w.max_value()));
    while (!w.representable(x));
  }
  return v;
}

}  // namespace

ActivityResult measure_pe_activity(const std::string& kind, int lanes, const ActPrecision& a, const WeightPrecision& w,
                                   uint64_t beats, uint64_t seed, const std::string& workdir) {
  const PeKind* k = find_pe_kind(kind);
  if (!k) throw std::runtime_error("no PE kind " + kind);
  const std::string why = k->check(a, w);
  if (!why.empty()) throw std::runtime_error(kind + " cannot run " + a.str() + " x " + w.str() + ": " + why);
  const std::string rtl = data_path("rtl"), top = "bitsys_pe_" + kind;
  if (!make_directories(workdir)) throw std::runtime_error("cannot create " + workdir);
  const nlohmann::json net =
      gate_netlist(workdir, top + "_L" + std::to_string(lanes),
                   "read_verilog -I " + yosys_word(rtl, "rtl folder") + " " + yosys_word(rtl + "/" + top + ".v", "PE"),
                   top, "chparam -set LANES " + std::to_string(lanes) + " " + top + "\n");
  GateSim sim(net, top);

  std::mt19937_64 rng(seed);
  const int passes = k->passes(a, w);
  std::vector<uint64_t> words(static_cast<size_t>(passes));
  std::vector<Beat> wbeats(static_cast<size_t>(passes));
  auto port_word = [](uint64_t lo, uint64_t mid, uint64_t hi) { return std::vector<uint64_t>{lo, mid, hi}; };
  sim.set_input("clk", 0);
  sim.set_input("rst", 1);
  sim.set_input("en", 1);
  sim.set_input("df", 1);  // weight stationary
  sim.cycle();
  sim.set_input("rst", 0);
  ActivityResult r;
  r.logic_nand2 = sim.logic_nand2();
  r.flip_flops = sim.flip_flops();
  sim.reset_counts();
  constexpr uint64_t kFold = 64;  // beats streamed past one stationary weight beat
  while (r.beats < beats) {
    // Preload a new stationary beat: one pass of a random weight chunk.
    const auto wv = random_weights(rng, lanes, w);
    k->encode_weights(wv.data(), lanes, lanes, a, w, wbeats.data());
    const size_t j = rng() % static_cast<size_t>(passes);
    const Beat& beat = wbeats[j];
    sim.set_input("load", 1);
    sim.set_input("v_in", port_word(beat.bits, beat.sign, beat.ctrl));
    sim.set_input("h_in", port_word(0, 0, 0));
    sim.set_input("psum_in", 0);
    sim.cycle();
    sim.set_input("load", 0);
    sim.set_input("v_in", port_word(0, 0, 0));
    for (uint64_t t = 0; t < kFold && r.beats < beats; ++t, ++r.beats) {
      const auto av = random_acts(rng, lanes, a);
      k->encode_activations(av.data(), lanes, lanes, a, w, words.data());
      // The partial sum from above: what up to 31 PEs above added, at this precision's magnitudes.
      int64_t psum = 0;
      for (int64_t i = pick(rng, 0, 31); i > 0; --i) {
        const auto up = random_acts(rng, lanes, a);
        std::vector<uint64_t> uw(static_cast<size_t>(passes));
        k->encode_activations(up.data(), lanes, lanes, a, w, uw.data());
        psum += k->product(uw[j], beat);
      }
      sim.set_input("h_in", port_word(words[j], 0, 0));
      sim.set_input("psum_in", static_cast<uint64_t>(static_cast<uint32_t>(static_cast<int32_t>(psum))));
      sim.cycle();
      const int32_t acc = static_cast<int32_t>(static_cast<uint32_t>(sim.output("acc")[0]));
      const int32_t want = static_cast<int32_t>(static_cast<uint32_t>(psum + k->product(words[j], beat)));
      if (acc != want)
        throw std::runtime_error(top + " gate netlist: beat " + std::to_string(r.beats) + " at " + a.str() + " x " +
                                 w.str() + ": acc " + std::to_string(acc) + ", golden model " + std::to_string(want));
    }
  }
  r.logic_activity = sim.gate_transitions() / (r.logic_nand2 * static_cast<double>(r.beats));
  r.register_activity = static_cast<double>(sim.flip_flop_transitions()) /
                        (static_cast<double>(r.flip_flops) * static_cast<double>(r.beats));
  return r;
}

ActivityResult measure_adder_activity(uint64_t cycles, uint64_t seed, const std::string& workdir) {
  if (!make_directories(workdir)) throw std::runtime_error("cannot create " + workdir);
  const std::string v = workdir + "/add8.v";
  std::ofstream(v) << "module add8(input [7:0] a, b, output [7:0] y); assign y = a + b; endmodule\n";
  const nlohmann::json net = gate_netlist(workdir, "add8", "read_verilog " + yosys_word(v, "adder"), "add8", "");
  GateSim sim(net, "add8");
  std::mt19937_64 rng(seed);
  ActivityResult r;
  r.logic_nand2 = sim.logic_nand2();
  sim.set_input("a", rng() & 0xff);
  sim.set_input("b", rng() & 0xff);
  sim.cycle();
  sim.reset_counts();
  for (; r.beats < cycles; ++r.beats) {
    sim.set_input("a", rng() & 0xff);
    sim.set_input("b", rng() & 0xff);
    sim.cycle();
  }
  r.logic_activity = sim.gate_transitions() / (r.logic_nand2 * static_cast<double>(r.beats));
  return r;
}

}  // namespace bitsys
