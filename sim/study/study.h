// The BNN/CSQ study: networks x architectures, speed-ups against each task's 8-bit baseline, the
// papers' claims beside bitsys's ratios, and how each ratio moves when an assumption is halved
// or doubled. Plan format: workloads/plans/study.json.
#pragma once
#include <map>
#include <string>
#include <vector>

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

struct StudyPlan {
  std::string name, file;
  std::vector<std::pair<std::string, std::string>> archs;  ///< name -> config file
  std::vector<StudyNetwork> networks;
  std::vector<StudyClaim> claims;
};

StudyPlan load_study_plan(const std::string& path);

struct StudyCase {
  std::string key, label, task, arch;
  bool baseline = false;
  double avg_bits = 0;
  std::string source, notes;
  RunResult run;
  std::map<std::string, uint64_t> macs_by_precision;  ///< "1-bit", "8-bit", "a4 x w3" ...
  double speedup = 0;  ///< task baseline cycles / these cycles
};

/// One assumption varied both ways; ratios[v][c] is claim c's ratio under variant v.
struct Sensitivity {
  std::string assumption, base_value;
  std::vector<std::string> variants;  ///< "x0.5 (32)", "x2 (128)", or "fused"
  std::vector<std::vector<double>> ratios;
};

struct ClaimResult {
  StudyClaim claim;
  double measured = 0;
  std::string verdict;  ///< "agrees", "below the paper", "above the paper"
  std::string driver;   ///< the varied assumption that moves the ratio most toward the paper
};

struct StudyResult {
  StudyPlan plan;
  std::string fidelity;
  std::map<std::string, ArchConfig> archs;
  std::vector<StudyCase> cases;
  std::vector<ClaimResult> claims;
  std::vector<Sensitivity> sensitivity;
  double wall_seconds = 0;
  const StudyCase* find(const std::string& key) const;
};

StudyResult run_study(const StudyPlan& plan, const RunOptions& opt, const Progress& progress = {});

std::string render_study_markdown(const StudyResult& r);
std::string render_study_json(const StudyResult& r);
std::string render_study_csv(const StudyResult& r);
void print_study_table(std::ostream& os, const StudyResult& r);

}  // namespace bitsys
