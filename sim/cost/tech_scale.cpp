#include "sim/cost/tech_scale.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "sim/cost/tech.h"
#include "sim/cost/tech_units.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"

namespace bitsys {

namespace {

struct NodeRule {
  double node_nm, area;
  std::vector<double> energy, delay;  ///< polynomial coefficients, highest power first
};

double poly(const std::vector<double>& c, double v) {
  double s = 0;
  for (double x : c) s = s * v + x;
  return s;
}

struct Rule {
  std::vector<NodeRule> nodes;  ///< by decreasing node
  std::map<std::string, std::string> not_scaled;
  std::string file, name;
};

std::vector<double> coefficients(JsonFields& f, const std::string& key, size_t n) {
  const nlohmann::json& a = f.raw(key);
  if (!a.is_array() || a.size() != n) f.fail(key, "must be an array of " + std::to_string(n) + " numbers");
  std::vector<double> out;
  for (const auto& x : a) {
    if (!x.is_number()) f.fail(key, "must be an array of " + std::to_string(n) + " numbers");
    out.push_back(x.get<double>());
  }
  return out;
}

Rule load_rule(const std::string& path) {
  JsonDocument doc = JsonDocument::load(path, "scaling");
  JsonFields& f = doc.fields();
  Rule r;
  r.file = path;
  r.name = doc.name();
  f.string("status");
  if (f.has("not_scaled")) {
    const nlohmann::json& ns = f.raw("not_scaled");
    if (!ns.is_object()) f.fail("not_scaled", "must map a field path to the reason it is not scaled");
    for (auto it = ns.begin(); it != ns.end(); ++it) r.not_scaled[it.key()] = it.value().dump();
  }
  const nlohmann::json& nodes = f.raw("nodes");
  if (!nodes.is_array() || nodes.empty()) f.fail("nodes", "must be a non-empty array");
  f.finish();
  for (size_t i = 0; i < nodes.size(); ++i) {
    JsonFields n(nodes[i], path, "scaling nodes[" + std::to_string(i) + "]");
    NodeRule nr;
    nr.node_nm = n.number("node_nm", 1, 1000, 0);
    nr.area = n.number("area_vs_45nm", 1e-6, 1e6, 0);
    if (!n.has("node_nm") || !n.has("area_vs_45nm")) n.fail(n.has("node_nm") ? "area_vs_45nm" : "node_nm", "missing");
    nr.energy = coefficients(n, "energy", 3);
    nr.delay = coefficients(n, "delay", 4);
    n.finish();
    if (!r.nodes.empty() && nr.node_nm >= r.nodes.back().node_nm)
      n.fail("node_nm", "nodes must be listed from the largest to the smallest");
    r.nodes.push_back(nr);
  }
  return r;
}

/// Area, energy and delay factors of a node at a voltage (relative units of the rule).
struct Factors {
  double area = 0, energy = 0, delay = 0;
  std::string how;
};

Factors factors_at(const Rule& r, double node, double vdd, const std::string& file, const std::string& field) {
  auto at = [&](const NodeRule& n) {
    Factors f{n.area, poly(n.energy, vdd), poly(n.delay, vdd), ""};
    if (f.energy <= 0 || f.delay <= 0) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "the %g nm fit gives no positive energy or delay at %g V (outside its range)",
                    n.node_nm, vdd);
      fail_input(file, "", field, buf);
    }
    return f;
  };
  for (size_t i = 0; i < r.nodes.size(); ++i) {
    if (r.nodes[i].node_nm == node) {
      Factors f = at(r.nodes[i]);
      f.how = "the rule's " + std::to_string(static_cast<int>(node)) + " nm row";
      return f;
    }
    if (i + 1 < r.nodes.size() && node < r.nodes[i].node_nm && node > r.nodes[i + 1].node_nm) {
      const Factors a = at(r.nodes[i]), b = at(r.nodes[i + 1]);
      const double w = std::log(r.nodes[i].node_nm / node) / std::log(r.nodes[i].node_nm / r.nodes[i + 1].node_nm);
      auto geo = [w](double x, double y) { return std::exp((1 - w) * std::log(x) + w * std::log(y)); };
      char buf[200];
      std::snprintf(buf, sizeof buf, "interpolated geometrically in log(node) between the rule's %g and %g nm rows",
                    r.nodes[i].node_nm, r.nodes[i + 1].node_nm);
      return {geo(a.area, b.area), geo(a.energy, b.energy), geo(a.delay, b.delay), buf};
    }
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "no scaling rule for %g nm in %s (it covers %g..%g nm)", node, r.file.c_str(),
                r.nodes.back().node_nm, r.nodes.front().node_nm);
  fail_input(file, "", field, buf);
}

