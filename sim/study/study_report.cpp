#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/study/study.h"

namespace bitsys {

namespace {

std::string f(const char* fmt, double v) {
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

std::string macs_summary(const StudyCase& c) {
  std::string s;
  for (const auto& [k, v] : c.macs_by_precision) s += (s.empty() ? "" : ", ") + k + " " + f("%.3g", static_cast<double>(v) / 1e9) + "G";
  return s;
}

/// A file name for a case's per-layer plot: the key with every odd character replaced.
std::string plot_name(const std::string& key) {
  std::string s = "layers_";
  for (char ch : key) s += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
  return s + ".png";
}

std::string paper(const StudyClaim& c) { return c.lo == c.hi ? f("%gx", c.lo) : f("%g", c.lo) + "-" + f("%gx", c.hi); }

std::string arch_line(const std::string& name, const ArchConfig& a) {
  std::ostringstream os;
  os << "`" << name << "`: " << a.summary() << ", " << a.ifmap_kib << "/" << a.filter_kib << "/" << a.ofmap_kib << " KiB buffers, DRAM "
     << (a.dram_unlimited ? std::string("unlimited") : f("%g", a.dram_bytes_per_cycle) + " B/cycle, latency " + std::to_string(a.dram_latency_cycles))
     << ", vector unit " << a.vector_lanes << " lanes (`" << a.file << "`)";
  return os.str();
}

}  // namespace

void print_study_table(std::ostream& os, const StudyResult& r) {
  char line[512];
  os << "bitsys study (" << r.fidelity << "): " << r.plan.name << "\n";
  std::snprintf(line, sizeof line, "%-31s %-17s %-10s %-34s %11s %10s %10s %9s %8s\n", "network", "task", "array", "MACs by precision", "cycles",
                "vector", "stalls", "DRAM MB", "vs 8-bit");
  os << line;
  for (const auto& c : r.cases) {
    std::snprintf(line, sizeof line, "%-31s %-17s %-10s %-34s %11llu %10llu %10llu %9.2f %7.2fx\n", c.label.substr(0, 31).c_str(),
                  c.task.substr(0, 17).c_str(), c.arch.c_str(), macs_summary(c).substr(0, 34).c_str(),
                  static_cast<unsigned long long>(c.run.total_cycles), static_cast<unsigned long long>(c.run.vector_cycles()),
                  static_cast<unsigned long long>(c.run.stall_cycles()), static_cast<double>(c.run.dram_read + c.run.dram_written) / 1e6,
                  c.speedup);
    os << line;
  }
  os << "\nthe papers' claims (cycle ratios):\n";
  for (const auto& cl : r.claims) {
    std::snprintf(line, sizeof line, "  %-48s paper %-8s bitsys %6.2fx  %s%s%s\n", cl.claim.claim.c_str(), paper(cl.claim).c_str(), cl.measured,
                  cl.verdict.c_str(), cl.driver.empty() ? "" : "; ", cl.driver.c_str());
    os << line;
  }
}

std::string render_study_markdown(const StudyResult& r) {
  std::ostringstream os;
  os << "# bitsys study: " << r.plan.name << "\n\n";
  os << "Execution cycles of binary (BiNeal, ReActNet-A, Bi-Real-18) and mixed-precision (CSQ) networks against 8-bit baselines on "
        "the same systolic array with 8-bit, binary and bit-serial PEs. Produced by `bitsys study --plan "
     << r.plan.file << "` at the **" << r.fidelity
     << "** fidelity (the analytic model equals the cycle-accurate SystemC model cycle for cycle, stalls and DRAM bytes included: "
        "`bitsys crosscheck`), in " << f("%.1f", r.wall_seconds) << " s.\n\n";
  os << "## Architectures\n\n";
  for (const auto& [name, a] : r.archs) os << "- " << arch_line(name, a) << "\n";
  os << "\nEvery network's 8-bit layers run at one MAC per PE per cycle on every array (default lanes: int8 1, binary 64, bit-serial 8); "
        "binary layers at 64 (binary PE) or 8 (bit-serial PE) MACs per PE per cycle.\n\n";
  os << "## Results\n\n| network | task | array | MACs by precision | cycles | vector-unit cycles | stall cycles | DRAM MB | speed-up vs 8-bit |\n"
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& c : r.cases)
    os << "| " << c.label << " | " << c.task << " | " << c.arch << " | " << macs_summary(c) << " | " << c.run.total_cycles << " | "
       << c.run.vector_cycles() << " | " << c.run.stall_cycles() << " | " << f("%.2f", static_cast<double>(c.run.dram_read + c.run.dram_written) / 1e6)
       << " | " << f("%.2fx", c.speedup) << " |\n";
  os << "\n## The papers' claims beside bitsys\n\n| claim | paper | bitsys | verdict | what moves it toward the paper |\n| --- | --- | ---: | --- | --- |\n";
  for (const auto& cl : r.claims)
    os << "| " << cl.claim.claim << " | " << paper(cl.claim) << " | " << f("%.2fx", cl.measured) << " | " << cl.verdict << " | "
       << (cl.driver.empty() ? "-" : cl.driver) << " |\n";
  os << "\nA ratio within 15 % of the paper's figure (or inside its range, widened by 15 %) counts as agreement. The BNN paper's cycle "
        "figures come from its own analytic formula on an ASIC whose array and PE parameters are not public "
        "(`../shared/reference/networks.md`), so the assumptions below decide how close bitsys can come.\n\n";
  os << "## Assumptions that move the result\n\n";
  os << "- **PE lanes**: products per PE per cycle along K — binary 64, bit-serial 8, int8 1 (pe-semantics.md defaults).\n";
  os << "- **Vector-unit lanes**: element operations per cycle for every op the output stage does not fuse (pools, adds, unfused BN, "
        "PReLU, bias shifts, signs after them, upsampling).\n";
  os << "- **Fusion**: the array's output stage applies requantize, ReLU and threshold/sign for free when they follow a GEMM; BN, "
        "PReLU and bias shifts run on the vector unit unless stated (the last sensitivity row folds them too).\n";
  os << "- **Buffers and DRAM**: double-buffered SRAMs, one DRAM channel, tiling and on-chip reuse rules of README \"Memory system\"; "
        "tensors move at their precision (1-bit maps 8x fewer bytes).\n";
  os << "- **Networks**: sizes the papers leave open are chosen in each workload file (notes below); CSQ allocations are invented by a "
        "documented rule, not the paper's.\n\n";
  os << "## Sensitivity: each assumption halved and doubled\n\nThe claims' ratios (analytic) when one assumption changes on every "
        "architecture at once:\n\n| assumption | base | variant |";
  for (size_t i = 0; i < r.claims.size(); ++i) os << " " << r.claims[i].claim.claim << " |";
  os << "\n| --- | --- | --- |";
  for (size_t i = 0; i < r.claims.size(); ++i) os << " ---: |";
  os << "\n| (as modelled) | | |";
  for (const auto& cl : r.claims) os << " " << f("%.2fx", cl.measured) << " |";
  os << "\n";
  for (const auto& s : r.sensitivity)
    for (size_t v = 0; v < s.variants.size(); ++v) {
      os << "| " << s.assumption << " | " << s.base_value << " | " << s.variants[v] << " |";
      for (double x : s.ratios[v]) os << " " << f("%.2fx", x) << " |";
      os << "\n";
    }
  os << "\nBinary PE lanes beyond 64 exist only in the analytic model (the SystemC binary PE packs at most 64 lanes in a word).\n\n";
  os << "## Plots\n\n![speed-up per task](speedup_by_task.png)\n\n![CSQ speed-up against average weight bits](csq_speedup.png)\n\n";
  os << "Cycles per layer, split into array, vector-unit and stall cycles: ";
  for (const auto& c : r.cases) os << "[" << c.key << "](" << plot_name(c.key) << ") ";
  os << "\n\n## Networks\n\n";
  std::string last;
  for (const auto& c : r.cases) {
    if (c.label == last) continue;
    last = c.label;
    os << "- **" << c.label << "** (`" << c.run.workload_file << "`): " << c.source << "\n";
  }
  return os.str();
}

std::string render_study_json(const StudyResult& r) {
  nlohmann::json j;
  j["study"] = r.plan.name;
  j["plan"] = r.plan.file;
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
                        {"workload", c.run.workload_file},
                        {"total_cycles", c.run.total_cycles},
                        {"array_cycles", c.run.array_cycles()},
                        {"vector_cycles", c.run.vector_cycles()},
                        {"stall_cycles", c.run.stall_cycles()},
                        {"dram_bytes", c.run.dram_read + c.run.dram_written},
                        {"total_macs", c.run.total_macs},
                        {"macs_by_precision", c.macs_by_precision},
                        {"speedup_vs_8bit", c.speedup},
                        {"plot", plot_name(c.key)}};
    e["layers"] = nlohmann::json::array();
    for (const auto& l : c.run.layers) {
      if (l.op.placement != OpPlacement::Array && l.op.placement != OpPlacement::Vector) continue;
      const bool arr = l.op.placement == OpPlacement::Array;
      e["layers"].push_back({{"name", l.op.name}, {"array", arr ? l.timing.compute : 0}, {"vector", arr ? 0 : l.timing.compute}, {"stall", l.timing.stall}});
    }
    j["cases"].push_back(e);
  }
  j["claims"] = nlohmann::json::array();
  for (const auto& cl : r.claims)
    j["claims"].push_back({{"claim", cl.claim.claim}, {"slower", cl.claim.slower}, {"faster", cl.claim.faster}, {"paper_low", cl.claim.lo},
                           {"paper_high", cl.claim.hi}, {"bitsys", cl.measured}, {"verdict", cl.verdict}, {"driver", cl.driver}});
  j["sensitivity"] = nlohmann::json::array();
  for (const auto& s : r.sensitivity) {
    nlohmann::json e = {{"assumption", s.assumption}, {"base", s.base_value}, {"variants", nlohmann::json::array()}};
    for (size_t v = 0; v < s.variants.size(); ++v) e["variants"].push_back({{"variant", s.variants[v]}, {"ratios", s.ratios[v]}});
    j["sensitivity"].push_back(e);
  }
  return j.dump(1) + "\n";
}

std::string render_study_csv(const StudyResult& r) {
  std::ostringstream os;
  os << "network,task,arch,total_macs,macs_by_precision,cycles,array_cycles,vector_cycles,stall_cycles,dram_bytes,speedup_vs_8bit\n";
  for (const auto& c : r.cases)
    os << '"' << c.label << "\"," << c.task << "," << c.arch << "," << c.run.total_macs << ",\"" << macs_summary(c) << "\"," << c.run.total_cycles << ","
       << c.run.array_cycles() << "," << c.run.vector_cycles() << "," << c.run.stall_cycles() << "," << (c.run.dram_read + c.run.dram_written) << ","
       << f("%.6f", c.speedup) << "\n";
  return os.str();
}

}  // namespace bitsys
