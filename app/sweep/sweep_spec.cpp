#include "app/sweep/sweep_spec.h"

#include <cmath>

#include "sim/cost/energy.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_loader.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {

// Points are listed in memory (8 bytes each) and each is a line of results: 50 million is far past
// any sweep a results file can usefully hold, and still fits this kind of machine.
constexpr uint64_t kMaxCombinations = 50'000'000;

/// A JSON value as written in an id or a message: strings bare, numbers shortest.
std::string show(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::vector<nlohmann::json> expand_values(const nlohmann::json& v, JsonFields& f, const std::string& key) {
  std::vector<nlohmann::json> out;
  if (v.is_array()) {
    for (const auto& e : v) out.push_back(e);
  } else if (v.is_object()) {
    JsonFields r(v, f.file(), "vary '" + key + "'");
    const double from = r.number("from", -1e18, 1e18, NAN), to = r.number("to", -1e18, 1e18, NAN);
    if (std::isnan(from) || std::isnan(to)) r.fail("from", "a range needs \"from\" and \"to\"");
    const double step = r.number("step", 1e-12, 1e18, 0), factor = r.number("factor", 1.0 + 1e-12, 1e18, 0);
    if ((step > 0) == (factor > 0)) r.fail("step", "give either \"step\" or \"factor\" (> 1)");
    r.finish();
    for (double x = from; x <= to * (1 + 1e-12) && out.size() <= 1000000; x = step > 0 ? x + step : x * factor) {
      if (std::floor(x) == x && std::fabs(x) < 9e15)
        out.emplace_back(static_cast<int64_t>(x));
      else
        out.emplace_back(x);
    }
    if (out.size() > 1000000) r.fail("to", "more than a million values");
  } else {
    out.push_back(v);
  }
  if (out.empty()) f.fail(key, "no values");
  return out;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

/// The one derived field constraints may read: the architecture's silicon area (sim/cost), known
/// before anything runs. Energy, power and EDP need the run; they are in the results, not here.
const char* const kAreaField = "area_mm2";

double area_mm2(const ArchConfig& a) {
  return cost_model(a, load_tech(a.tech)).area_mm2();
}

FieldValue lookup(const nlohmann::json& fields, const std::string& path) {
  const nlohmann::json* v = json_at_path(fields, path);
  if (!v) throw std::invalid_argument("unknown field '" + path + "'");
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) return v->get<std::string>();
  throw std::invalid_argument("field '" + path + "' is not a value");
}

}  // namespace

SweepSpec SweepSpec::load(const std::string& path) {
  JsonDocument doc = JsonDocument::load(path, "sweep");
  JsonFields& f = doc.fields();

  const nlohmann::json& j = doc.root();
  SweepSpec s;
  s.file = path;
  s.name = doc.name();
  s.fidelity = f.string("fidelity", "analytic");
  if (s.fidelity != "analytic" && s.fidelity != "systemc")
    f.fail("fidelity", "must be analytic or systemc (got \"" + s.fidelity + "\")");
  s.base_file = resolve_relative(path, f.string("base"));
  s.base = parse_json(read_text_file(s.base_file), s.base_file);
  // The base itself must be valid, its technology file too.
  area_mm2(parse_arch_json(s.base.dump(), s.base_file));

  JsonFields vary(f.raw("vary"), path, "sweep vary");
  for (auto it = j.at("vary").begin(); it != j.at("vary").end(); ++it) {
    vary.accept(it.key());
    SweepParam p;
    p.path = it.key();
    p.values = expand_values(it.value(), vary, it.key());
    for (const auto& v : p.values) {  // each value on its own must make a valid architecture
      nlohmann::json a = s.base;
      set_json_path(a, p.path, v);
      try {
        const ArchConfig arch = parse_arch_json(a.dump(), s.base_file);
        if (p.path == "tech") load_tech(arch.tech);
      } catch (const InputError& e) {
        fail_input(path, "vary '" + p.path + "' = " + show(v), "", e.what());
      }
    }
    s.params.push_back(p);
  }
  if (s.params.empty()) f.fail("vary", "must name at least one parameter");

  if (f.has("constraints")) {
    const auto& cs = f.raw("constraints");
    if (!cs.is_array()) f.fail("constraints", "must be an array of expressions");
    const ArchConfig base = parse_arch_json(s.base.dump(), s.base_file);
    const nlohmann::json fields = arch_to_json(base);
    for (const auto& c : cs) {
      if (!c.is_string()) f.fail("constraints", "must be strings like \"rows * cols <= 4096\" (got " + c.dump() + ")");
      try {
        Constraint k(c.get<std::string>());
        k.holds([&](const std::string& p) -> FieldValue {  // unknown fields fail here
          if (p == kAreaField) return area_mm2(base);
          return lookup(fields, p);
        });
        s.constraints.push_back(std::move(k));
      } catch (const std::invalid_argument& e) {
        f.fail("constraints", e.what());
      }
    }
  } else {
    f.accept("constraints");
  }

  const auto& ws = f.raw("workloads");
  if (!ws.is_array() || ws.empty()) f.fail("workloads", "must be a non-empty array of workload files");
  for (const auto& w : ws) {
    if (!w.is_string()) f.fail("workloads", "must be file names (got " + w.dump() + ")");
    s.workloads.push_back(resolve_relative(path, w.get<std::string>()));
    load_workload(s.workloads.back());  // readable and valid, before anything runs
  }
  f.finish();
  if (s.combinations() > kMaxCombinations)
    f.fail("vary",
           "more than " + std::to_string(kMaxCombinations) + " combinations; split the sweep into several specs");
  return s;
}

