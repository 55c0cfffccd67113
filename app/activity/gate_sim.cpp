#include "app/activity/gate_sim.h"

#include <functional>
#include <map>
#include <stdexcept>

namespace bitsys {

namespace {

uint32_t bit_id(const nlohmann::json& b) {
  if (b.is_number_integer()) return b.get<uint32_t>();
  return b.get<std::string>() == "1" ? 1 : 0;  // "0", "x", "z": held low
}

std::vector<uint32_t> bits_of(const nlohmann::json& bits) {
  std::vector<uint32_t> out;
  for (const auto& b : bits) out.push_back(bit_id(b));
  return out;
}

}  // namespace

GateSim::GateSim(const nlohmann::json& netlist, const std::string& module) {
  const nlohmann::json& m = netlist.at("modules").at(module);
  uint32_t max_id = 1;
  auto note = [&](uint32_t id) { max_id = std::max(max_id, id); };
  for (auto it = m.at("ports").begin(); it != m.at("ports").end(); ++it) {
    const auto bits = bits_of(it.value().at("bits"));
    for (uint32_t b : bits) note(b);
    (it.value().at("direction") == "input" ? inputs_ : outputs_).emplace_back(it.key(), bits);
  }
  // Combinational gates keyed by the net they drive, then put in evaluation order.
  std::map<uint32_t, Gate> drivers;
  static const std::map<std::string, std::pair<Op, double>> kGates = {
      {"$_NOT_", {Op::Not, 0.5}}, {"$_NAND_", {Op::Nand, 1}}, {"$_NOR_", {Op::Nor, 1}},   {"$_AND_", {Op::And, 1.5}},
      {"$_OR_", {Op::Or, 1.5}},   {"$_XOR_", {Op::Xor, 3}},   {"$_XNOR_", {Op::Xnor, 3}}, {"$_BUF_", {Op::Buf, 0}}};
  for (auto it = m.at("cells").begin(); it != m.at("cells").end(); ++it) {
    const std::string type = it.value().at("type");
    const nlohmann::json& c = it.value().at("connections");
    auto pin = [&](const char* p) {
      const uint32_t id = bit_id(c.at(p).at(0));
      note(id);
      return id;
    };
    const auto g = kGates.find(type);
    if (g != kGates.end()) {
      const uint32_t a = pin("A"), b = g->second.first == Op::Not || g->second.first == Op::Buf ? a : pin("B");
      const uint32_t y = pin("Y");
      drivers[y] = {g->second.first, a, b, y, g->second.second};
      logic_nand2_ += g->second.second;
      continue;
    }
    // Flip-flops on the rising clock edge: plain, with an active-high enable, with an active-high
    // synchronous reset to 0 (over the enable), the kinds Yosys maps bitsys's registers to.
    Ff f{0, 0, kOne, kZero};
    if (type == "$_DFF_P_" || type == "$_DFFE_PP_" || type == "$_SDFF_PP0_" || type == "$_SDFFE_PP0P_") {
      f.d = pin("D");
      f.q = pin("Q");
      if (type == "$_DFFE_PP_" || type == "$_SDFFE_PP0P_") f.en = pin("E");
      if (type == "$_SDFF_PP0_" || type == "$_SDFFE_PP0P_") f.rst = pin("R");
      ffs_.push_back(f);
      continue;
    }
    throw std::runtime_error("gate netlist of " + module + ": cell type " + type + " is not simulated");
  }
  value_.assign(max_id + 1, 0);
  value_[kOne] = 1;
  // Depth-first from every gate: a gate follows the gates driving its inputs.
  std::map<uint32_t, int> state;  // 1 visiting, 2 done
  std::function<void(uint32_t)> visit = [&](uint32_t net) {
    const auto d = drivers.find(net);
    if (d == drivers.end()) return;  // a port, a flip-flop output or a constant
    int& s = state[net];
    if (s == 2) return;
    if (s == 1) throw std::runtime_error("gate netlist of " + module + ": a combinational loop");
    s = 1;
    visit(d->second.a);
    visit(d->second.b);
    s = 2;
    gates_.push_back(d->second);
  };
  for (const auto& [net, g] : drivers) visit(net);
  settle(false);
}

const std::vector<uint32_t>& GateSim::port(const std::vector<std::pair<std::string, std::vector<uint32_t>>>& ports,
                                           const std::string& name) const {
  for (const auto& p : ports)
    if (p.first == name) return p.second;
  throw std::runtime_error("gate netlist: no port " + name);
}

void GateSim::set_input(const std::string& name, const std::vector<uint64_t>& words) {
  const auto& bits = port(inputs_, name);
  for (size_t i = 0; i < bits.size(); ++i) {
    const uint64_t w = i / 64 < words.size() ? words[i / 64] : 0;
    if (bits[i] > kOne) value_[bits[i]] = static_cast<uint8_t>((w >> (i % 64)) & 1);
  }
}

std::vector<uint64_t> GateSim::output(const std::string& name) {
  const auto& bits = port(outputs_, name);
  std::vector<uint64_t> w((bits.size() + 63) / 64, 0);
  for (size_t i = 0; i < bits.size(); ++i) w[i / 64] |= static_cast<uint64_t>(value_[bits[i]]) << (i % 64);
  return w;
}

void GateSim::settle(bool count) {
  for (const Gate& g : gates_) {
    const uint8_t a = value_[g.a], b = value_[g.b];
    uint8_t y = 0;
    switch (g.op) {
      case Op::Not:
        y = !a;
        break;
      case Op::Nand:
        y = !(a & b);
        break;
      case Op::Nor:
        y = !(a | b);
        break;
      case Op::And:
        y = a & b;
        break;
      case Op::Or:
        y = a | b;
        break;
      case Op::Xor:
        y = a ^ b;
        break;
      case Op::Xnor:
        y = !(a ^ b);
        break;
      case Op::Buf:
        y = a;
        break;
    }
    if (count && y != value_[g.y]) gate_transitions_ += g.weight;
    value_[g.y] = y;
  }
}

void GateSim::cycle() {
  settle(true);
  std::vector<uint8_t> next(ffs_.size());
  for (size_t i = 0; i < ffs_.size(); ++i) {
    const Ff& f = ffs_[i];
    next[i] = value_[f.rst] ? 0 : value_[f.en] ? value_[f.d] : value_[f.q];
  }
  // The new state and the next cycle's inputs arrive together: the next settle counts what they
  // change as one transition per net, as in the circuit.
  for (size_t i = 0; i < ffs_.size(); ++i) {
    if (next[i] != value_[ffs_[i].q]) ++ff_transitions_;
    value_[ffs_[i].q] = next[i];
  }
}

}  // namespace bitsys
