// libFuzzer harness: arbitrary bytes through every text input bitsys reads. A clean InputError
// (or std::invalid_argument from the constraint parser) is the only acceptable failure; anything
// else - a crash, a sanitizer report, another exception - is a bug. Build and run: tests/fuzz/README.md.
#include <cstdint>
#include <string>

#include "app/sweep/constraint.h"
#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/scalesim_topology.h"
#include "sim/io/workload_json.h"
#include "sim/ir/arch_config.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "sim/timing/analytic.h"

using namespace bitsys;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const ArchConfig arch = [] {
    ArchConfig a;
    a.rows = 32;
    a.cols = 32;
    a.pe = find_pe_kind("bitserial");
    a.lanes = 8;
    return a;
  }();
  try {
    analytic_network(arch, lower(parse_workload_json(text, "fuzz.json")));
  } catch (const InputError&) {
  }
  try {
    analytic_network(arch, lower(parse_scalesim_topology(text, "fuzz.csv")));
  } catch (const InputError&) {
  }
  try {
    parse_arch_json(text, "fuzz-arch.json");
  } catch (const InputError&) {
  }
  try {
    parse_scalesim_cfg(text, "fuzz.cfg");
  } catch (const InputError&) {
  }
  try {
    Constraint c(text);
    c.holds([](const std::string&) -> FieldValue { return 3.0; });
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
