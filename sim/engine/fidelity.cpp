#include "sim/engine/fidelity.h"

namespace bitsys {
namespace {

std::vector<std::unique_ptr<Fidelity>>& registry() {
  static std::vector<std::unique_ptr<Fidelity>> all;
  return all;
}

}  // namespace

void register_fidelity(std::unique_ptr<Fidelity> f) { registry().push_back(std::move(f)); }

Fidelity* find_fidelity(const std::string& name) {
  for (auto& f : registry())
    if (f->name() == name) return f.get();
  return nullptr;
}

std::string fidelity_names() {
  std::string s;
  for (auto& f : registry()) s += (s.empty() ? "" : ", ") + f->name();
  return s;
}

void account_tile(const Tile& t, OpTiming& op) {
  for (int b = 0; b < kBuffers; ++b) {
    op.dram_read[b] += t.dram_read[b];
    op.sram_read[b] += t.sram_read[b];
    op.sram_write[b] += t.sram_write[b];
  }
  op.dram_write += t.dram_write;
}

}  // namespace bitsys
