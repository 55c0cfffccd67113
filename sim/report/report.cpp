#include "sim/report/report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bitsys {

namespace {

/// One row of every rendering. Non-GEMM ops have no GEMM fields.
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

bool gemm(const LayerResult& l) { return l.op.placement == OpPlacement::Array; }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string placement_of(const LayerResult& l) {
  if (l.op.placement == OpPlacement::Fused) return "fused>" + l.op.fused_into;
  return placement_name(l.op.placement);
}

}  // namespace

double Report::speedup() const {
  if (!baseline || run->total_cycles == 0) return 0;
  return static_cast<double>(baseline->total_cycles) / static_cast<double>(run->total_cycles);
}

void print_table(std::ostream& os, const Report& r) {
  const RunResult& run = *r.run;
  os << "bitsys " << run.fidelity << ": " << run.workload << " on " << run.arch.name << " (" << run.arch.summary() << ", "
     << schedule_name(run.arch.schedule) << ")\n";
  char line[512];
  const bool b = r.baseline != nullptr;
  std::snprintf(line, sizeof line, "%-22s %-8s %8s %7s %6s %4s %-5s %-13s %6s %12s %6s%s\n", "layer", "place", "M", "K", "N", "g",
                "act", "weights", "folds", "cycles", "util%", b ? "  base_cycles speedup" : "");
  os << line;
  for (const auto& row : rows_of(r)) {
    const LayerResult& l = *row.layer;
    if (!gemm(l)) {
      std::snprintf(line, sizeof line, "%-22s %-8s %8s %7s %6s %4s %-5s %-13s %6s %12s %6s\n", l.op.name.c_str(),
                    placement_of(l).substr(0, 8).c_str(), "", "", "", "", l.op.act.str().c_str(), "", "", "-", "");
      os << line;
      continue;
    }
    const auto& g = l.op.gemm;
    std::snprintf(line, sizeof line, "%-22s %-8s %8lld %7lld %6lld %4lld %-5s %-13s %6llu %12llu %6.1f", l.op.name.c_str(), "array",
                  static_cast<long long>(g.M), static_cast<long long>(g.K), static_cast<long long>(g.N), static_cast<long long>(g.groups),
                  l.op.act.str().c_str(), l.op.weights.str().c_str(), static_cast<unsigned long long>(l.run.folds),
                  static_cast<unsigned long long>(l.run.cycles), 100 * l.utilization);
    os << line;
    if (row.base && gemm(*row.base) && l.run.cycles) {
      std::snprintf(line, sizeof line, " %12llu %6.2fx", static_cast<unsigned long long>(row.base->run.cycles),
                    static_cast<double>(row.base->run.cycles) / static_cast<double>(l.run.cycles));
      os << line;
    }
    os << "\n";
  }
  std::snprintf(line, sizeof line, "total: %.4g G MACs, %llu cycles (%.3f ms at %g MHz), utilization %.1f%%, %s\n",
                static_cast<double>(run.total_macs) / 1e9, static_cast<unsigned long long>(run.total_cycles), run.milliseconds(),
                run.arch.clock_mhz, 100 * run.utilization(), run.verified ? "outputs verified against the reference GEMM" : "outputs not verified");
  os << line;
  if (b) {
    std::snprintf(line, sizeof line, "baseline: %s on %s (%s): %llu cycles -> speed-up %.2fx\n", r.baseline->workload.c_str(),
                  r.baseline->arch.name.c_str(), r.baseline->arch.summary().c_str(),
                  static_cast<unsigned long long>(r.baseline->total_cycles), r.speedup());
    os << line;
  }
  os << "vector-unit ops (pools, adds, unfused BN/PReLU) are listed but not yet timed; fused ops cost no cycle\n";
}

namespace {

nlohmann::json run_json(const RunResult& run) {
  nlohmann::json j;
  j["workload"] = run.workload;
  j["workload_file"] = run.workload_file;
  j["fidelity"] = run.fidelity;
  j["arch"] = {{"name", run.arch.name},       {"file", run.arch.file},           {"rows", run.arch.rows},
               {"cols", run.arch.cols},       {"dataflow", dataflow_info(run.arch.dataflow).name},
               {"pe_kind", run.arch.pe_name()}, {"lanes", run.arch.lanes},       {"clock_mhz", run.arch.clock_mhz},
               {"schedule", schedule_name(run.arch.schedule)}};
  j["total_cycles"] = run.total_cycles;
  j["total_macs"] = run.total_macs;
  j["milliseconds"] = run.milliseconds();
  j["utilization"] = run.utilization();
  j["verified"] = run.verified;
  return j;
}

}  // namespace

std::string render_json(const Report& r) {
  nlohmann::json j = run_json(*r.run);
  j["layers"] = nlohmann::json::array();
  for (const auto& row : rows_of(r)) {
    const LayerResult& l = *row.layer;
    nlohmann::json e = {{"name", l.op.name}, {"type", layer_type_info(l.op.type).name}, {"placement", placement_name(l.op.placement)},
                        {"act", l.op.act.str()}, {"out", l.op.out.str()}, {"elements", l.op.elements}};
    if (l.op.placement == OpPlacement::Fused) e["fused_into"] = l.op.fused_into;
    if (gemm(l)) {
      const auto& g = l.op.gemm;
      e["gemm"] = {{"M", g.M}, {"K", g.K}, {"N", g.N}, {"groups", g.groups}};
      e["weights"] = l.op.weights.str();
      e["macs"] = l.op.macs;
      e["beats"] = l.run.Kb;
      e["fold_space"] = {{"Sr", l.run.space.Sr}, {"Sc", l.run.space.Sc}, {"T", l.run.space.T}};
      e["folds"] = l.run.folds;
      e["cycles"] = l.run.cycles;
      e["utilization"] = l.utilization;
      e["post_ops"] = l.op.post_ops;
      if (row.base && gemm(*row.base)) {
        e["baseline_cycles"] = row.base->run.cycles;
        if (l.run.cycles) e["speedup"] = static_cast<double>(row.base->run.cycles) / static_cast<double>(l.run.cycles);
      }
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
  os << "layer,type,placement,M,K,N,groups,act,weights,macs,beats,folds,cycles,utilization";
  if (r.baseline) os << ",baseline_cycles,speedup";
  os << "\n";
  for (const auto& row : rows_of(r)) {
    const LayerResult& l = *row.layer;
    os << l.op.name << "," << layer_type_info(l.op.type).name << "," << placement_name(l.op.placement);
    if (gemm(l)) {
      const auto& g = l.op.gemm;
      os << "," << g.M << "," << g.K << "," << g.N << "," << g.groups << "," << l.op.act.str() << "," << l.op.weights.str() << ","
         << l.op.macs << "," << l.run.Kb << "," << l.run.folds << "," << l.run.cycles << "," << fmt("%.6f", l.utilization);
      if (r.baseline) {
        if (row.base && gemm(*row.base) && l.run.cycles)
          os << "," << row.base->run.cycles << "," << fmt("%.6f", static_cast<double>(row.base->run.cycles) / static_cast<double>(l.run.cycles));
        else
          os << ",,";
      }
    } else {
      os << ",,,,," << l.op.act.str() << ",,,,,0,";
      if (r.baseline) os << ",,";
    }
    os << "\n";
  }
  os << "TOTAL,,,,,,,,," << r.run->total_macs << ",,," << r.run->total_cycles << "," << fmt("%.6f", r.run->utilization());
  if (r.baseline) os << "," << r.baseline->total_cycles << "," << fmt("%.6f", r.speedup());
  os << "\n";
  return os.str();
}

}  // namespace bitsys
