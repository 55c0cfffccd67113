#include "sim/cost/validation.h"

#include "sim/cost/energy.h"
#include "sim/cost/tech.h"
#include "sim/cost/tech_scale.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {

/// NAND2-eq of the reference circuits (configs/tech/reference-gates.json).
double circuit_gates(const nlohmann::json& doc, const std::string& file, const std::string& name) {
  const nlohmann::json* c = doc.contains("circuits") ? &doc["circuits"] : nullptr;
  if (!c || !c->contains(name))
    fail_input(file, "circuits", name, "missing (regenerate: scripts/tech-reference-gates.sh)");
  return (*c)[name].value("nand2_eq", 0.0);
}

/// Energy of one beat of one PE computing every cycle: its logic, its registers and its clock.
double pe_beat_pj(const Tech& t, const std::string& kind, int lanes) {
  ArchConfig a;
  a.rows = a.cols = 1;
  a.pe = find_pe_kind(kind);
  a.lanes = lanes;
  const CostModel m = cost_model(a, t);
  return m.pe_beat_pj + m.pe_move_pj + m.array_cycle_pj;
}

}  // namespace

std::vector<ValidationRow> validation_rows(const std::string& tech45, const std::string& tech22,
                                           const std::string& rule, const std::string& reference_gates) {
  const Tech& t = load_tech(tech45);
  const Tech& t22 = load_tech(tech22);
  const std::string gates_file = tech_file_path(reference_gates);
  const nlohmann::json g = parse_json(read_text_file(gates_file), gates_file);
  const double per_gate = t.gate_energy_pj * t.logic_activity;  // pJ per NAND2-eq per operation
  auto logic = [&](const char* c) { return circuit_gates(g, gates_file, c) * per_gate; };
  const std::string h = "Horowitz ISSCC 2014, 45 nm 0.9 V";
  std::vector<ValidationRow> rows;
  rows.push_back({"8-bit add", h, 0.03, logic("add8"), "pJ", true});
  rows.push_back({"8-bit multiply", h, 0.2, logic("mul8"), "pJ"});
  rows.push_back({"32-bit add", h, 0.1, logic("add32"), "pJ"});
  rows.push_back({"32-bit multiply", h, 3.1, logic("mul32"), "pJ"});
  rows.push_back({"8-bit adder area", h + " (to verify)", 36, circuit_gates(g, gates_file, "add8") * t.gate_area_um2,
                  "um2", true});
  rows.push_back({"8-bit multiplier area", h + " (to verify)", 282,
                  circuit_gates(g, gates_file, "mul8") * t.gate_area_um2, "um2"});
  ArchConfig one;
  one.rows = one.cols = 1;
  one.pe = find_pe_kind("int8");
  one.lanes = 1;
  rows.push_back({"8-bit MAC (int8 PE logic per beat)", h + ": 8-bit multiply + 32-bit add", 0.2 + 0.1,
                  cost_model(one, t).pe_beat_pj, "pJ"});
  rows.push_back({"8-bit MAC (int8 PE beat, registers and clock too)", h + ": 8-bit multiply + 32-bit add", 0.2 + 0.1,
                  pe_beat_pj(t, "int8", 1), "pJ"});

  // Eyeriss (Chen et al., ISCA 2016, 65 nm): energy relative to a 16-bit MAC.
  const double mac16 = logic("mac16");
  const std::string e = "Eyeriss, ISCA 2016 (to verify)";
  rows.push_back({"global buffer (108 KB) / MAC, 16-bit", e, 6, 2 * t.sram_pj_per_byte(108, false) / mac16, "x"});
  rows.push_back({"DRAM / MAC, 16-bit", e, 200, 2 * t.dram_pj_per_byte / mac16, "x"});
  rows.push_back(
      {"PE-to-PE hop / MAC, 16-bit", e, 2, 16 * (0.5 * t.flip_flop_energy_pj + t.clock_energy_pj) / mac16, "x"});

  // UNPU (JSSC 2019, 65 nm): the bit-serial PE at 1-bit weights (8 lanes: 8 MACs, 16 ops a beat).
  ScaleRequest to65{tech45, rule, 65, 1.0, "65nm"};
  const nlohmann::json j65 = scale_tech(to65);
  const Tech t65 = parse_tech(j65.dump(), "65 nm (tech-scale of " + t.file + ")");
  const double unpu_beat = pe_beat_pj(t65, "bitserial", 8);
  rows.push_back(
      {"UNPU 1-bit weights: bit-serial PE (TOPS/W, 65 nm)", "UNPU, JSSC 2019", 50.6, 16 / unpu_beat, "TOPS/W"});
  // Beats per MAC follow the weight's planes: 8-bit over 1-bit weights, twice that for 16 bits
  // (beyond bitsys's 8-bit weights, the same plane-serial rule).
  const PeKind* bs = find_pe_kind("bitserial");
  const ActPrecision a8;
  const double planes_8_over_1 = static_cast<double>(bs->passes(a8, WeightPrecision::twos(8))) /
                                 static_cast<double>(bs->passes(a8, WeightPrecision::twos(1)));
  rows.push_back({"UNPU efficiency 1-bit / 16-bit weights", "UNPU, JSSC 2019: 50.6 / 3.08 TOPS/W", 50.6 / 3.08,
                  2 * planes_8_over_1, "x"});
  // XNOR Neural Engine (22 nm, 0.4 V): the binary PE, 64 lanes = 128 ops a beat.
  rows.push_back({"binary op: binary PE at 22 nm (fJ/op)", "XNOR Neural Engine, 22 nm 0.4 V", 21.6,
                  pe_beat_pj(t22, "binary", 64) * 1e3 / 128, "fJ"});
  return rows;
}

}  // namespace bitsys
