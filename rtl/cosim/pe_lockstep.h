// Lockstep co-simulation of an RTL PE against the golden model: stimulus that covers every
// precision (and CSQ mask) a kind accepts, a Verilated harness run, the first mismatch.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtl/harness/pe_io.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

struct Stimulus {
  std::vector<bitsys_rtl::PeStimulus> cycles;
  std::vector<std::string> episodes;  ///< what each stretch of cycles exercises, for reports
  std::vector<uint64_t> episode_start;
};

/// Random episodes of OS, WS and IS operation, each with one precision pair encoded for `kind` at
/// 1..lanes lanes, random enables, clears, drains, loads and resets (one reset mid-run at least).
Stimulus make_stimulus(const PeKind& kind, int lanes, uint64_t cycles, uint64_t seed);

struct Mismatch {
  uint64_t cycle = 0;
  std::string episode;
  bitsys_rtl::PeStimulus in{};
  bitsys_rtl::PeResponse rtl{}, golden{};
};

/// The first cycle whose RTL outputs differ from the golden model's, if any.
std::optional<Mismatch> first_mismatch(const PeKind& kind, const Stimulus& stim,
                                       const std::vector<bitsys_rtl::PeResponse>& rtl);

/// "cycle 1234 (episode ...): inputs ...; acc: RTL 5 vs model 6; ..." over several lines.
std::string describe(const Mismatch& m);

/// Runs a harness executable on the stimulus in `workdir`; with vcd, traces cycles [from, to].
/// Throws std::runtime_error naming the executable when it fails.
std::vector<bitsys_rtl::PeResponse> run_harness(const std::string& exe, const Stimulus& stim,
                                                const std::string& workdir, const std::string& vcd = "",
                                                uint64_t from = 0, uint64_t to = 0);

}  // namespace bitsys
