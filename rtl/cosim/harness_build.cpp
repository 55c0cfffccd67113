#include "rtl/cosim/harness_build.h"

#include <sstream>
#include <vector>

#include "rtl/cosim/yosys.h"
#include "sim/io/data_paths.h"
#include "sim/io/subprocess.h"

namespace bitsys {

namespace {

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
    return "the design does not follow the bitsys PE port contract (rtl/README.md): " +
           compiler.substr(compiler.find("error:"));
  return "the build failed; see the log";
}

}  // namespace

HarnessBuild build_pe_harness(const std::string& verilog, const std::string& top, int lanes,
                              const std::string& workdir) {
  const std::string rtl = data_path("rtl"), harness = rtl + "/harness";
  // pe_harness.cpp finds pe_io.h beside itself, so no -I for it goes through make (which would
  // split a path with spaces).
  const std::vector<std::string> argv = {"verilator",
                                         "--cc",
                                         "--exe",
                                         "--build",
                                         "-j",
                                         "2",
                                         "--trace",
                                         "-Wno-fatal",
                                         "--top-module",
                                         top,
                                         "-GLANES=" + std::to_string(lanes),
                                         "-I" + folder_of(verilog),
                                         "-I" + rtl,
                                         "--Mdir",
                                         workdir + "/obj",
                                         "-CFLAGS",
                                         "-DVTOP=V" + top + " -O1",
                                         "-o",
                                         "pe_harness",
                                         verilog,
                                         harness + "/pe_harness.cpp"};
  // Verilating and compiling one PE takes seconds; ten minutes means something hangs.
  const ProgramRun run = run_program(argv, 600, workdir + "/build.log");
  HarnessBuild b;
  b.log = run.output;
  if (!run.ok()) {
    b.error = run.exit_code < 0 ? run.failure("verilator") : first_errors(b.log);
    return b;
  }
  b.exe = workdir + "/obj/pe_harness";
  return b;
}

}  // namespace bitsys
