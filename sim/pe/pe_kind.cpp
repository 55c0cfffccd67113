#include "sim/pe/pe_kind.h"

#include <algorithm>

namespace bitsys {
namespace {

std::vector<std::unique_ptr<PeKind>>& registry() {
  static std::vector<std::unique_ptr<PeKind>> kinds;  // function-local: safe from static-init order
  return kinds;
}

}  // namespace

int64_t beats_for(const PeKind& kind, int64_t K, int lanes, const ActPrecision& a, const WeightPrecision& w) {
  return (K + lanes - 1) / lanes * kind.passes(a, w);
}

void register_pe_kind(std::unique_ptr<PeKind> kind) {
  registry().push_back(std::move(kind));
  std::sort(registry().begin(), registry().end(), [](const auto& x, const auto& y) { return x->name() < y->name(); });
}

const PeKind* find_pe_kind(const std::string& name) {
  for (const auto& k : registry())
    if (k->name() == name) return k.get();
  return nullptr;
}

std::vector<const PeKind*> pe_kinds() {
  std::vector<const PeKind*> out;
  for (const auto& k : registry()) out.push_back(k.get());
  return out;
}

std::string pe_kind_names() {
  std::string s;
  for (const auto& k : registry()) s += (s.empty() ? "" : ", ") + k->name();
  return s;
}

}  // namespace bitsys
