#include <algorithm>

#include "app/cli/command.h"

namespace bitsys {

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> all;
  return all;
}
}  // namespace

bool register_command(Command c) {
  auto& all = registry();
  all.insert(
      std::upper_bound(all.begin(), all.end(), c, [](const Command& a, const Command& b) { return a.name < b.name; }),
      std::move(c));
  return true;
}

const std::vector<Command>& commands() {
  return registry();
}

const Command* find_command(const std::string& name) {
  for (const auto& c : registry())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace bitsys
