#include "app/report/report.h"

#include "sim/io/data_paths.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/report/table.h"
#include "sim/cost/energy.h"

namespace bitsys {

namespace {

/// One row of every rendering. Only array ops have GEMM fields.
struct Row {
  const LayerResult* layer;
  const LayerResult* base;  ///< the baseline's layer of the same name, if any
};

std::vector<Row> rows_of(const Report& r) {
  std::map<std::string, const LayerResult*> base;
  if (r.baseline)
    for (const auto& l : r.baseline->layers) base[l.op.name] = &l;
  std::vector<Row> rows;
  for (const auto& l : r.run->layers) {
    auto it = base.find(l.op.name);
    rows.push_back({&l, it == base.end() ? nullptr : it->second});
  }
  return rows;
}

bool gemm(const LayerResult& l) {
  return l.op.placement == OpPlacement::Array;
}
bool timed(const LayerResult& l) {
  return l.op.placement == OpPlacement::Array || l.op.placement == OpPlacement::Vector;
}

/// Fused ops the vector unit applies beside the array show as "beside".
std::string place_of(const LayerResult& l) {
  if (l.op.placement == OpPlacement::Fused && l.op.beside) return "beside";
  return placement_name(l.op.placement);
}

using ull = unsigned long long;

RunCost cost_of(const RunResult& run) {
  return run_cost(run, load_tech(run.arch.tech));
}

/// Energy in picojoules as a person reads it: "812 pJ", "3.41 uJ", "1.27 mJ".
std::string energy_text(double pj) {
  static const struct {
    double scale;
    const char* unit;
  } units[] = {{1e12, "J"}, {1e9, "mJ"}, {1e6, "uJ"}, {1e3, "nJ"}, {1, "pJ"}};
  for (const auto& u : units)
    if (pj >= u.scale) return strf("%.3g %s", pj / u.scale, u.unit);
  return strf("%.3g pJ", pj);
}

const char* energy_label(int p) {
  static const char* labels[kEnergyParts] = {"PE compute",       "array data movement",
                                             "array clock",      "SRAM ifmap read",
                                             "SRAM filter read", "SRAM ofmap read",
                                             "SRAM ifmap write", "SRAM filter write",
                                             "SRAM ofmap write", "DRAM",
                                             "vector unit",      "leakage"};
  return labels[p];
}

const char* area_label(int p) {
  static const char* labels[kAreaParts] = {"PE array", "ifmap SRAM", "filter SRAM", "ofmap SRAM", "vector unit"};
  return labels[p];
}

void print_cost(std::ostream& os, const RunResult& run, const RunCost& c) {
  const CostModel& m = c.model;
  os << "energy and area (" << m.tech_name << ", " << m.tech_file << "; PE " << m.pe.design
     << "): " << energy_text(c.total.total_pj()) << strf(" per run (batch %lld), ", static_cast<long long>(run.batch))
     << energy_text(c.per_inference_j * 1e12) << " per inference, "
     << strf("%.3g W average at %g MHz", c.power_w(), run.arch.clock_mhz)
     << strf(", EDP %.3g J*s, area %.3g mm2\n", c.edp_js(), m.area_mm2());
  using T = TextTable;
  TextTable t({{"energy"}, {"", T::kRight}, {"share", T::kRight}, {"area"}, {"mm2", T::kRight}, {"share", T::kRight}});
  const double e = c.total.total_pj(), a = m.area_mm2();
  for (int p = 0; p < kEnergyParts || p < kAreaParts; ++p) {
    std::vector<std::string> cells(6);
    if (p < kEnergyParts) {
      cells[0] = energy_label(p);
      cells[1] = energy_text(c.total.pj[p]);
      cells[2] = strf("%.1f%%", e > 0 ? 100 * c.total.pj[p] / e : 0.0);
    }
    if (p < kAreaParts) {
      cells[3] = area_label(p);
      cells[4] = strf("%.4g", m.area_um2[p] * 1e-6);
      cells[5] = strf("%.1f%%", a > 0 ? 100 * m.area_um2[p] * 1e-6 / a : 0.0);
    }
    t.add_row(cells);
  }
  t.print(os, "  ");
}

/// ",<value>" as %.6g would print it, without printf's cost (a CSV has a dozen per layer).
void csv_number(std::ostream& os, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  os << ',' << std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

nlohmann::json energy_json(const Energy& e) {
  nlohmann::json j;
  for (int p = 0; p < kEnergyParts; ++p) j[energy_part_name(p)] = e.pj[p];
  j["total"] = e.total_pj();
  return j;
}

nlohmann::json cost_json(const RunResult& run, const RunCost& c) {
  const CostModel& m = c.model;
  nlohmann::json area;
  for (int p = 0; p < kAreaParts; ++p) area[area_part_name(p)] = m.area_um2[p] * 1e-6;
  area["total"] = m.area_mm2();
  return {{"tech", {{"name", m.tech_name}, {"file", m.tech_file}}},
          {"pe_design", m.pe.design},
          {"pe_area_um2", m.pe_area_um2},
          {"pe_max_clock_mhz", m.pe_max_clock_mhz},
          {"prices_pj",
           {{"pe_beat", m.pe_beat_pj},
            {"pe_beat_registers", m.pe_move_pj},
            {"array_cycle", m.array_cycle_pj},
            {"sram_read_byte",
             {{"ifmap", m.sram_read_pj_per_byte[kIfmap]},
              {"filter", m.sram_read_pj_per_byte[kFilter]},
              {"ofmap", m.sram_read_pj_per_byte[kOfmap]}}},
            {"sram_write_byte",
             {{"ifmap", m.sram_write_pj_per_byte[kIfmap]},
              {"filter", m.sram_write_pj_per_byte[kFilter]},
              {"ofmap", m.sram_write_pj_per_byte[kOfmap]}}},
            {"dram_byte", m.dram_pj_per_byte},
            {"vector_op", m.vector_op_pj},
            {"leakage_cycle", m.leakage_pj_per_cycle}}},
          {"area_mm2", area},
          {"energy_pj", energy_json(c.total)},
          {"energy_j", c.energy_j()},
          {"energy_per_inference_j", c.per_inference_j},
          {"batch", run.batch},
          {"power_w", c.power_w()},
          {"edp_js", c.edp_js()}};
}

}  // namespace

double Report::speedup() const {
  if (!baseline || run->total_cycles == 0) return 0;
  return static_cast<double>(baseline->total_cycles) / static_cast<double>(run->total_cycles);
}

void print_table(std::ostream& os, const Report& r) {
  const RunResult& run = *r.run;
  const ArchConfig& a = run.arch;
  os << "bitsys " << run.fidelity << ": " << run.workload << " on " << a.name << " (" << a.summary() << ", "
     << schedule_name(a.schedule) << ", buffers " << strf("%g/%g/%g", a.ifmap_kib, a.filter_kib, a.ofmap_kib)
     << " KiB, DRAM "
     << (a.dram_unlimited
             ? std::string("unlimited")
             : strf("%g B/cycle", a.dram_bytes_per_cycle) + " latency " + std::to_string(a.dram_latency_cycles))
     << ")\n";
  const bool b = r.baseline != nullptr;
  using T = TextTable;
  std::vector<T::Column> cols = {{"layer"},
                                 {"place"},
                                 {"M", T::kRight},
                                 {"K", T::kRight},
                                 {"N", T::kRight},
                                 {"g", T::kRight},
                                 {"act"},
                                 {"weights"},
                                 {"folds", T::kRight},
                                 {"cycles", T::kRight},
                                 {"stall", T::kRight},
                                 {"DRAM B", T::kRight},
                                 {"util%", T::kRight},
                                 {"energy", T::kRight}};
  if (b) cols.insert(cols.end(), {{"base_cycles", T::kRight}, {"speedup", T::kRight}});
  TextTable t(cols);
  const RunCost cost = cost_of(run);
  const auto all_rows = rows_of(r);
  for (size_t i = 0; i < all_rows.size(); ++i) {
    const Row& row = all_rows[i];
    const LayerResult& l = *row.layer;
    if (!timed(l)) {
      t.add_spanning_row(
          {l.op.name, place_of(l)},
          l.op.out.str() + " -> " +
              (l.op.placement == OpPlacement::Fused ? l.op.fused_into : std::string("(addressing only)")));
      continue;
    }
    const auto& g = l.op.gemm;
    std::vector<std::string> cells;
    if (gemm(l))
      cells = {l.op.name,
               "array",
               std::to_string(g.M),
               std::to_string(g.K),
               std::to_string(g.N),
               std::to_string(g.groups),
               l.op.act.str(),
               l.op.weights.str(),
               std::to_string(l.memory.folds),
               std::to_string(l.timing.cycles()),
               std::to_string(l.timing.stall),
               std::to_string(l.timing.dram_bytes()),
               strf("%.1f", 100 * l.utilization),
               energy_text(cost.layers[i].total_pj())};
    else
      cells = {l.op.name,
               "vector",
               "",
               "",
               "",
               "",
               l.op.act.str(),
               "",
               "",
               std::to_string(l.timing.cycles()),
               std::to_string(l.timing.stall),
               std::to_string(l.timing.dram_bytes()),
               "",
               energy_text(cost.layers[i].total_pj())};
    if (row.base && timed(*row.base) && l.timing.cycles()) {
      cells.push_back(std::to_string(row.base->timing.cycles()));
      cells.push_back(
          strf("%.2fx", static_cast<double>(row.base->timing.cycles()) / static_cast<double>(l.timing.cycles())));
    }
    t.add_row(cells);
  }
  t.print(os);
  os << "total: " << human_count(static_cast<double>(run.total_macs)) << " MACs, " << with_commas(run.total_cycles)
     << " cycles (" << strf("%.3f ms at %g MHz", run.milliseconds(), a.clock_mhz) << "): array "
     << with_commas(run.array_cycles()) << ", vector unit " << with_commas(run.vector_cycles())
     << (run.beside_cycles() ? " (+ " + with_commas(run.beside_cycles()) + " beside the array)" : std::string())
     << ", stalls " << with_commas(run.stall_cycles()) << "; DRAM " << human_bytes(static_cast<double>(run.dram_read))
     << " read, " << human_bytes(static_cast<double>(run.dram_written))
     << strf(" written; utilization %.1f%%; ", 100 * run.utilization())
     << (run.verified ? "every layer verified against the whole-network reference" : "outputs not verified") << "\n";
  print_cost(os, run, cost);
  if (run.layers_from_tensors)
    os << plural(run.layers_from_tensors, "GEMM layer")
       << " computed on the supplied tensors; the others on seeded random operands\n";
  if (b) {
    const RunCost bc = cost_of(*r.baseline);
    os << "baseline: " << r.baseline->workload << " on " << r.baseline->arch.name << " (" << r.baseline->arch.summary()
       << "): " << with_commas(r.baseline->total_cycles) << strf(" cycles -> speed-up %.2fx; ", r.speedup())
       << energy_text(bc.total.total_pj())
       << strf(", %.3g mm2 -> energy ratio %.2fx\n", bc.model.area_mm2(),
               cost.total.total_pj() > 0 ? bc.total.total_pj() / cost.total.total_pj() : 0.0);
  }
}

namespace {

nlohmann::json per_buffer(const PerBuffer& v) {
  return {{"ifmap", v[kIfmap]}, {"filter", v[kFilter]}, {"ofmap", v[kOfmap]}};
}

nlohmann::json run_json(const RunResult& run) {
  const ArchConfig& a = run.arch;
  nlohmann::json j;
  j["workload"] = run.workload;
  j["workload_file"] = run.workload_file;
  j["fidelity"] = run.fidelity;
  j["arch"] = {{"name", a.name},
               {"file", a.file},
               {"rows", a.rows},
               {"cols", a.cols},
               {"dataflow", dataflow_info(a.dataflow).name},
               {"pe_kind", a.pe_name()},
               {"lanes", a.lanes},
               {"clock_mhz", a.clock_mhz},
               {"schedule", schedule_name(a.schedule)},
               {"buffers_kib", {{"ifmap", a.ifmap_kib}, {"filter", a.filter_kib}, {"ofmap", a.ofmap_kib}}},
               {"dram",
                {{"bandwidth_bytes_per_cycle",
                  a.dram_unlimited ? nlohmann::json("unlimited") : nlohmann::json(a.dram_bytes_per_cycle)},
                 {"latency_cycles", a.dram_latency_cycles}}},
               {"vector_lanes", a.vector_lanes}};
  j["total_cycles"] = run.total_cycles;
  j["array_cycles"] = run.array_cycles();
  j["vector_cycles"] = run.vector_cycles();
  j["vector_cycles_beside_array"] = run.beside_cycles();
  j["stall_cycles"] = run.stall_cycles();
  j["dram_bytes_read"] = run.dram_read;
  j["dram_bytes_written"] = run.dram_written;
  j["total_macs"] = run.total_macs;
  j["milliseconds"] = run.milliseconds();
  j["utilization"] = run.utilization();
  j["verified"] = run.verified;
  j["tech"] = run.arch.tech;
  j["cost"] = cost_json(run, cost_of(run));
  return j;
}

}  // namespace

std::string render_json(const Report& r) {
  nlohmann::json j = run_json(*r.run);
  j["layers"] = nlohmann::json::array();
  const RunCost cost = cost_of(*r.run);
  const auto all_rows = rows_of(r);
  for (size_t i = 0; i < all_rows.size(); ++i) {
    const Row& row = all_rows[i];
    const LayerResult& l = *row.layer;
    nlohmann::json e = {{"name", l.op.name},        {"type", layer_type_info(l.op.type).name},
                        {"placement", place_of(l)}, {"act", l.op.act.str()},
                        {"out", l.op.out.str()},    {"elements", l.op.elements}};
    if (l.op.placement == OpPlacement::Fused) e["fused_into"] = l.op.fused_into;
    if (timed(l)) {
      e["cycles"] = l.timing.cycles();
      e["compute_cycles"] = l.timing.compute;
      e["stall_cycles"] = l.timing.stall;
      if (l.op.placement == OpPlacement::Array) e["vector_cycles_beside_array"] = l.timing.beside;
      for (int k = 0; k < kStallCauses; ++k) e["stall_by"][stall_cause_name(k)] = l.timing.stall_by[k];
      e["dram_read"] = per_buffer(l.timing.dram_read);
      e["dram_written"] = l.timing.dram_write;
      e["sram_read"] = per_buffer(l.timing.sram_read);
      e["sram_written"] = per_buffer(l.timing.sram_write);
      e["peak_occupancy"] = per_buffer(l.memory.peak);
      e["tiles"] = l.memory.tiles;
      e["input_on_chip"] = l.memory.input_on_chip;
      e["output_on_chip"] = l.memory.output_on_chip;
      e["energy_pj"] = energy_json(cost.layers[i]);
    }
    if (gemm(l)) {
      const auto& g = l.op.gemm;
      e["gemm"] = {{"M", g.M}, {"K", g.K}, {"N", g.N}, {"groups", g.groups}};
      e["weights"] = l.op.weights.str();
      e["emits"] = l.op.emit_precision.str();
      e["macs"] = l.op.macs;
      e["beats"] = l.shape.Kb;
      e["fold_space"] = {{"Sr", l.shape.space.Sr}, {"Sc", l.shape.space.Sc}, {"T", l.shape.space.T}};
      e["folds"] = l.memory.folds;
      e["stall_free_cycles"] = l.shape.cycles;
      e["utilization"] = l.utilization;
      e["post_ops"] = l.op.post_ops;
      e["chunk"] = l.memory.chunk;
      e["ifmap_resident"] = l.memory.ifmap_resident;
      e["filter_resident"] = l.memory.filter_resident;
    }
    if (row.base && timed(*row.base) && timed(l)) {
      e["baseline_cycles"] = row.base->timing.cycles();
      if (l.timing.cycles())
        e["speedup"] = static_cast<double>(row.base->timing.cycles()) / static_cast<double>(l.timing.cycles());
    }
    j["layers"].push_back(e);
  }
  if (r.baseline) {
    j["baseline"] = run_json(*r.baseline);
    j["speedup"] = r.speedup();
  }
  return j.dump(2) + "\n";
}

std::string render_csv(const Report& r) {
  std::ostringstream os;
  os << "layer,type,placement,M,K,N,groups,act,weights,macs,folds,cycles,compute_cycles,stall_cycles,dram_read_ifmap,"
        "dram_read_filter,"
        "dram_read_ofmap,dram_written,peak_ifmap,peak_filter,peak_ofmap,utilization,stall_ifmap,stall_filter,stall_"
        "ofmap,stall_writeback";
  if (r.baseline) os << ",baseline_cycles,speedup";
  os << ",energy_pj";
  for (int p = 0; p < kEnergyParts; ++p) os << ",energy_" << energy_part_name(p) << "_pj";
  // Whole-run figures fill the TOTAL row only.
  os << ",area_mm2";
  for (int p = 0; p < kAreaParts; ++p) os << ",area_" << area_part_name(p) << "_mm2";
  os << ",energy_per_inference_j,power_w,edp_js,tech_file\n";
  const RunCost cost = cost_of(*r.run);
  const auto all_rows = rows_of(r);
  for (size_t i = 0; i < all_rows.size(); ++i) {
    const Row& row = all_rows[i];
    const LayerResult& l = *row.layer;
    os << l.op.name << "," << layer_type_info(l.op.type).name << "," << place_of(l);
    if (gemm(l)) {
      const auto& g = l.op.gemm;
      os << "," << g.M << "," << g.K << "," << g.N << "," << g.groups << "," << l.op.act.str() << ","
         << l.op.weights.str() << "," << l.op.macs << "," << l.memory.folds;
    } else {
      os << ",,,,," << l.op.act.str() << ",,,";
    }
    const OpTiming& t = l.timing;
    os << "," << t.cycles() << "," << t.compute << "," << t.stall << "," << t.dram_read[kIfmap] << ","
       << t.dram_read[kFilter] << "," << t.dram_read[kOfmap] << "," << t.dram_write << "," << l.memory.peak[kIfmap]
       << "," << l.memory.peak[kFilter] << "," << l.memory.peak[kOfmap] << ","
       << (gemm(l) ? strf("%.6f", l.utilization) : "");
    for (int k = 0; k < kStallCauses; ++k) os << "," << t.stall_by[k];
    if (r.baseline) {
      if (row.base && timed(*row.base) && t.cycles())
        os << "," << row.base->timing.cycles() << ","
           << strf("%.6f", static_cast<double>(row.base->timing.cycles()) / static_cast<double>(t.cycles()));
      else
        os << ",,";
    }
    csv_number(os, cost.layers[i].total_pj());
    for (int p = 0; p < kEnergyParts; ++p) csv_number(os, cost.layers[i].pj[p]);
    os << "," << std::string(kAreaParts + 4, ',') << "\n";
  }
  const RunResult& run = *r.run;
  os << "TOTAL,,,,,,,,," << run.total_macs << ",," << run.total_cycles << ","
     << (run.array_cycles() + run.vector_cycles()) << "," << run.stall_cycles() << ",,,," << run.dram_written << ",,,,"
     << strf("%.6f", run.utilization()) << ",,,,";
  if (r.baseline) os << "," << r.baseline->total_cycles << "," << strf("%.6f", r.speedup());
  csv_number(os, cost.total.total_pj());
  for (int p = 0; p < kEnergyParts; ++p) csv_number(os, cost.total.pj[p]);
  csv_number(os, cost.model.area_mm2());
  for (int p = 0; p < kAreaParts; ++p) csv_number(os, cost.model.area_um2[static_cast<size_t>(p)] * 1e-6);
  csv_number(os, cost.per_inference_j);
  csv_number(os, cost.power_w());
  csv_number(os, cost.edp_js());
  os << "," << display_path(cost.model.tech_file) << "\n";
  return os.str();
}

std::string render_scalesim_compute_report(const RunResult& run) {
  const ArchConfig& a = run.arch;
  const double pes = static_cast<double>(a.rows) * a.cols;
  std::ostringstream os;
  os << "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n";
  int id = 0;
  for (const auto& l : run.layers) {
    if (!gemm(l)) continue;
    const double useful = l.utilization * static_cast<double>(l.timing.cycles());  // in PE-lane-cycles / (R*C*L)
    const double mapped = static_cast<double>(l.shape.space.Sr) * static_cast<double>(l.shape.space.Sc) *
                          static_cast<double>(l.op.gemm.groups);
    const double mapping = 100.0 * mapped / (static_cast<double>(l.shape.folds) * pes);
    const double compute = l.timing.compute ? 100.0 * useful / static_cast<double>(l.timing.compute) : 0;
    os << id++ << ", " << l.timing.cycles() << ", " << l.timing.stall << ", " << strf("%.4f", 100 * l.utilization)
       << ", " << strf("%.4f", mapping) << ", " << strf("%.4f", compute) << ",\n";
  }
  return os.str();
}

}  // namespace bitsys
