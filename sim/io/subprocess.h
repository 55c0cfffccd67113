// Starting other programs (Python, Verilator, a verilated harness) with an argument vector, never
// a shell string: a path with spaces or quotes stays one argument and cannot inject commands.
#pragma once
#include <string>
#include <vector>

namespace bitsys {

struct ProgramRun {
  int exit_code = -1;      ///< the program's exit status; -1 when it could not start or was killed
  bool timed_out = false;  ///< killed after the time limit
  std::string output;      ///< what it wrote to stdout (and stderr, unless apart), when captured
  std::string errors;      ///< what it wrote to stderr, when captured apart
  bool ok() const { return exit_code == 0 && !timed_out; }
  /// "python3 exited with status 1: <last line of its output>" and the like.
  std::string failure(const std::string& what) const;
};

/// Runs argv[0] (looked up in PATH) with argv, waiting at most timeout_s seconds. With
/// capture_to non-empty, stdout (and stderr, unless stderr_to names another file) goes to that
/// file and comes back in `output` (`errors`); otherwise they are inherited. Never throws for
/// the program's own failure.
ProgramRun run_program(const std::vector<std::string>& argv, double timeout_s, const std::string& capture_to = "",
                       const std::string& stderr_to = "");

/// mkdir -p; false when a component cannot be created.
bool make_directories(const std::string& path);
/// make_directories of the folder `file` is in (true when it has none).
bool make_parent_directories(const std::string& file);
/// A whole file's text, or "" when it cannot be read (logs a program may not have written).
std::string read_file_or_empty(const std::string& path);

}  // namespace bitsys
