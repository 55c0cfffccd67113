// Synthesis figures of bitsys's reference RTL with Yosys (`bitsys synth`, rtl/README.md
// "Synthesis"): what each PE kind and a small array cost in gates and flip-flops, how deep their
// logic is, and the checks that keep the RTL honest (no latches; no multiplier where hardware
// would shift). The cost model reads the JSON this writes.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bitsys {

struct SynthDesign {
  std::string kind;  ///< a PE kind
  int lanes = 0;
  int rows = 0, cols = 0;    ///< 0: the PE alone; else a rows x cols array of it
  std::string verilog;       ///< a PE other than the reference (module = file name): for tests
  bool overlapped = false;   ///< built with BITSYS_OVERLAP: the overlapped schedule's registers
  std::string name() const;  ///< "pe_binary_L64", "array_int8_4x4_L1", "pe_int8_L4_overlapped"
};

/// Each PE kind at its default lanes and two other lane counts, each also with the overlapped
/// schedule's registers, and a 4 x 4 int8 array without and with them.
std::vector<SynthDesign> default_synth_designs();

struct SynthFigures {
  SynthDesign design;
  std::map<std::string, int> word_cells;  ///< after elaboration and coarse optimization, before techmapping
  int multipliers = 0;                    ///< $mul cells among them
  int multipliers_9x9 = 0;                ///< of which both operands are at most 9 bits wide
  int latches = 0;                        ///< latch cells, word-level or gate-level
  std::map<std::string, int> gate_cells;  ///< after mapping to NAND, NOR, NOT and flip-flops (abc -g cmos2)
  int flip_flops = 0;
  long transistors = 0;  ///< combinational logic, CMOS (Yosys's stat -tech cmos; flip-flops not included)
  int longest_path = 0;  ///< logic levels on the longest flip-flop-free path (ltp -noff)
  std::string tool;      ///< Yosys's version line
};

/// Runs Yosys on one design (files from the data directory's rtl/), in workdir. std::runtime_error
/// naming the design and the log when Yosys fails or takes longer than timeout_s.
SynthFigures synthesize(const SynthDesign& d, const std::string& workdir, double timeout_s);

/// What the RTL promises and these figures contradict, one line each: latches anywhere; a
/// multiplier in a binary or bit-serial PE (they shift and count); an int8 multiplier wider than 9 x 9.
std::vector<std::string> synth_check_failures(const SynthFigures& f);

nlohmann::json to_json(const std::vector<SynthFigures>& figures);

}  // namespace bitsys
