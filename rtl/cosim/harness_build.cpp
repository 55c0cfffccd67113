#include "rtl/cosim/harness_build.h"

#include <fstream>
#include <sstream>

namespace bitsys {

namespace {

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// The first diagnostics worth a user's eye: Verilator's %Error lines, else the compiler's.
std::string first_errors(const std::string& log) {
  std::istringstream in(log);
  std::string line, verilator, compiler;
  int nv = 0;
  while (std::getline(in, line)) {
    if (line.rfind("%Error", 0) == 0 && line.find("Exiting due to") == std::string::npos && nv < 2) {
      verilator += (nv++ ? " | " : "") + line;
    } else if (compiler.empty() && line.find("error:") != std::string::npos) {
      compiler = line;
    }
  }
  if (!verilator.empty()) return "Verilator rejected the design: " + verilator;
  if (!compiler.empty())
    return "the design does not follow the bitsys PE port contract (rtl/README.md): " + compiler.substr(compiler.find("error:"));
  return "the build failed; see the log";
}

}  // namespace

HarnessBuild build_pe_harness(const std::string& verilog, const std::string& top, int lanes, const std::string& workdir) {
  const std::string harness = std::string(BITSYS_SOURCE_DIR) + "/rtl/harness";
  const std::string log_path = workdir + "/build.log";
  std::ostringstream cmd;
  cmd << "verilator --cc --exe --build -j 2 --trace -Wno-fatal --top-module '" << top << "' -GLANES=" << lanes << " -I'" << dir_of(verilog)
      << "' -I'" << BITSYS_SOURCE_DIR << "/rtl' --Mdir '" << workdir << "/obj' -CFLAGS '-DVTOP=V" << top << " -I" << harness
      << " -O1' -o pe_harness '" << verilog << "' '" << harness << "/pe_harness.cpp' > '" << log_path << "' 2>&1";
  const int status = std::system(cmd.str().c_str());
  HarnessBuild b;
  std::ifstream in(log_path);
  std::stringstream ss;
  ss << in.rdbuf();
  b.log = ss.str();
  if (status != 0) {
    b.error = first_errors(b.log);
    return b;
  }
  b.exe = workdir + "/obj/pe_harness";
  return b;
}

}  // namespace bitsys
