// Runs a sweep's points on a thread pool, appending one JSON line per finished point to the
// results file. Killed at any moment and run again with the same arguments, it resumes: the
// points already in the file are skipped, a torn last line is dropped.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/sweep/sweep_spec.h"

namespace bitsys {

struct SweepOptions {
  std::string out;            ///< results file (JSON Lines)
  int jobs = 1;               ///< worker threads (systemc runs one at a time)
  int shard = 0, shards = 1;  ///< run the points whose index % shards == shard
};

struct SweepSummary {
  uint64_t points = 0;   ///< in this shard
  uint64_t resumed = 0;  ///< already in the results file
  uint64_t run = 0;      ///< run now
  uint64_t errors = 0;   ///< points whose combination is not a valid configuration
  double seconds = 0;
};

using SweepProgress = std::function<void(uint64_t done, uint64_t total, double seconds)>;

SweepSummary run_sweep(const SweepSpec& spec, const SweepOptions& opt, const SweepProgress& progress = {});

/// Combines shard results: every point of the spec exactly once, else InputError listing the
/// duplicated, foreign and missing points. Writes `out` sorted by point index.
uint64_t merge_sweep(const SweepSpec& spec, const std::vector<std::string>& inputs, const std::string& out);

}  // namespace bitsys
