// Builds a lockstep harness around a user's Verilog PE with Verilator, at run time.
#pragma once
#include <string>

namespace bitsys {

struct HarnessBuild {
  std::string exe;    ///< the harness executable, when the build succeeded
  std::string error;  ///< otherwise one line: what Verilator or the compiler objected to
  std::string log;    ///< the full build log
};

/// `top` is the PE's module name; `lanes` sets its LANES parameter.
HarnessBuild build_pe_harness(const std::string& verilog, const std::string& top, int lanes,
                              const std::string& workdir);

}  // namespace bitsys
