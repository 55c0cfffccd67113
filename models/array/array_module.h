// The systolic array as a SystemC module: one clocked process steps every PE of the grid once
// per cycle (PEs are plain C++ objects; see DEVELOPERS.md on speed). A command runs a number of
// cycles of the current fold, or the fold to its end, optionally starting a new fold first; the
// grid's state is held between commands, which is how the array stalls while data is late.
#pragma once
#include <map>
#include <memory>
#include <tuple>

#include <systemc>

#include "sim/pe/grid.h"

namespace bitsys {

class PeKind;

struct ArrayCommand {
  bool start = false;  ///< begin `fold` first
  FoldJob fold;
  uint64_t cycles = 0;  ///< cycles to run; 0 = until the fold completes
};
inline std::ostream& operator<<(std::ostream& os, const ArrayCommand&) {
  return os << "array command";
}

class ArrayModule : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<ArrayCommand> cmd;
  sc_core::sc_fifo_out<uint64_t> done;  ///< cycles the command took

  explicit ArrayModule(sc_core::sc_module_name name);
  /// Selects the grid for the next folds; grids are kept per (kind, rows, cols).
  void configure(const PeKind& kind, int rows, int cols);
  uint64_t pe_updates() const { return pe_updates_; }  ///< PE-cycles stepped since construction
  /// Adds every PE's registers of the current grid, and the busy flag, to a trace file.
  void trace(sc_core::sc_trace_file* tf);

 private:
  void run();
  std::map<std::tuple<const PeKind*, int, int>, std::unique_ptr<Grid>> grids_;
  Grid* grid_ = nullptr;
  uint64_t pe_updates_ = 0;
  bool busy_ = false;  ///< traced: the array is stepping (not stalled or idle)
};

}  // namespace bitsys
