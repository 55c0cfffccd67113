#include "sim/cost/tech.h"

#include <sys/stat.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "sim/cost/tech_units.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_util.h"
#include "sim/ir/arch_config.h"

namespace bitsys {

namespace {

/// One sourced quantity {"value", "unit", "source", "status"} in the unit its dimension is
/// computed in (pJ, um2, ...).
double quantity(JsonFields& parent, const std::string& key, Dimension dim) {
  JsonFields q(parent.raw(key), parent.file(), parent.where() + " " + key);
  const double v = sourced_value(q, dim);
  q.finish();
  return v;
}

PeSynthesis read_design(const nlohmann::json& d, const std::string& file, size_t i) {
  JsonFields f(d, file, "design " + std::to_string(i));
  PeSynthesis p;
  p.design = f.string("name");
  p.kind = f.string("kind");
  p.lanes = static_cast<int>(f.integer("lanes", 1, 1 << 20));
  p.logic_transistors = static_cast<double>(f.integer("logic_transistors", 0, INT64_MAX));
  p.flip_flops = static_cast<double>(f.integer("flip_flops", 0, INT64_MAX));
  p.longest_path_levels = static_cast<double>(f.integer("longest_path_levels", 0, INT64_MAX));
  p.overlapped = f.boolean("overlapped", false);
  const int64_t rows = f.integer("rows", 1, 1 << 20), cols = f.integer("cols", 1, 1 << 20);
  for (const char* k :
       {"gate_cells", "word_cells", "latches", "logic_nand2_equivalents", "multipliers", "multipliers_9x9"})
    f.accept(k);
  f.finish();
  if (rows != 1 || cols != 1) p.lanes = 0;  // an array, not a PE
  return p;
}

std::vector<PeSynthesis> read_synthesis(const std::string& path) {
  const nlohmann::json j = parse_json(read_text_file(path), path);
  JsonFields f(j, path, "synthesis");
  const nlohmann::json& designs = f.raw("designs");
  for (const char* k : {"command", "flow", "tool"}) f.accept(k);
  f.finish();
  if (!designs.is_array()) f.fail("designs", "must be an array");
  std::vector<PeSynthesis> out;
  for (size_t i = 0; i < designs.size(); ++i) {
    PeSynthesis p = read_design(designs[i], path, i);
    if (p.lanes) out.push_back(p);
  }
  return out;
}

bool exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

}  // namespace

std::string tech_file_path(const std::string& path) {
  if (exists(path) || path.empty() || path[0] == '/') return path;
  const std::string d = data_path(path);
  return exists(d) ? d : path;
}

std::string default_tech_file() {
  return ArchConfig{}.tech;
}

double Tech::sram_pj_per_byte(double capacity_kib, bool write) const {
  const auto& p = sram_read;
  double e = p.front().read_pj_per_byte;
  if (p.size() > 1) {
    size_t i = 0;  // the segment [i, i + 1] holding the capacity, or the end segment nearest it
    while (i + 2 < p.size() && capacity_kib > p[i + 1].capacity_kib) ++i;
    const double x = std::log(capacity_kib), x0 = std::log(p[i].capacity_kib), x1 = std::log(p[i + 1].capacity_kib);
    const double y0 = std::log(p[i].read_pj_per_byte), y1 = std::log(p[i + 1].read_pj_per_byte);
    e = std::exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0));
  }
  return write ? e * sram_write_to_read : e;
}

PeSynthesis Tech::pe(const std::string& kind, int lanes, bool overlapped) const {
  std::vector<const PeSynthesis*> mine;
  for (const auto& p : pes)
    if (p.kind == kind && p.overlapped == overlapped) mine.push_back(&p);
  if (mine.empty())
    fail_input(pe_synthesis_file, "", "designs",
               "no synthesized PE of kind '" + kind + "'" +
                   (overlapped ? " with the overlapped schedule's registers" : "") +
                   " to price (run `bitsys synth --out " + pe_synthesis_file + "`)");
  for (const auto* p : mine)
    if (p->lanes == lanes) return *p;
  if (mine.size() == 1) {
    PeSynthesis p = *mine[0];
    p.design += " (the only synthesized lane count, used for L" + std::to_string(lanes) + ")";
    p.lanes = lanes;
    return p;
  }
  // The two synthesized lane counts nearest to `lanes` (a line through them, within or beyond).
  std::sort(mine.begin(), mine.end(), [&](const PeSynthesis* a, const PeSynthesis* b) {
    const int da = std::abs(a->lanes - lanes), db = std::abs(b->lanes - lanes);
    return da != db ? da < db : a->lanes < b->lanes;
  });
  const PeSynthesis& a = *std::min(mine[0], mine[1], [](auto x, auto y) { return x->lanes < y->lanes; });
  const PeSynthesis& b = *std::max(mine[0], mine[1], [](auto x, auto y) { return x->lanes < y->lanes; });
  const double t = static_cast<double>(lanes - a.lanes) / static_cast<double>(b.lanes - a.lanes);
  auto lerp = [&](double x, double y) { return std::max(0.0, x + (y - x) * t); };
  PeSynthesis p;
  p.kind = kind;
  p.lanes = lanes;
  p.overlapped = overlapped;
  p.logic_transistors = lerp(a.logic_transistors, b.logic_transistors);
  p.flip_flops = lerp(a.flip_flops, b.flip_flops);
  p.longest_path_levels = lerp(a.longest_path_levels, b.longest_path_levels);
  p.design = a.design + ".." + b.design + " (interpolated to L" + std::to_string(lanes) + ")";
  return p;
}

