// A study: networks x architectures, speed-ups against each task's baseline network, published
// claims beside bitsys's ratios, and how each ratio moves when an assumption changes. Everything
// particular to a study - networks, claims, tolerance, the prose of its assumptions, the
// sensitivity variants - lives in its plan file (workloads/plans/README.md), none in code.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cost/energy.h"
#include "sim/engine/runner.h"
#include "sim/ir/layer.h"

namespace bitsys {

struct StudyNetwork {
  std::string label, task, workload;
  bool baseline = false;  ///< the task's 8-bit reference
  double avg_bits = 0;    ///< CSQ: average weight bits (0 = not a CSQ network)
  std::vector<std::string> archs;
};

struct StudyClaim {
  std::string claim;
  std::string slower, faster;  ///< case keys "label@arch": the ratio is slower / faster cycles
  double lo = 0, hi = 0;       ///< the paper's figure (a range when lo < hi)
};

/// An assumption varied for the sensitivity analysis: config fields scaled by factors on the
/// architectures a condition selects, or config fields set to given values (`set`, one variant).
struct StudyKnob {
  std::string assumption;
  std::vector<std::string> fields;  ///< config field paths ("dram.bandwidth_bytes_per_cycle"), scaled together
  std::string where;                ///< a sweep constraint selecting the architectures to change ("" = all)
  std::vector<double> factors;
  std::string unit;    ///< shown after the base value
  nlohmann::json set;  ///< field path -> value, applied together (e.g. "output_stage.fuse": [...]); null = scale
};

/// A whole configuration the claims are also shown under (e.g. "realistic": overlapped work,
/// fused post-ops): config fields set on every architecture.
struct StudyConfiguration {
  std::string name, text;  ///< text: what it assumes and why (Markdown)
  nlohmann::json set;
};

struct StudyPlan {
  std::string name, file;
  std::string description;                                 ///< the report's opening paragraph (Markdown)
  std::vector<std::pair<std::string, std::string>> archs;  ///< name -> config file
  std::vector<StudyNetwork> networks;
  std::vector<StudyClaim> claims;
  double tolerance = 0.15;  ///< a ratio within this fraction of the claim (or its range) agrees
  std::string claims_note;  ///< why the claims may differ (Markdown), after the claims table
  std::vector<std::pair<std::string, std::string>> assumptions;  ///< name -> what bitsys assumes (Markdown)
  std::vector<StudyKnob> sensitivity;
  std::string sensitivity_note;
  std::string configuration_name = "conservative";  ///< what the plan's own architectures are called
  std::vector<StudyConfiguration> configurations;
};

StudyPlan load_study_plan(const std::string& path);

struct StudyCase {
  std::string key, label, task, arch;
  bool baseline = false;
  double avg_bits = 0;
  std::string source, notes;
  RunResult run;
  std::map<std::string, uint64_t> macs_by_precision;  ///< "1-bit", "8-bit", "a4 x w3" ...
  double speedup = 0;                                 ///< the task's baseline cycles / these cycles
  // What it costs (the architecture's technology file).
  Energy energy;            ///< by component, whole run
  double energy_j = 0;      ///< per inference
  double area_mm2 = 0;      ///< the architecture's
  double energy_ratio = 0;  ///< the task's baseline energy / this energy
  /// The same PE kind on the square array nearest the task baseline's area (the baseline itself
  /// for baselines): its size, area, cycles (analytic) and speed-up.
  int equal_area_side = 0;
  double equal_area_mm2 = 0;
  uint64_t equal_area_cycles = 0;
  double equal_area_speedup = 0;
  std::string tech;  ///< the technology file's name
};

/// One assumption varied; ratios[v][c] is claim c's ratio under variant v (NaN when the variant
/// is not a valid configuration: errors[v] says why).
struct Sensitivity {
  std::string assumption, base_value;
  std::vector<std::string> fields;
  std::vector<std::string> variants;  ///< "x0.5", "x2", or "yes"
  std::vector<std::vector<double>> ratios;
  std::vector<std::string> errors;
};

struct ClaimResult {
  StudyClaim claim;
  double measured = 0;
  double equal_area = 0;  ///< the ratio with both sides' arrays at the task baseline's area
  double energy = 0;      ///< slower energy / faster energy
  std::string verdict;    ///< "agrees", "below the paper", "above the paper"
  std::string driver;     ///< the varied assumption that moves the ratio most toward the paper
};

struct StudyResult {
  StudyPlan plan;
  std::string fidelity;
  std::map<std::string, ArchConfig> archs;
  std::vector<StudyCase> cases;
  std::vector<ClaimResult> claims;
  std::vector<Sensitivity> sensitivity;
  /// Per configuration: every claim's ratio (NaN when the configuration is invalid: errors says why).
  std::vector<std::vector<double>> configuration_ratios;
  std::vector<std::string> configuration_errors;
  double wall_seconds = 0;
  const StudyCase* find(const std::string& key) const;
};

StudyResult run_study(const StudyPlan& plan, const RunOptions& opt, const Progress& progress = {});

std::string render_study_markdown(const StudyResult& r);
std::string render_study_json(const StudyResult& r);
std::string render_study_csv(const StudyResult& r);
void print_study_table(std::ostream& os, const StudyResult& r);

}  // namespace bitsys
