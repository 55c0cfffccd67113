#include "app/study/study.h"

#include "app/report/table.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <list>
#include <set>

#include "app/sweep/constraint.h"
#include "sim/cost/energy.h"
#include "sim/io/arch_json.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "sim/timing/analytic.h"

namespace bitsys {

namespace {

/// The one variant of a sensitivity entry that sets fields (Sensitivity::variants).
constexpr const char* kSetVariant = "yes";

std::string precision_class(const LoweredOp& op) {
  if (op.act.binary() && op.weights.binary()) return "1-bit";
  if (op.act.bits == 8 && op.weights.format == WeightFormat::TwosComplement && op.weights.bits == 8) return "8-bit";
  return op.act.str().substr(0, 2) + " x " +
         (op.weights.format == WeightFormat::SignMagnitude ? std::to_string(op.weights.planes()) + " planes"
                                                           : op.weights.str());
}

/// `set` applied to `a`, re-read as an architecture file would be (its errors name the file).
ArchConfig with_fields(const ArchConfig& a, const nlohmann::json& set) {
  nlohmann::json fields = arch_to_json(a);
  for (auto it = set.begin(); it != set.end(); ++it) set_json_path(fields, it.key(), it.value());
  return parse_arch_json(fields.dump(), display_path(a.file));
}

/// Reads a "set" object (field path -> value) and checks it against a default architecture.
nlohmann::json load_set(JsonFields& k, const nlohmann::json& every_field) {
  const nlohmann::json& set = k.raw("set");
  if (!set.is_object() || set.empty()) k.fail("set", "must be a non-empty object of config field path -> value");
  for (auto it = set.begin(); it != set.end(); ++it)
    if (!json_at_path(every_field, it.key()))
      k.fail("set", "\"" + it.key() + "\" is not a config field (e.g. output_stage.fuse, vector_unit.lanes)");
  try {
    nlohmann::json fields = every_field;
    for (auto it = set.begin(); it != set.end(); ++it) set_json_path(fields, it.key(), it.value());
    parse_arch_json(fields.dump(), k.file());
  } catch (const InputError& e) {
    k.fail("set", e.what());
  }
  return set;
}

StudyKnob load_knob(const nlohmann::json& j, const std::string& path, size_t i, const nlohmann::json& every_field) {
  JsonFields k(j, path, "sensitivity #" + std::to_string(i));
  StudyKnob knob;
  knob.assumption = k.string("assumption");
  if (k.has("set")) {
    knob.set = load_set(k, every_field);
  } else {
    const auto& fl = k.raw("field");
    if (fl.is_string())
      knob.fields.push_back(fl.get<std::string>());
    else if (fl.is_array())
      for (const auto& e : fl) knob.fields.push_back(e.is_string() ? e.get<std::string>() : "");
    if (knob.fields.empty()) k.fail("field", "must be a config field path or a list of them (or give \"set\")");
    for (const auto& field : knob.fields) {
      const nlohmann::json* v = json_at_path(every_field, field);
      if (!v || !v->is_number())
        k.fail(
            "field",
            "\"" + field +
                "\" is not a numeric config field (e.g. pe.lanes, buffers.ifmap_kib, dram.bandwidth_bytes_per_cycle)");
    }
    const auto& fa = k.raw("factors");
    if (!fa.is_array() || fa.empty()) k.fail("factors", "must be a non-empty array of numbers > 0");
    for (const auto& e : fa) {
      if (!e.is_number() || e.get<double>() <= 0) k.fail("factors", "must be numbers > 0 (got " + e.dump() + ")");
      knob.factors.push_back(e.get<double>());
    }
    knob.unit = k.string("unit", "");
    knob.where = k.string("where", "");
    if (!knob.where.empty()) {
      try {
        const Constraint c(knob.where);
        c.holds([&](const std::string& f) -> FieldValue {
          const nlohmann::json* v = json_at_path(every_field, f);
          if (!v) throw std::invalid_argument("unknown field '" + f + "'");
          if (v->is_number()) return v->get<double>();
          return v->is_string() ? v->get<std::string>() : std::string();
        });
      } catch (const std::invalid_argument& e) {
        k.fail("where", e.what());
      }
    }
  }
  k.finish();
  return knob;
}

}  // namespace

StudyPlan load_study_plan(const std::string& path) {
  JsonDocument doc = JsonDocument::load(path, "study");
  JsonFields& f = doc.fields();
  const nlohmann::json& j = doc.root();
  StudyPlan p;
  p.file = path;
  p.name = doc.name();
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
      if (!keys.insert(s.label + "@" + s.archs.back()).second)
        n.fail("label", "case '" + s.label + "@" + s.archs.back() + "' defined twice");
    }
    n.finish();
    p.networks.push_back(s);
  }
  std::set<std::string> baseline_tasks;
  for (const auto& n : p.networks)
    if (n.baseline && !baseline_tasks.insert(n.task).second)
      f.fail("networks", "task '" + n.task + "' has two baselines");
  for (const auto& n : p.networks)
    if (!baseline_tasks.count(n.task))
      f.fail("networks", "task '" + n.task + "' has no baseline network (\"baseline\": true)");
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
        if (!keys.count(*k))
          c.fail(k == &s.slower ? "slower" : "faster", "no case '" + *k + "' (cases are \"label@arch\")");
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
  p.description = f.string("description", "");
  p.tolerance = f.number("tolerance", 0, 10, 0.15);
  p.claims_note = f.string("claims_note", "");
  p.sensitivity_note = f.string("sensitivity_note", "");
  if (f.has("assumptions")) {
    const auto& as = f.raw("assumptions");
    if (!as.is_array()) f.fail("assumptions", "must be an array of {\"name\", \"text\"}");
    for (size_t i = 0; i < as.size(); ++i) {
      JsonFields a(as[i], path, "assumption #" + std::to_string(i));
      p.assumptions.emplace_back(a.string("name"), a.string("text"));
      a.finish();
    }
  }
  ArchConfig any;  // every field, for checking paths and values
  any.name = "any";
  any.pe = find_pe_kind("int8");
  const nlohmann::json every_field = arch_to_json(any);
  if (f.has("sensitivity")) {
    const auto& ks = f.raw("sensitivity");
    if (!ks.is_array()) f.fail("sensitivity", "must be an array");
    for (size_t i = 0; i < ks.size(); ++i) p.sensitivity.push_back(load_knob(ks[i], path, i, every_field));
  }
  p.configuration_name = f.string("configuration_name", p.configuration_name);
  if (f.has("configurations")) {
    const auto& cs = f.raw("configurations");
    if (!cs.is_array()) f.fail("configurations", "must be an array of {\"name\", \"text\", \"set\"}");
    for (size_t i = 0; i < cs.size(); ++i) {
      JsonFields c(cs[i], path, "configuration #" + std::to_string(i));
      StudyConfiguration sc;
      sc.name = c.string("name");
      sc.text = c.string("text", "");
      sc.set = load_set(c, every_field);
      c.finish();
      p.configurations.push_back(sc);
    }
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

/// The field's value scaled: integers stay integers and positive ones stay >= 1 (lanes, cycles).
nlohmann::json scaled(const nlohmann::json& v, double factor) {
  if (v.is_number_integer()) {
    const int64_t x = v.get<int64_t>(), y = static_cast<int64_t>(static_cast<double>(x) * factor);
    return x >= 1 ? std::max<int64_t>(1, y) : y;
  }
  return v.get<double>() * factor;
}

bool selects(const StudyKnob& k, const nlohmann::json& fields) {
  if (k.where.empty()) return true;
  return Constraint(k.where).holds([&](const std::string& f) -> FieldValue {
    const nlohmann::json* v = json_at_path(fields, f);
    if (v && v->is_number()) return v->get<double>();
    return v && v->is_string() ? v->get<std::string>() : std::string();
  });
}

std::string show_value(const nlohmann::json& v, const std::string& unit) {
  const std::string s = v.is_number() ? strf("%g", v.get<double>()) : v.is_string() ? v.get<std::string>() : v.dump();
  return unit.empty() ? s : s + " " + unit;
}

double distance_to(double v, double lo, double hi) {
  if (v < lo) return std::log(lo / v);
  if (v > hi) return std::log(v / hi);
  return 0;
}

}  // namespace