Tech parse_tech(const std::string& text, const std::string& file) {
  JsonDocument doc(text, file, "tech");
  JsonFields& f = doc.fields();
  Tech t;
  t.name = doc.name();
  t.file = display_path(file);
  t.node_nm = f.number("node_nm", 1, 1000, 0);
  if (!f.has("node_nm")) f.fail("node_nm", "missing");
  t.vdd_v = f.number("vdd_v", 0.1, 5, 0);
  if (!f.has("vdd_v")) f.fail("vdd_v", "missing");
  t.pe_synthesis_file = f.string("pe_synthesis");
  f.accept("generated_by");

  JsonFields lg(f.raw("logic"), file, "tech logic");
  t.gate_energy_pj = quantity(lg, "gate_energy", Dimension::Energy);
  t.logic_activity = quantity(lg, "logic_activity", Dimension::Ratio);
  t.register_activity = quantity(lg, "register_activity", Dimension::Ratio);
  // Activities are the share of nodes that toggle in a cycle.
  if (t.logic_activity > 1) lg.fail("logic_activity", "must be at most 1 (the share of gates toggling a cycle)");
  if (t.register_activity > 1)
    lg.fail("register_activity", "must be at most 1 (the share of flip-flops toggling a cycle)");
  t.flip_flop_energy_pj = quantity(lg, "flip_flop_energy", Dimension::Energy);
  t.clock_energy_pj = quantity(lg, "clock_energy", Dimension::Energy);
  t.gate_area_um2 = quantity(lg, "gate_area", Dimension::Area);
  t.transistor_area_um2 = quantity(lg, "transistor_area", Dimension::Area);
  t.flip_flop_area_um2 = quantity(lg, "flip_flop_area", Dimension::Area);
  t.gate_delay_ps = quantity(lg, "gate_delay", Dimension::Delay);
  lg.finish();

  JsonFields sr(f.raw("sram"), file, "tech sram");
  const nlohmann::json& points = sr.raw("read_energy");
  if (!points.is_array() || points.empty())
    sr.fail("read_energy", "must be a non-empty array of {capacity_kib, access_bits, value, unit, source, status}");
  for (size_t i = 0; i < points.size(); ++i) {
    JsonFields p(points[i], file, "tech sram read_energy[" + std::to_string(i) + "]");
    const double kib = p.number("capacity_kib", 1.0 / 1024, 1 << 30, 0);
    if (!p.has("capacity_kib")) p.fail("capacity_kib", "missing");
    const double bits = static_cast<double>(p.integer("access_bits", 1, 1 << 20));
    const double pj = sourced_value(p, Dimension::Energy);
    if (pj <= 0) p.fail("value", "must be > 0 (interpolated in log scale)");
    p.finish();
    if (!t.sram_read.empty() && kib <= t.sram_read.back().capacity_kib)
      p.fail("capacity_kib", "points must be in increasing capacity");
    t.sram_read.push_back({kib, pj / (bits / 8)});
  }
  t.sram_write_to_read = quantity(sr, "write_to_read", Dimension::Ratio);
  t.sram_bit_area_um2 = quantity(sr, "bit_area", Dimension::Area);
  sr.finish();

  JsonFields dr(f.raw("dram"), file, "tech dram");
  t.dram_pj_per_byte = quantity(dr, "energy", Dimension::EnergyPerByte);
  dr.finish();

  JsonFields vu(f.raw("vector_unit"), file, "tech vector_unit");
  t.vector_op_pj = quantity(vu, "op_energy", Dimension::Energy);
  t.vector_lane_gates = quantity(vu, "lane_gates", Dimension::Gates);
  t.vector_lane_flip_flops = quantity(vu, "lane_flip_flops", Dimension::FlipFlops);
  vu.finish();

  JsonFields lk(f.raw("leakage"), file, "tech leakage");
  t.leakage_mw_per_mm2 = quantity(lk, "power_density", Dimension::PowerDensity);
  lk.finish();
  f.finish();

  const std::string synth = tech_file_path(t.pe_synthesis_file);
  if (!exists(synth)) f.fail("pe_synthesis", "no such file: " + t.pe_synthesis_file);
  t.pes = read_synthesis(synth);
  return t;
}

const Tech& load_tech(const std::string& path) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<Tech>> cache;
  const std::string p = tech_file_path(path.empty() ? default_tech_file() : path);
  std::lock_guard<std::mutex> lock(m);
  auto it = cache.find(p);
  if (it != cache.end()) return *it->second;
  auto t = std::make_unique<Tech>(parse_tech(read_text_file(p), p));
  return *cache.emplace(p, std::move(t)).first->second;
}

}  // namespace bitsys