uint64_t SweepSpec::combinations() const {
  unsigned __int128 n = workloads.size();
  for (const auto& p : params) {
    n *= p.values.size();
    if (n > kMaxCombinations) return kMaxCombinations + 1;
  }
  return static_cast<uint64_t>(n);
}

std::vector<size_t> SweepSpec::digits(uint64_t combo) const {
  std::vector<size_t> d(params.size());
  for (size_t i = params.size(); i-- > 0;) {
    d[i] = combo % params[i].values.size();
    combo /= params[i].values.size();
  }
  return d;
}

size_t SweepSpec::workload_of(uint64_t combo) const {
  for (const auto& p : params) combo /= p.values.size();
  return static_cast<size_t>(combo);
}

nlohmann::json SweepSpec::params_of(uint64_t combo) const {
  nlohmann::json j = nlohmann::json::object();
  const auto d = digits(combo);
  for (size_t i = 0; i < params.size(); ++i) j[params[i].path] = params[i].values[d[i]];
  return j;
}

std::string SweepSpec::id_of(uint64_t combo) const {
  const std::string w = workloads[workload_of(combo)];
  char buf[17];
  std::snprintf(
      buf, sizeof buf, "%016llx",
      static_cast<unsigned long long>(fnv1a(w.substr(w.find_last_of('/') + 1) + "|" + params_of(combo).dump())));
  return buf;
}

ArchConfig SweepSpec::arch_of(uint64_t combo) const {
  nlohmann::json a = base;
  const auto d = digits(combo);
  for (size_t i = 0; i < params.size(); ++i) set_json_path(a, params[i].path, params[i].values[d[i]]);
  ArchConfig arch = parse_arch_json(a.dump(), base_file);
  arch.name = base.value("name", std::string("sweep")) + "#" + id_of(combo);
  return arch;
}

std::vector<uint64_t> SweepSpec::points() const {
  std::vector<uint64_t> out;
  const uint64_t n = combinations();
  if (constraints.empty()) {
    out.resize(n);
    for (uint64_t c = 0; c < n; ++c) out[c] = c;
    return out;
  }
  // Constraints read the point's own values, and the base's (defaults included) for the rest, so
  // expansion needs no parse of each combination. The one default that depends on another field:
  // a PE kind's lanes, when the kind varies and the lanes are neither varied nor set in the base.
  const nlohmann::json base_fields = arch_to_json(parse_arch_json(base.dump(), base_file));
  const bool base_sets_lanes = base.contains("pe") && base["pe"].contains("lanes");
  for (uint64_t c = 0; c < n; ++c) {
    const nlohmann::json p = params_of(c);
    bool invalid = false;  // a combination that is no valid architecture is kept: its run records the error
    auto look = [&](const std::string& path) -> FieldValue {
      if (path == kAreaField) {
        try {
          return area_mm2(arch_of(c));
        } catch (const InputError&) {
          invalid = true;
          return 0.0;
        }
      }
      if (p.contains(path)) {
        const auto& v = p[path];
        if (v.is_number()) return v.get<double>();
        if (v.is_string()) return v.get<std::string>();
      }
      if (path == "pe.lanes" && !base_sets_lanes && p.contains("pe.kind") && p["pe.kind"].is_string())
        if (const PeKind* k = find_pe_kind(p["pe.kind"].get<std::string>()))
          return static_cast<double>(k->default_lanes());
      return lookup(base_fields, path);
    };
    bool ok = true;
    for (const auto& k : constraints)
      if (!k.holds(look) && !invalid) {
        ok = false;
        break;
      }
    if (ok) out.push_back(c);
  }
  return out;
}

}  // namespace bitsys