namespace {

/// Energy and area of every case, and each non-baseline case again on the square array of its own
/// PE kind whose area is nearest its task baseline's (analytic).
template <class LowerFor>
void cost_cases(const std::map<std::string, size_t>& net_of, LowerFor& lowered_net, StudyResult& r) {
  std::map<std::string, const StudyCase*> baseline;
  for (auto& c : r.cases) {
    const ArchConfig& arch = r.archs.at(c.arch);
    const Tech& tech = load_tech(arch.tech);
    const RunCost cost = run_cost(c.run, tech);
    c.energy = cost.total;
    c.energy_j = cost.per_inference_j;
    c.area_mm2 = cost.model.area_mm2();
    c.tech = tech.name;
    if (c.baseline) baseline[c.task] = &c;
  }
  for (auto& c : r.cases) {
    const StudyCase& base = *baseline.at(c.task);
    c.energy_ratio = c.energy_j > 0 ? base.energy_j / c.energy_j : 0;
    const ArchConfig& arch = r.archs.at(c.arch);
    if (c.baseline) {
      c.equal_area_side = arch.rows == arch.cols ? arch.rows : 0;
      c.equal_area_mm2 = c.area_mm2;
      c.equal_area_cycles = c.run.total_cycles;
      continue;
    }
    const Tech& tech = load_tech(arch.tech);
    ArchConfig best = arch;
    double best_gap = -1;
    for (int side = 1; side <= 1024; ++side) {  // area grows with the side: stop once past the target
      ArchConfig a = arch;
      a.rows = a.cols = side;
      const double area = cost_model(a, tech).area_mm2(), gap = std::fabs(area - base.area_mm2);
      if (best_gap < 0 || gap < best_gap) {
        best_gap = gap;
        best = a;
        c.equal_area_mm2 = area;
      }
      if (area > base.area_mm2) break;
    }
    c.equal_area_side = best.rows;
    c.equal_area_cycles = analytic_network(best, lowered_net(net_of.at(c.key), best)).total_cycles;
  }
  for (auto& c : r.cases) {
    const StudyCase& base = *baseline.at(c.task);
    c.equal_area_speedup = c.equal_area_cycles
                               ? static_cast<double>(base.equal_area_cycles) / static_cast<double>(c.equal_area_cycles)
                               : 0;
  }
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
  // Lowered once per network and output stage (architectures fuse different post-ops); a list
  // keeps the references handed out valid.
  std::map<size_t, std::list<LoweredNetwork>> lowered;
  auto lowered_net = [&](size_t i, const ArchConfig& a) -> const LoweredNetwork& {
    for (const LoweredNetwork& ln : lowered[i])
      if (lowered_for(ln, a)) return ln;
    return lowered[i].emplace_back(lower_for(nets[i], a));
  };

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
      c.run = run_network(r.archs.at(a), lowered_net(i, r.archs.at(a)), opt);
      for (const auto& l : c.run.layers)
        if (l.op.placement == OpPlacement::Array) c.macs_by_precision[precision_class(l.op)] += l.op.macs;
      if (n.baseline) baseline_cycles[n.task] = c.run.total_cycles;
      r.cases.push_back(std::move(c));
      ++done;
    }
  }
  for (auto& c : r.cases)
    if (c.run.total_cycles)
      c.speedup = static_cast<double>(baseline_cycles.at(c.task)) / static_cast<double>(c.run.total_cycles);
  // Each case's network, by case key.
  std::map<std::string, size_t> net_of;
  for (size_t i = 0; i < plan.networks.size(); ++i)
    for (const auto& a : plan.networks[i].archs) net_of[plan.networks[i].label + "@" + a] = i;
  cost_cases(net_of, lowered_net, r);

  // Claims at the plan's assumptions.
  auto ratio = [](uint64_t slower, uint64_t faster) {
    return faster ? static_cast<double>(slower) / static_cast<double>(faster) : 0.0;
  };
  for (const auto& cl : plan.claims) {
    ClaimResult cr;
    cr.claim = cl;
    const StudyCase &slower = *r.find(cl.slower), &faster = *r.find(cl.faster);
    cr.measured = ratio(slower.run.total_cycles, faster.run.total_cycles);
    cr.equal_area = ratio(slower.equal_area_cycles, faster.equal_area_cycles);
    cr.energy = faster.energy_j > 0 ? slower.energy_j / faster.energy_j : 0;
    const double tol = 1 + plan.tolerance;
    cr.verdict = cr.measured < cl.lo / tol   ? "below the paper"
                 : cr.measured > cl.hi * tol ? "above the paper"
                                             : "agrees";
    r.claims.push_back(cr);
  }

  // Sensitivity: each assumption halved and doubled (analytic), the claims' ratios recomputed.
  // Every claim's ratio on other architectures (analytic); NaN for all when `error` is set.
  auto claim_ratios = [&](const std::map<std::string, ArchConfig>& archs, const std::string& error) {
    std::map<std::string, uint64_t> cycles;
    auto cycles_of = [&](const std::string& key) {
      auto it = cycles.find(key);
      if (it != cycles.end()) return it->second;
      const ArchConfig& a = archs.at(key.substr(key.rfind('@') + 1));
      return cycles[key] = analytic_network(a, lowered_net(net_of.at(key), a)).total_cycles;
    };
    std::vector<double> ratios;
    for (const auto& cl : plan.claims)
      ratios.push_back(error.empty() ? ratio(cycles_of(cl.slower), cycles_of(cl.faster)) : std::nan(""));
    return ratios;
  };
  for (const StudyKnob& k : plan.sensitivity) {
    Sensitivity s;
    s.assumption = k.assumption;
    s.fields = k.fields;
    s.base_value = "no";
    for (const auto& [name, a] : r.archs) {
      const nlohmann::json fields = arch_to_json(a);
      if (!k.fields.empty() && selects(k, fields)) {
        s.base_value = show_value(*json_at_path(fields, k.fields.front()), k.unit);
        break;
      }
    }
    std::vector<std::pair<std::string, double>> variants;
    if (k.set.is_null())
      for (double f : k.factors) variants.emplace_back(strf("x%g", f), f);
    else
      variants.emplace_back(kSetVariant, 1.0);
    for (const auto& [vname, factor] : variants) {
      auto archs = r.archs;
      std::string error;
      for (auto& [name, a] : archs) {
        try {
          if (!k.set.is_null()) {
            a = with_fields(a, k.set);
            continue;
          }
          nlohmann::json fields = arch_to_json(a);
          if (!selects(k, fields)) continue;
          for (const auto& field : k.fields) set_json_path(fields, field, scaled(*json_at_path(fields, field), factor));
          a = parse_arch_json(fields.dump(), display_path(a.file));
        } catch (const InputError& e) {
          if (error.empty()) error = e.what();
        }
      }
      s.variants.push_back(vname);
      s.ratios.push_back(claim_ratios(archs, error));
      s.errors.push_back(error);
    }
    r.sensitivity.push_back(s);
  }
  for (const StudyConfiguration& conf : plan.configurations) {
    auto archs = r.archs;
    std::string error;
    for (auto& [name, a] : archs) {
      try {
        a = with_fields(a, conf.set);
      } catch (const InputError& e) {
        if (error.empty()) error = e.what();
      }
    }
    r.configuration_ratios.push_back(claim_ratios(archs, error));
    r.configuration_errors.push_back(error);
  }
  for (size_t c = 0; c < r.claims.size(); ++c) {
    ClaimResult& cr = r.claims[c];
    const double base = distance_to(cr.measured, cr.claim.lo, cr.claim.hi);
    double best = base;
    for (const auto& s : r.sensitivity)
      for (size_t v = 0; v < s.variants.size(); ++v) {
        if (std::isnan(s.ratios[v][c])) continue;
        const double d = distance_to(s.ratios[v][c], cr.claim.lo, cr.claim.hi);
        if (d < best - 1e-9) {
          best = d;
          // A factor names its size ("DRAM bandwidth x2"); a variant that sets fields is its name.
          const bool named = s.variants[v] == kSetVariant;
          cr.driver = s.assumption + (named ? "" : " " + s.variants[v]) + " moves it to " +
                      strf("%g", std::round(s.ratios[v][c] * 100) / 100) + "x";
        }
      }
    if (cr.verdict == "agrees")
      cr.driver.clear();
    else if (cr.driver.empty())
      cr.driver = "no single assumption varied here moves it toward the paper";
  }
  if (progress) progress(total, total, "");
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace bitsys
