// The bitsys subcommands. Each takes its own arguments (argv after the command name) and
// returns the process exit code; InputError propagates to main, which prints it in one line.
#pragma once
#include <string>
#include <vector>

namespace bitsys {

struct Command {
  const char* name;
  const char* summary;
  int (*main)(const std::vector<std::string>& args);
};

const std::vector<Command>& commands();

int cmd_run(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_crosscheck(const std::vector<std::string>& args);
int cmd_bench(const std::vector<std::string>& args);
int cmd_verify_pe(const std::vector<std::string>& args);
int cmd_study(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);

}  // namespace bitsys
