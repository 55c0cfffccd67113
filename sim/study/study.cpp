#include "sim/study/study.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <set>

#include "sim/io/input_error.h"
#include "sim/io/text_util.h"
#include "sim/io/json_fields.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/timing/analytic.h"

namespace bitsys {

namespace {

std::string precision_class(const LoweredOp& op) {
  if (op.act.binary() && op.weights.binary()) return "1-bit";
  if (op.act.bits == 8 && op.weights.format == WeightFormat::TwosComplement && op.weights.bits == 8) return "8-bit";
  return op.act.str().substr(0, 2) + " x " + (op.weights.format == WeightFormat::SignMagnitude ? std::to_string(op.weights.planes()) + " planes" : op.weights.str());
}

}  // namespace

StudyPlan load_study_plan(const std::string& path) {
  const auto j = parse_json(read_text_file(path), path);
  JsonFields f(j, path, "study");
  StudyPlan p;
  p.file = path;
  p.name = f.string("name");
  f.accept("notes");
  JsonFields archs(f.raw("architectures"), path, "study architectures");
  for (auto it = j.at("architectures").begin(); it != j.at("architectures").end(); ++it) {
    p.archs.emplace_back(it.key(), resolve_relative(path, archs.string(it.key())));
  }
  archs.finish();
  if (p.archs.empty()) f.fail("architectures", "must name at least one architecture");
  std::set<std::string> arch_names, keys;
  for (const auto& a : p.archs) arch_names.insert(a.first);
  const auto& nets = f.raw("networks");
  if (!nets.is_array() || nets.empty()) f.fail("networks", "must be a non-empty array");
  for (size_t i = 0; i < nets.size(); ++i) {
    JsonFields n(nets[i], path, "network #" + std::to_string(i));
    StudyNetwork s;
    s.label = n.string("label");
    s.task = n.string("task");
    s.workload = resolve_relative(path, n.string("workload"));
    s.baseline = n.boolean("baseline", false);
    s.avg_bits = n.number("avg_bits", 0, 8, 0);
    const auto& a = n.raw("archs");
    if (!a.is_array() || a.empty()) n.fail("archs", "must be a non-empty array of architecture names");
    for (const auto& e : a) {
      if (!e.is_string() || !arch_names.count(e.get<std::string>()))
        n.fail("archs", "unknown architecture " + e.dump() + " (define it under \"architectures\")");
      s.archs.push_back(e.get<std::string>());
      if (!keys.insert(s.label + "@" + s.archs.back()).second) n.fail("label", "case '" + s.label + "@" + s.archs.back() + "' defined twice");
    }
    n.finish();
    p.networks.push_back(s);
  }
  std::set<std::string> baseline_tasks;
  for (const auto& n : p.networks)
    if (n.baseline && !baseline_tasks.insert(n.task).second) f.fail("networks", "task '" + n.task + "' has two baselines");
  for (const auto& n : p.networks)
    if (!baseline_tasks.count(n.task)) f.fail("networks", "task '" + n.task + "' has no baseline network (\"baseline\": true)");
  if (f.has("claims")) {
    const auto& cl = f.raw("claims");
    if (!cl.is_array()) f.fail("claims", "must be an array");
    for (size_t i = 0; i < cl.size(); ++i) {
      JsonFields c(cl[i], path, "claim #" + std::to_string(i));
      StudyClaim s;
      s.claim = c.string("claim");
      s.slower = c.string("slower");
      s.faster = c.string("faster");
      for (const auto* k : {&s.slower, &s.faster})
        if (!keys.count(*k)) c.fail(k == &s.slower ? "slower" : "faster", "no case '" + *k + "' (cases are \"label@arch\")");
      const auto& pv = c.raw("paper");
      if (!pv.is_array() || pv.size() != 2 || !pv[0].is_number() || !pv[1].is_number() || pv[0].get<double>() <= 0 ||
          pv[1].get<double>() < pv[0].get<double>())
        c.fail("paper", "must be [low, high] with 0 < low <= high");
      s.lo = pv[0].get<double>();
      s.hi = pv[1].get<double>();
      c.finish();
      p.claims.push_back(s);
    }
  } else {
    f.accept("claims");
  }
  f.finish();
  return p;
}

const StudyCase* StudyResult::find(const std::string& key) const {
  for (const auto& c : cases)
    if (c.key == key) return &c;
  return nullptr;
}

namespace {

/// An assumption to vary: how to change the architectures (and fusion rules) for a variant.
struct Knob {
  std::string assumption;
  std::function<std::string(const std::map<std::string, ArchConfig>&)> base_value;
  std::vector<std::pair<std::string, std::function<void(std::map<std::string, ArchConfig>&, FusionRules&)>>> variants;
};

template <class F>
void each_arch(std::map<std::string, ArchConfig>& archs, F f) {
  for (auto& [name, a] : archs) f(a);
}

std::string g(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::vector<Knob> knobs() {
  std::vector<Knob> k;
  for (const char* kind : {"binary", "bitserial"}) {
    const std::string kn = kind;
    auto lanes_of = [kn](const std::map<std::string, ArchConfig>& a) {
      for (const auto& [n, c] : a)
        if (c.pe_name() == kn) return std::to_string(c.lanes);
      return std::string("-");
    };
    auto scale = [kn](double f) {
      return [kn, f](std::map<std::string, ArchConfig>& a, FusionRules&) {
        each_arch(a, [&](ArchConfig& c) {
          if (c.pe_name() == kn) c.lanes = std::max(1, static_cast<int>(c.lanes * f));
        });
      };
    };
    k.push_back({kn + " PE lanes", lanes_of, {{"x0.5", scale(0.5)}, {"x2", scale(2)}}});
  }
  auto all = [](std::function<void(ArchConfig&, double)> set, double f) {
    return [set, f](std::map<std::string, ArchConfig>& a, FusionRules&) { each_arch(a, [&](ArchConfig& c) { set(c, f); }); };
  };
  auto first = [](std::function<std::string(const ArchConfig&)> get) {
    return [get](const std::map<std::string, ArchConfig>& a) { return get(a.begin()->second); };
  };
  auto vl = [](ArchConfig& c, double f) { c.vector_lanes = std::max(1, static_cast<int>(c.vector_lanes * f)); };
  k.push_back({"vector-unit lanes", first([](const ArchConfig& c) { return std::to_string(c.vector_lanes); }), {{"x0.5", all(vl, 0.5)}, {"x2", all(vl, 2)}}});
  auto buf = [](ArchConfig& c, double f) {
    c.ifmap_kib *= f;
    c.filter_kib *= f;
    c.ofmap_kib *= f;
  };
  k.push_back({"SRAM buffers (each)", first([](const ArchConfig& c) { return g(c.ifmap_kib) + " KiB"; }), {{"x0.5", all(buf, 0.5)}, {"x2", all(buf, 2)}}});
  auto bw = [](ArchConfig& c, double f) { c.dram_bytes_per_cycle *= f; };
  k.push_back({"DRAM bandwidth", first([](const ArchConfig& c) { return g(c.dram_bytes_per_cycle) + " B/cycle"; }), {{"x0.5", all(bw, 0.5)}, {"x2", all(bw, 2)}}});
  auto lat = [](ArchConfig& c, double f) { c.dram_latency_cycles = static_cast<int>(c.dram_latency_cycles * f); };
  k.push_back({"DRAM latency", first([](const ArchConfig& c) { return std::to_string(c.dram_latency_cycles) + " cycles"; }), {{"x0.5", all(lat, 0.5)}, {"x2", all(lat, 2)}}});
  k.push_back({"output stage also folds BN/scale, PReLU and bias shifts", [](const std::map<std::string, ArchConfig>&) { return std::string("no"); },
               {{"yes", [](std::map<std::string, ArchConfig>&, FusionRules& r) { r.scale_bias = r.prelu = r.bias_shift = true; }}}});
  return k;
}

double distance_to(double v, double lo, double hi) {
  if (v < lo) return std::log(lo / v);
  if (v > hi) return std::log(v / hi);
  return 0;
}

}  // namespace

StudyResult run_study(const StudyPlan& plan, const RunOptions& opt, const Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  StudyResult r;
  r.plan = plan;
  r.fidelity = opt.fidelity;
  for (const auto& [name, file] : plan.archs) r.archs[name] = load_arch(file);
  // Read everything before running anything.
  std::vector<Network> nets;
  for (const auto& n : plan.networks) nets.push_back(load_workload(n.workload));
  std::vector<LoweredNetwork> lowered;
  for (const auto& n : nets) lowered.push_back(lower(n));

  size_t total = 0, done = 0;
  for (const auto& n : plan.networks) total += n.archs.size();
  std::map<std::string, uint64_t> baseline_cycles;
  for (size_t i = 0; i < plan.networks.size(); ++i) {
    const StudyNetwork& n = plan.networks[i];
    for (const auto& a : n.archs) {
      if (progress) progress(done, total, n.label + " on " + a);
      StudyCase c;
      c.key = n.label + "@" + a;
      c.label = n.label;
      c.task = n.task;
      c.arch = a;
      c.baseline = n.baseline;
      c.avg_bits = n.avg_bits;
      c.source = nets[i].source;
      c.run = run_network(r.archs.at(a), lowered[i], opt);
      for (const auto& l : c.run.layers)
        if (l.op.placement == OpPlacement::Array) c.macs_by_precision[precision_class(l.op)] += l.op.macs;
      if (n.baseline) baseline_cycles[n.task] = c.run.total_cycles;
      r.cases.push_back(std::move(c));
      ++done;
    }
  }
  for (auto& c : r.cases)
    if (c.run.total_cycles) c.speedup = static_cast<double>(baseline_cycles.at(c.task)) / static_cast<double>(c.run.total_cycles);

  // Claims at the plan's assumptions.
  auto ratio = [](uint64_t slower, uint64_t faster) { return faster ? static_cast<double>(slower) / static_cast<double>(faster) : 0.0; };
  for (const auto& cl : plan.claims) {
    ClaimResult cr;
    cr.claim = cl;
    cr.measured = ratio(r.find(cl.slower)->run.total_cycles, r.find(cl.faster)->run.total_cycles);
    const double tol = 1.15;  // within 15 % of the paper's figure or range counts as agreement
    cr.verdict = cr.measured < cl.lo / tol ? "below the paper" : cr.measured > cl.hi * tol ? "above the paper" : "agrees";
    r.claims.push_back(cr);
  }

  // Sensitivity: each assumption halved and doubled (analytic), the claims' ratios recomputed.
  std::map<std::string, size_t> net_of;
  for (size_t i = 0; i < plan.networks.size(); ++i)
    for (const auto& a : plan.networks[i].archs) net_of[plan.networks[i].label + "@" + a] = i;
  for (const Knob& k : knobs()) {
    Sensitivity s;
    s.assumption = k.assumption;
    s.base_value = k.base_value(r.archs);
    for (const auto& [vname, apply] : k.variants) {
      auto archs = r.archs;
      FusionRules rules;
      apply(archs, rules);
      std::map<std::string, uint64_t> cycles;
      auto cycles_of = [&](const std::string& key) {
        auto it = cycles.find(key);
        if (it != cycles.end()) return it->second;
        const size_t ni = net_of.at(key);
        const std::string arch = key.substr(key.rfind('@') + 1);
        const LoweredNetwork ln = lower(nets[ni], rules);
        return cycles[key] = analytic_network(archs.at(arch), ln).total_cycles;
      };
      std::vector<double> ratios;
      for (const auto& cl : plan.claims) ratios.push_back(ratio(cycles_of(cl.slower), cycles_of(cl.faster)));
      s.variants.push_back(vname);
      s.ratios.push_back(ratios);
    }
    r.sensitivity.push_back(s);
  }
  for (size_t c = 0; c < r.claims.size(); ++c) {
    ClaimResult& cr = r.claims[c];
    const double base = distance_to(cr.measured, cr.claim.lo, cr.claim.hi);
    double best = base;
    for (const auto& s : r.sensitivity)
      for (size_t v = 0; v < s.variants.size(); ++v) {
        const double d = distance_to(s.ratios[v][c], cr.claim.lo, cr.claim.hi);
        if (d < best - 1e-9) {
          best = d;
          cr.driver = s.assumption + " " + s.variants[v] + " moves it to " + g(std::round(s.ratios[v][c] * 100) / 100) + "x";
        }
      }
    if (cr.verdict == "agrees") cr.driver.clear();
    else if (cr.driver.empty()) cr.driver = "no single assumption varied here moves it toward the paper";
  }
  if (progress) progress(total, total, "");
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace bitsys
