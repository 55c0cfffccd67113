#include "sim/cost/energy.h"

#include "sim/pe/pe_kind.h"

namespace bitsys {

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  pe_beats += o.pe_beats;
  array_cycles += o.array_cycles;
  for (int b = 0; b < kBuffers; ++b) {
    sram_read[b] += o.sram_read[b];
    sram_write[b] += o.sram_write[b];
  }
  dram_bytes += o.dram_bytes;
  vector_ops += o.vector_ops;
  cycles += o.cycles;
  return *this;
}

const char* energy_part_name(int p) {
  static const char* names[kEnergyParts] = {
      "pe_compute",      "array_movement",   "array_clock",       "sram_read_ifmap",  "sram_read_filter",
      "sram_read_ofmap", "sram_write_ifmap", "sram_write_filter", "sram_write_ofmap", "dram",
      "vector_unit",     "leakage"};
  return names[p];
}

const char* area_part_name(int p) {
  static const char* names[kAreaParts] = {"pe_array", "ifmap_sram", "filter_sram", "ofmap_sram", "vector_unit"};
  return names[p];
}

double Energy::total_pj() const {
  double s = 0;
  for (double x : pj) s += x;
  return s;
}

Energy& Energy::operator+=(const Energy& o) {
  for (int p = 0; p < kEnergyParts; ++p) pj[p] += o.pj[p];
  return *this;
}

double CostModel::area_mm2() const {
  double s = 0;
  for (double x : area_um2) s += x;
  return s * 1e-6;
}

CostModel cost_model(const ArchConfig& arch, const Tech& tech) {
  CostModel m;
  m.tech_name = tech.name;
  m.tech_file = tech.file;
  // Folds that overlap need each PE's shadow (WS/IS) or output (OS) register: priced from the
  // PE synthesized with them.
  m.pe = tech.pe(arch.pe_name(), arch.lanes, arch.schedule == FoldSchedule::Overlapped);
  const double gates = m.pe.logic_transistors / 4;  // NAND2-eq, as rtl/synth.json counts them
  m.pe_beat_pj = gates * tech.gate_energy_pj * tech.logic_activity;
  m.pe_move_pj = m.pe.flip_flops * tech.register_activity * tech.flip_flop_energy_pj;
  const double pes = static_cast<double>(arch.rows) * arch.cols;
  m.array_cycle_pj = pes * m.pe.flip_flops * tech.clock_energy_pj;
  const double kib[kBuffers] = {arch.ifmap_kib, arch.filter_kib, arch.ofmap_kib};
  for (int b = 0; b < kBuffers; ++b) {
    m.sram_read_pj_per_byte[b] = tech.sram_pj_per_byte(kib[b] / 2, false);
    m.sram_write_pj_per_byte[b] = tech.sram_pj_per_byte(kib[b] / 2, true);
    m.area_um2[kAreaIfmap + b] = kib[b] * 1024 * 8 * tech.sram_bit_area_um2;
  }
  m.dram_pj_per_byte = tech.dram_pj_per_byte;
  m.vector_op_pj = tech.vector_op_pj;
  m.pe_area_um2 = m.pe.logic_transistors * tech.transistor_area_um2 + m.pe.flip_flops * tech.flip_flop_area_um2;
  m.area_um2[kAreaPeArray] = pes * m.pe_area_um2;
  m.area_um2[kAreaVectorUnit] = arch.vector_lanes * (tech.vector_lane_gates * tech.gate_area_um2 +
                                                     tech.vector_lane_flip_flops * tech.flip_flop_area_um2);
  // mW = 1e9 pJ/s; one cycle lasts 1 / (clock_mhz * 1e6) s.
  m.leakage_pj_per_cycle = m.area_mm2() * tech.leakage_mw_per_mm2 * 1e3 / arch.clock_mhz;
  const double path_ps = m.pe.longest_path_levels * tech.gate_delay_ps;
  m.pe_max_clock_mhz = path_ps > 0 ? 1e6 / path_ps : 0;
  return m;
}

Energy energy_of(const CostModel& m, const ActionCounts& c) {
  Energy e;
  const auto d = [](uint64_t x) { return static_cast<double>(x); };
  e.pj[kPeCompute] = d(c.pe_beats) * m.pe_beat_pj;
  e.pj[kArrayMovement] = d(c.pe_beats) * m.pe_move_pj;
  e.pj[kArrayClock] = d(c.array_cycles) * m.array_cycle_pj;
  for (int b = 0; b < kBuffers; ++b) {
    e.pj[kSramReadIfmap + b] = d(c.sram_read[b]) * m.sram_read_pj_per_byte[b];
    e.pj[kSramWriteIfmap + b] = d(c.sram_write[b]) * m.sram_write_pj_per_byte[b];
  }
  e.pj[kDram] = d(c.dram_bytes) * m.dram_pj_per_byte;
  e.pj[kVectorUnit] = d(c.vector_ops) * m.vector_op_pj;
  e.pj[kLeakage] = d(c.cycles) * m.leakage_pj_per_cycle;
  return e;
}

ActionCounts actions_of(const ArchConfig& arch, const LoweredOp& op, const OpTiming& t) {
  ActionCounts c;
  if (op.placement == OpPlacement::Array) {
    const GemmShape& g = op.gemm;
    const int64_t beats = beats_for(*arch.pe, g.K, arch.lanes, op.act, op.weights);
    c.pe_beats = static_cast<uint64_t>(g.M) * static_cast<uint64_t>(g.N) * static_cast<uint64_t>(g.groups) *
                 static_cast<uint64_t>(beats);
    c.array_cycles = t.compute;
  } else if (op.placement == OpPlacement::Vector || op.beside) {
    c.vector_ops = op.vector_work;
  }
  c.sram_read = t.sram_read;
  c.sram_write = t.sram_write;
  c.dram_bytes = t.dram_bytes();
  c.cycles = t.cycles();
  return c;
}

namespace {

/// Leakage of the cycles no op accounts for.
Energy unattributed(const CostModel& m, uint64_t total_cycles, uint64_t op_cycles) {
  ActionCounts rest;
  rest.cycles = total_cycles > op_cycles ? total_cycles - op_cycles : 0;
  return energy_of(m, rest);
}

}  // namespace

Energy network_energy(const CostModel& m, const ArchConfig& arch, const LoweredNetwork& net, const NetworkTiming& t) {
  Energy e;
  uint64_t cycles = 0;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    const ActionCounts c = actions_of(arch, net.ops[i], t.ops[i]);
    cycles += c.cycles;
    e += energy_of(m, c);
  }
  e += unattributed(m, t.total_cycles, cycles);
  return e;
}

double RunCost::energy_j() const {
  return total.total_pj() * 1e-12;
}
double RunCost::power_w() const {
  return seconds > 0 ? energy_j() / seconds : 0;
}
double RunCost::edp_js() const {
  return energy_j() * seconds;
}

RunCost run_cost(const RunResult& run, const Tech& tech) {
  RunCost rc;
  rc.model = cost_model(run.arch, tech);
  uint64_t cycles = 0;
  for (const auto& l : run.layers) {
    const ActionCounts c = actions_of(run.arch, l.op, l.timing);
    cycles += c.cycles;
    rc.layers.push_back(energy_of(rc.model, c));
    rc.total += rc.layers.back();
  }
  rc.total += unattributed(rc.model, run.total_cycles, cycles);
  rc.seconds = static_cast<double>(run.total_cycles) / (run.arch.clock_mhz * 1e6);
  rc.per_inference_j = rc.energy_j() / static_cast<double>(run.batch > 0 ? run.batch : 1);
  return rc;
}

}  // namespace bitsys