std::string g6(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

/// Scales every sourced quantity below `j` (objects with "value" and "unit"), by its unit's dimension.
void scale_quantities(nlohmann::json& j, const std::string& path, const std::map<Dimension, double>& f,
                      const Rule& rule, const std::string& note) {
  if (j.is_array()) {
    for (auto& e : j) scale_quantities(e, path, f, rule, note);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("value") && j.contains("unit") && j["unit"].is_string() && j["value"].is_number()) {
    Dimension d;
    if (!dimension_of_unit(j["unit"].get<std::string>(), d)) return;  // parse_tech refused it already
    const auto it = f.find(d);
    if (it == f.end()) return;
    const auto ns = rule.not_scaled.find(path);
    if (ns != rule.not_scaled.end()) {
      j["source"] =
          j["source"].get<std::string>() + " | not scaled: " + nlohmann::json::parse(ns->second).get<std::string>();
      return;
    }
    j["value"] = std::stod(g6(j["value"].get<double>() * it->second));
    j["source"] =
        j["source"].get<std::string>() + " | x" + g6(it->second) + " (" + dimension_name(d) + ", " + note + ")";
    j["status"] = "derived";
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it)
    scale_quantities(it.value(), path.empty() ? it.key() : path + "." + it.key(), f, rule, note);
}

}  // namespace

nlohmann::json scale_tech(const ScaleRequest& req) {
  ScaleRequest r = req;
  r.from = tech_file_path(r.from);
  r.rule = tech_file_path(r.rule);
  const std::string text = read_text_file(r.from);
  const Tech src = parse_tech(text, r.from);  // refuses a malformed source before anything is scaled
  const Rule rule = load_rule(r.rule);
  const Factors a = factors_at(rule, src.node_nm, src.vdd_v, r.from, "node_nm");
  const Factors b = factors_at(rule, r.node_nm, r.vdd_v, "", "--node");
  const double fe = b.energy / a.energy, fa = b.area / a.area, fd = b.delay / a.delay;
  const double fl = fe / (fa * fd);
  const std::map<Dimension, double> f = {{Dimension::Energy, fe},
                                         {Dimension::EnergyPerByte, fe},
                                         {Dimension::Area, fa},
                                         {Dimension::Delay, fd},
                                         {Dimension::PowerDensity, fl}};
  nlohmann::json j = parse_json(text, r.from);
  const std::string from = display_path(r.from), rule_file = display_path(r.rule);
  const std::string note = "scaled from " + from + " (" + g6(src.node_nm) + " nm, " + g6(src.vdd_v) + " V) to " +
                           g6(r.node_nm) + " nm, " + g6(r.vdd_v) + " V by " + rule_file;
  scale_quantities(j, "", f, rule, note);
  j["name"] = r.name;
  j["node_nm"] = r.node_nm;
  j["vdd_v"] = r.vdd_v;
  j["notes"] = "Produced by `bitsys tech-scale` from " + from + " with the rule " + rule_file + " (" + rule.name +
               "); do not edit: regenerate (generated_by.command). Every scaled number's source names its factor.";
  j["generated_by"] = {{"command", "bitsys tech-scale --from " + from + " --rule " + rule_file + " --node " +
                                       g6(r.node_nm) + " --vdd " + g6(r.vdd_v) + " --name " + r.name},
                       {"source_node", a.how},
                       {"target_node", b.how},
                       {"factors",
                        {{"energy", std::stod(g6(fe))},
                         {"area", std::stod(g6(fa))},
                         {"delay", std::stod(g6(fd))},
                         {"leakage_power_density", std::stod(g6(fl))}}}};
  return j;
}

}  // namespace bitsys
