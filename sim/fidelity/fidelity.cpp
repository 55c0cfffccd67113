#include "sim/fidelity/fidelity.h"

#include <stdexcept>

#include "sim/lowering/lower.h"

namespace bitsys {
namespace {

std::vector<std::unique_ptr<Fidelity>>& registry() {
  static std::vector<std::unique_ptr<Fidelity>> all;
  return all;
}

}  // namespace

void register_fidelity(std::unique_ptr<Fidelity> f) {
  registry().push_back(std::move(f));
}

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

const char* stall_cause_name(int c) {
  static const char* names[] = {"ifmap", "filter", "ofmap", "writeback"};
  return names[c];
}

void attribute_stall(const Tile& t, uint64_t stall, bool load_bound, OpTiming& op) {
  op.stall += stall;
  const uint64_t bytes = t.load_bytes();
  if (!load_bound || bytes == 0) {
    op.stall_by[kStallWriteback] += stall;
    return;
  }
  uint64_t given = 0;
  int largest = 0;
  for (int b = 0; b < kBuffers; ++b) {
    const uint64_t share = static_cast<uint64_t>(static_cast<unsigned __int128>(stall) * t.dram_read[b] / bytes);
    op.stall_by[b] += share;
    given += share;
    if (t.dram_read[b] > t.dram_read[largest]) largest = b;
  }
  op.stall_by[largest] += stall - given;  // rounding goes to the largest operand
}

void account_tile(const Tile& t, OpTiming& op) {
  for (int b = 0; b < kBuffers; ++b) {
    op.dram_read[b] += t.dram_read[b];
    op.sram_read[b] += t.sram_read[b];
    op.sram_write[b] += t.sram_write[b];
  }
  op.dram_write += t.dram_write;
  op.sram_read[kOfmap] += t.post_read;  // the vector unit's, beside the array
  op.sram_write[kOfmap] += t.post_write + t.post_load;
  op.dram_read[kOfmap] += t.post_load;
}

}  // namespace bitsys

namespace bitsys {

void check_lowered_for(const ArchConfig& arch, const LoweredNetwork& net) {
  if (lowered_for(net, arch)) return;
  if (net.conventions != arch.conventions)
    throw std::logic_error("network '" + net.name + "' was lowered under " + conventions_name(net.conventions) +
                           " conventions, but " + arch.name + " runs under " + conventions_name(arch.conventions));
  if (net.stage != arch.output_stage) {
    // Name what differs: two stages fusing the same ops may still differ in latency or in where
    // the ops they do not fuse go.
    const auto describe = [](const OutputStageConfig& s) {
      return "fusing " + s.fused_names() + ", the rest " + (s.beside ? "beside the array" : "in turns");
    };
    const std::string was = describe(net.stage), is = describe(arch.output_stage);
    throw std::logic_error("network '" + net.name + "' was lowered for an output stage " + was + ", but " + arch.name +
                           "'s is " + (was == is ? "the same with other latencies" : is) +
                           " (lower it with the architecture's output_stage)");
  }
}

}  // namespace bitsys
