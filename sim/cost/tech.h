// A technology description (configs/tech/*.json): energy per action and area per unit, each with
// its source, and the synthesized PEs (rtl/synth.json) it prices. Model: configs/tech/README.md.
#pragma once
#include <string>
#include <vector>

namespace bitsys {

/// One PE design of rtl/synth.json, or one interpolated between two of them.
struct PeSynthesis {
  std::string kind;
  int lanes = 0;
  bool overlapped = false;  ///< with the overlapped schedule's shadow and output registers
  double logic_transistors = 0, flip_flops = 0, longest_path_levels = 0;
  std::string design;  ///< "pe_int8_L1", or "pe_binary_L16..L32 (interpolated)"
};

struct Tech {
  std::string name, file, pe_synthesis_file;
  double node_nm = 0, vdd_v = 0;
  // Logic, in pJ and um2.
  double gate_energy_pj = 0, logic_activity = 0, register_activity = 0, flip_flop_energy_pj = 0, clock_energy_pj = 0;
  double gate_area_um2 = 0, transistor_area_um2 = 0, flip_flop_area_um2 = 0, gate_delay_ps = 0;
  /// SRAM read energy per byte at a capacity (KiB), sorted by capacity.
  struct SramPoint {
    double capacity_kib, read_pj_per_byte;
  };
  std::vector<SramPoint> sram_read;
  double sram_write_to_read = 1, sram_bit_area_um2 = 0;
  double dram_pj_per_byte = 0;
  double vector_op_pj = 0, vector_lane_gates = 0, vector_lane_flip_flops = 0;
  double leakage_mw_per_mm2 = 0;
  std::vector<PeSynthesis> pes;  ///< single-PE designs of pe_synthesis_file

  /// Energy per byte read from (or written into) an SRAM bank of `capacity_kib`: the read points
  /// interpolated in log(energy) against log(capacity), extrapolated along the end segments.
  double sram_pj_per_byte(double capacity_kib, bool write) const;
  /// The synthesized PE of this kind and lane count (with the overlapped schedule's registers when
  /// `overlapped`); lanes between or beyond the synthesized ones are interpolated linearly from the
  /// two nearest. InputError naming the synthesis file when the kind has no such design.
  PeSynthesis pe(const std::string& kind, int lanes, bool overlapped = false) const;
};

/// Parses a technology file; InputError (file, place, field) on a missing part, a negative value,
/// an unknown unit or key.
Tech parse_tech(const std::string& text, const std::string& file);
/// Reads a technology file: `path` as given, or else relative to bitsys's data folder. Cached.
const Tech& load_tech(const std::string& path);
/// `path` as given when it exists, else relative to bitsys's data folder when there.
std::string tech_file_path(const std::string& path);
/// The technology used when neither the architecture nor the command names one.
std::string default_tech_file();

}  // namespace bitsys
