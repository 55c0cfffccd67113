// The bitsys subcommands: each lives in one file (<name>_command.cpp) and registers itself, as
// PE kinds and fidelities do. A command takes its own arguments (argv after its name) and returns
// the exit code; InputError propagates to main, which prints it in one line and exits 2.
#pragma once
#include <string>
#include <vector>

namespace bitsys {

struct Command {
  std::string name;
  std::string summary;
  int (*main)(const std::vector<std::string>& args);
};

/// Returns true so a registration can initialise a static.
bool register_command(Command c);
/// Every registered command, by name.
const std::vector<Command>& commands();
const Command* find_command(const std::string& name);

}  // namespace bitsys

#define BITSYS_REGISTER_COMMAND(id, name, summary, fn) \
  static const bool bitsys_registered_command_##id = ::bitsys::register_command({name, summary, fn})
