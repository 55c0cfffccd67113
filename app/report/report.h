// Reports of a run (optionally against a baseline run of the same or a comparable workload):
// a terminal table, JSON and CSV, all rendered from the same rows so they cannot disagree.
#pragma once
#include <ostream>
#include <string>

#include "sim/engine/runner.h"

namespace bitsys {

struct Report {
  const RunResult* run = nullptr;
  const RunResult* baseline = nullptr;  ///< optional
  double speedup() const;               ///< baseline cycles / run cycles (0 without baseline)
};

void print_table(std::ostream& os, const Report& r);
std::string render_json(const Report& r);
std::string render_csv(const Report& r);
/// SCALE-Sim v2's COMPUTE_REPORT.csv layout: one row per GEMM layer (README "SCALE-Sim").
std::string render_scalesim_compute_report(const RunResult& run);

}  // namespace bitsys
