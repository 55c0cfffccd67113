#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/report/table.h"
#include "app/study/study.h"
#include "sim/io/data_paths.h"

namespace bitsys {

namespace {

/// MACs by precision, largest first; beyond three precisions the rest are summed ("+4 more 0.12G").
std::string macs_summary(const StudyCase& c) {
  std::vector<std::pair<uint64_t, std::string>> by_size;
  for (const auto& [k, v] : c.macs_by_precision) by_size.emplace_back(v, k);
  std::sort(by_size.begin(), by_size.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  std::string s;
  uint64_t rest = 0;
  for (size_t i = 0; i < by_size.size(); ++i) {
    if (i < 2 || by_size.size() == 3)
      s += (s.empty() ? "" : ", ") + by_size[i].second + " " +
           strf("%.3g", static_cast<double>(by_size[i].first) / 1e9) + "G";
    else
      rest += by_size[i].first;
  }
  if (by_size.size() > 3) s += strf(", %zu more %.3gG", by_size.size() - 2, static_cast<double>(rest) / 1e9);
  return s;
}

/// A file name for a case's per-layer plot: the key with every odd character replaced.
std::string plot_name(const std::string& key) {
  std::string s = "layers_";
  for (char ch : key) s += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  return s + ".png";
}

/// The claims table's leading columns: the claim, the paper's figure, bitsys's ratio under the
/// plan's architectures and under each configuration; then `rest`.
std::vector<TextTable::Column> claim_columns(const StudyResult& r, std::vector<TextTable::Column> rest) {
  std::vector<TextTable::Column> cols = {{"claim"}, {"paper"}};
  const std::string base = r.plan.configurations.empty() ? "bitsys" : "bitsys " + r.plan.configuration_name;
  cols.push_back({base, TextTable::kRight});
  for (const auto& conf : r.plan.configurations) cols.push_back({"bitsys " + conf.name, TextTable::kRight});
  cols.push_back({"at equal area", TextTable::kRight});
  cols.push_back({"energy", TextTable::kRight});
  cols.insert(cols.end(), rest.begin(), rest.end());
  return cols;
}

std::string paper(const StudyClaim& c);

std::vector<std::string> claim_cells(const StudyResult& r, size_t c) {
  const ClaimResult& cl = r.claims[c];
  std::vector<std::string> row = {cl.claim.claim, paper(cl.claim), strf("%.2fx", cl.measured)};
  for (size_t k = 0; k < r.plan.configurations.size(); ++k) {
    const double x = r.configuration_ratios[k][c];
    row.push_back(std::isnan(x) ? "-" : strf("%.2fx", x));
  }
  row.push_back(strf("%.2fx", cl.equal_area));
  row.push_back(strf("%.2fx", cl.energy));
  return row;
}

/// Energy per inference, area, and each case again at its task baseline's area.
void render_cost(std::ostream& os, const StudyResult& r) {
  if (r.cases.empty()) return;
  os << "\n## Energy and area\n\nPriced by each architecture's technology file (" << r.cases.front().tech
     << " here; `configs/tech/README.md`) from the run's action counts. *At equal area*: the same PE kind on "
        "the square array whose chip area (PE array, buffers, vector unit) is nearest the task baseline's, run "
        "again (analytic).\n\n";
  using T = TextTable;
  TextTable t({{"network"},
               {"array"},
               {"energy / inference", T::kRight},
               {"baseline / this", T::kRight},
               {"area mm2", T::kRight},
               {"at equal area", T::kRight},
               {"cycles there", T::kRight},
               {"speed-up there", T::kRight}});
  for (const auto& c : r.cases)
    t.add_row({c.label, c.arch, strf("%.3g mJ", c.energy_j * 1e3), strf("%.2fx", c.energy_ratio),
               strf("%.2f", c.area_mm2),
               strf("%dx%d, %.2f mm2", c.equal_area_side, c.equal_area_side, c.equal_area_mm2),
               with_commas(c.equal_area_cycles), strf("%.2fx", c.equal_area_speedup)});
  os << t.markdown() << "\n![energy per inference by component](energy_breakdown.png)\n";
}

std::string paper(const StudyClaim& c) {
  return c.lo == c.hi ? strf("%gx", c.lo) : strf("%g", c.lo) + "-" + strf("%gx", c.hi);
}

std::string arch_line(const std::string& name, const ArchConfig& a) {
  std::ostringstream os;
  os << "`" << name << "`: " << a.summary() << ", " << a.ifmap_kib << "/" << a.filter_kib << "/" << a.ofmap_kib
     << " KiB buffers, DRAM "
     << (a.dram_unlimited
             ? std::string("unlimited")
             : strf("%g", a.dram_bytes_per_cycle) + " B/cycle, latency " + std::to_string(a.dram_latency_cycles))
     << ", vector unit " << a.vector_lanes << " lanes (`" << display_path(a.file) << "`)";
  return os.str();
}

}  // namespace

void print_study_table(std::ostream& os, const StudyResult& r) {
  os << "bitsys study (" << r.fidelity << "): " << r.plan.name << "\n";
  using T = TextTable;
  TextTable cases({{"network"},
                   {"task"},
                   {"array"},
                   {"MACs by precision"},
                   {"cycles", T::kRight},
                   {"vector", T::kRight},
                   {"stalls", T::kRight},
                   {"DRAM MB", T::kRight},
                   {"vs baseline", T::kRight}});
  for (const auto& c : r.cases)
    cases.add_row({c.label, c.task, c.arch, macs_summary(c), with_commas(c.run.total_cycles),
                   with_commas(c.run.vector_cycles()), with_commas(c.run.stall_cycles()),
                   strf("%.2f", static_cast<double>(c.run.dram_read + c.run.dram_written) / 1e6),
                   strf("%.2fx", c.speedup)});
  cases.print(os);
  if (r.claims.empty()) return;
  os << "\nthe papers' claims (cycle ratios):\n";
  TextTable claims(claim_columns(r, {{"verdict"}}));
  for (size_t c = 0; c < r.claims.size(); ++c) {
    const ClaimResult& cl = r.claims[c];
    std::vector<std::string> row = claim_cells(r, c);
    row.push_back(cl.verdict + (cl.driver.empty() ? "" : "; " + cl.driver));
    claims.add_row(row);
  }
  claims.print(os, "  ");
}

namespace {

/// Whether any claim's ratio under variant v differs visibly from the claim's modelled ratio.
bool moves_a_claim(const StudyResult& r, const Sensitivity& s, size_t v) {
  if (!s.errors[v].empty()) return true;
  for (size_t c = 0; c < r.claims.size(); ++c)
    if (std::fabs(s.ratios[v][c] - r.claims[c].measured) >= 0.005) return true;
  return false;
}

void render_sensitivity(std::ostream& os, const StudyResult& r) {
  // Claims as rows, each varied assumption one column of "low / high" ratios; assumptions that
  // move no claim are named once instead of filling a column with the base case.
  std::vector<const Sensitivity*> moving;
  std::vector<std::string> still;
  for (const auto& s : r.sensitivity) {
    bool any = false;
    for (size_t v = 0; v < s.variants.size(); ++v) any = any || moves_a_claim(r, s, v);
    if (any)
      moving.push_back(&s);
    else
      still.push_back(s.assumption);
  }
  os << "## Sensitivity\n\nEach claim's ratio (analytic) when one assumption changes on every architecture it applies "
        "to, "
        "the others as modelled. Cells list the variants in the order of the header.\n\n";
  if (!moving.empty()) {
    std::vector<TextTable::Column> cols = {{"claim"}, {"paper"}, {"as modelled", TextTable::kRight}};
    for (const auto* s : moving) {
      std::string variants;
      for (const auto& v : s->variants) variants += (variants.empty() ? "" : " / ") + v;
      cols.push_back({s->assumption + " (" + s->base_value + "): " + variants, TextTable::kRight});
    }
    TextTable t(cols);
    for (size_t c = 0; c < r.claims.size(); ++c) {
      std::vector<std::string> row = {r.claims[c].claim.claim, paper(r.claims[c].claim),
                                      strf("%.2fx", r.claims[c].measured)};
      for (const auto* s : moving) {
        std::string cell;
        for (size_t v = 0; v < s->variants.size(); ++v)
          cell += (v ? " / " : "") + (s->errors[v].empty() ? strf("%.2fx", s->ratios[v][c]) : std::string("n/a"));
        row.push_back(cell);
      }
      t.add_row(row);
    }
    os << t.markdown() << "\n";
  }
  for (const auto& s : r.sensitivity)
    for (size_t v = 0; v < s.variants.size(); ++v)
      if (!s.errors[v].empty())
        os << "n/a: " << s.assumption << " " << s.variants[v] << " is not a valid configuration (" << s.errors[v]
           << ").\n\n";
  if (!still.empty()) {
    os << "No claim moves by 0.01x or more when these change:";
    for (size_t i = 0; i < still.size(); ++i) os << (i ? "; " : " ") << still[i];
    os << ".\n\n";
  }
  if (!r.plan.sensitivity_note.empty()) os << r.plan.sensitivity_note << "\n\n";
}

}  // namespace

std::string render_study_markdown(const StudyResult& r) {
  std::ostringstream os;
  os << "# bitsys study: " << r.plan.name << "\n\n";
  if (!r.plan.description.empty()) os << r.plan.description << "\n\n";
  os << "Produced by `bitsys study --plan " << display_path(r.plan.file) << "` at the **" << r.fidelity
     << "** fidelity (the analytic model equals the cycle-accurate SystemC model cycle for cycle, stalls and DRAM "
        "bytes included: "
        "`bitsys crosscheck`), in "
     << strf("%.1f", r.wall_seconds) << " s.\n\n";
  os << "## Architectures\n\n";
  for (const auto& [name, a] : r.archs) os << "- " << arch_line(name, a) << "\n";
  os << "\n## Results\n\nSpeed-up is the task's baseline network's cycles over the case's cycles.\n\n";
  using T = TextTable;
  TextTable results({{"network"},
                     {"task"},
                     {"array"},
                     {"MACs by precision"},
                     {"cycles", T::kRight},
                     {"vector-unit cycles", T::kRight},
                     {"stall cycles", T::kRight},
                     {"DRAM MB", T::kRight},
                     {"speed-up", T::kRight}});
  for (const auto& c : r.cases)
    results.add_row({c.label, c.task, c.arch, macs_summary(c), std::to_string(c.run.total_cycles),
                     std::to_string(c.run.vector_cycles()), std::to_string(c.run.stall_cycles()),
                     strf("%.2f", static_cast<double>(c.run.dram_read + c.run.dram_written) / 1e6),
                     strf("%.2fx", c.speedup)});
  os << results.markdown();
  render_cost(os, r);
  if (!r.claims.empty()) {
    os << "\n## Claims beside bitsys\n\n";
    TextTable claims(claim_columns(r, {{"verdict"}, {"what moves it toward the paper"}}));
    for (size_t c = 0; c < r.claims.size(); ++c) {
      const ClaimResult& cl = r.claims[c];
      std::vector<std::string> row = claim_cells(r, c);
      row.push_back(cl.verdict);
      row.push_back(cl.driver.empty() ? "-" : cl.driver);
      claims.add_row(row);
    }
    os << claims.markdown();
    os << "\nA ratio within " << strf("%g", 100 * r.plan.tolerance)
       << " % of the claimed figure (or inside its range, widened by " << strf("%g", 100 * r.plan.tolerance)
       << " %) counts as agreement.";
    if (!r.plan.claims_note.empty()) os << " " << r.plan.claims_note;
    os << "\n\n";
    os << "*At equal area*: both sides on square arrays of their own PE kind sized to the task baseline's "
          "chip area (section \"Energy and area\"). *Energy*: the slower side's energy per inference over the "
          "faster side's.\n\n";
    if (!r.plan.configurations.empty()) {
      os << "The verdict is that of the " << r.plan.configuration_name
         << " configuration (the architectures as given); the other columns change, on every architecture:\n\n";
      for (size_t k = 0; k < r.plan.configurations.size(); ++k) {
        const StudyConfiguration& conf = r.plan.configurations[k];
        os << "- **" << conf.name << "** (" << conf.set.dump() << "): " << conf.text;
        if (!r.configuration_errors[k].empty()) os << " Not a valid configuration: " << r.configuration_errors[k];
        os << "\n";
      }
      os << "\n";
    }
  }
  if (!r.plan.assumptions.empty()) {
    os << "## Assumptions that move the result\n\n";
    for (const auto& [name, text] : r.plan.assumptions) os << "- **" << name << "**: " << text << "\n";
    os << "\n";
  }
  if (!r.sensitivity.empty() && !r.claims.empty()) render_sensitivity(os, r);
  os << "## Plots\n\n";
  if (!r.claims.empty()) os << "![speed-up per task](speedup_by_task.png)\n\n";
  bool csq = false;
  for (const auto& c : r.cases) csq = csq || c.avg_bits > 0;
  if (csq) os << "![speed-up against average weight bits](csq_speedup.png)\n\n";
  if (!r.sensitivity.empty() && !r.claims.empty()) os << "![sensitivity of each claim](study_tornado.png)\n\n";
  os << "Cycles per layer, split into array, vector-unit and stall cycles: ";
  for (const auto& c : r.cases) os << "[" << c.key << "](" << plot_name(c.key) << ") ";
  os << "\n\n## Networks\n\n";
  std::string last;
  for (const auto& c : r.cases) {
    if (c.label == last) continue;
    last = c.label;
    os << "- **" << c.label << "** (`" << display_path(c.run.workload_file) << "`): " << c.source << "\n";
  }
  return os.str();
}

std::string render_study_json(const StudyResult& r) {
  nlohmann::json j;
  j["study"] = r.plan.name;
  j["plan"] = display_path(r.plan.file);
  j["fidelity"] = r.fidelity;
  j["wall_seconds"] = r.wall_seconds;
  for (const auto& [name, a] : r.archs) j["architectures"][name] = a.summary();
  j["cases"] = nlohmann::json::array();
  for (const auto& c : r.cases) {
    nlohmann::json e = {{"key", c.key},
                        {"label", c.label},
                        {"task", c.task},
                        {"arch", c.arch},
                        {"baseline", c.baseline},
                        {"avg_bits", c.avg_bits},
                        {"workload", display_path(c.run.workload_file)},
                        {"total_cycles", c.run.total_cycles},
                        {"array_cycles", c.run.array_cycles()},
                        {"vector_cycles", c.run.vector_cycles()},
                        {"stall_cycles", c.run.stall_cycles()},
                        {"dram_bytes", c.run.dram_read + c.run.dram_written},
                        {"total_macs", c.run.total_macs},
                        {"macs_by_precision", c.macs_by_precision},
                        {"speedup", c.speedup},
                        {"plot", plot_name(c.key)},
                        {"tech", c.tech},
                        {"energy_j", c.energy_j},
                        {"energy_ratio", c.energy_ratio},
                        {"area_mm2", c.area_mm2},
                        {"equal_area_side", c.equal_area_side},
                        {"equal_area_mm2", c.equal_area_mm2},
                        {"equal_area_cycles", c.equal_area_cycles},
                        {"equal_area_speedup", c.equal_area_speedup}};
    for (int p = 0; p < kEnergyParts; ++p) e["energy_pj"][energy_part_name(p)] = c.energy.pj[static_cast<size_t>(p)];
    e["layers"] = nlohmann::json::array();
    for (const auto& l : c.run.layers) {
      if (l.op.placement != OpPlacement::Array && l.op.placement != OpPlacement::Vector) continue;
      const bool arr = l.op.placement == OpPlacement::Array;
      e["layers"].push_back({{"name", l.op.name},
                             {"array", arr ? l.timing.compute : 0},
                             {"vector", arr ? 0 : l.timing.compute},
                             {"stall", l.timing.stall}});
    }
    j["cases"].push_back(e);
  }
  j["claims"] = nlohmann::json::array();
  for (const auto& cl : r.claims)
    j["claims"].push_back({{"claim", cl.claim.claim},
                           {"slower", cl.claim.slower},
                           {"faster", cl.claim.faster},
                           {"paper_low", cl.claim.lo},
                           {"paper_high", cl.claim.hi},
                           {"tolerance", r.plan.tolerance},
                           {"bitsys", cl.measured},
                           {"equal_area", cl.equal_area},
                           {"energy", cl.energy},
                           {"verdict", cl.verdict},
                           {"driver", cl.driver}});
  for (size_t c = 0; c < r.claims.size(); ++c) {
    nlohmann::json confs = nlohmann::json::object();
    for (size_t k = 0; k < r.plan.configurations.size(); ++k) {
      const double x = r.configuration_ratios[k][c];
      confs[r.plan.configurations[k].name] = std::isnan(x) ? nlohmann::json() : nlohmann::json(x);
    }
    j["claims"][c]["configurations"] = confs;
  }
  j["sensitivity"] = nlohmann::json::array();
  for (const auto& s : r.sensitivity) {
    nlohmann::json e = {{"assumption", s.assumption},
                        {"base", s.base_value},
                        {"fields", s.fields},
                        {"variants", nlohmann::json::array()}};
    for (size_t v = 0; v < s.variants.size(); ++v) {
      nlohmann::json ratios = nlohmann::json::array();
      for (double x : s.ratios[v]) ratios.push_back(std::isnan(x) ? nlohmann::json() : nlohmann::json(x));
      e["variants"].push_back({{"variant", s.variants[v]}, {"ratios", ratios}, {"error", s.errors[v]}});
    }
    j["sensitivity"].push_back(e);
  }
  return j.dump(1) + "\n";
}

std::string render_study_csv(const StudyResult& r) {
  std::ostringstream os;
  os << "network,task,arch,total_macs,macs_by_precision,cycles,array_cycles,vector_cycles,stall_cycles,dram_bytes,"
        "speedup,energy_j,area_mm2,equal_area_side,equal_area_cycles,equal_area_speedup\n";
  for (const auto& c : r.cases)
    os << '"' << c.label << "\"," << c.task << "," << c.arch << "," << c.run.total_macs << ",\"" << macs_summary(c)
       << "\"," << c.run.total_cycles << "," << c.run.array_cycles() << "," << c.run.vector_cycles() << ","
       << c.run.stall_cycles() << "," << (c.run.dram_read + c.run.dram_written) << "," << strf("%.6f", c.speedup) << ","
       << strf("%.6g", c.energy_j) << "," << strf("%.6g", c.area_mm2) << "," << c.equal_area_side << ","
       << c.equal_area_cycles << "," << strf("%.6f", c.equal_area_speedup) << "\n";
  return os.str();
}

}  // namespace bitsys
