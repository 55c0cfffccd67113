#include "rtl/cosim/yosys.h"

#include <fstream>

#include "sim/io/input_error.h"

namespace bitsys {

std::string yosys_word(const std::string& path, const std::string& what) {
  if (path.find_first_of(" \t\n\"'") != std::string::npos)
    fail_input(path, "", "", what + ": Yosys cannot read a path with blanks or quotes; move the file");
  return path;
}

ProgramRun run_yosys_script(const std::string& workdir, const std::string& name, const std::string& script,
                            double timeout_s) {
  const std::string path = workdir + "/" + name + ".ys";
  std::ofstream(path) << script;
  return run_program({"yosys", "-q", "-s", path}, timeout_s, workdir + "/" + name + ".log");
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace bitsys
