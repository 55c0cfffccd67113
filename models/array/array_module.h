// The systolic array as a SystemC module: one clocked process steps every PE of the grid once
// per cycle (PEs are plain C++ objects; see DEVELOPERS.md on speed). A command runs the current
// fold until a given number of its beats have entered the array (a tile's operands consumed), or
// to its end, optionally starting a new fold first; the grid's state is held between commands,
// which is how the array stalls while data is late.
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
  int64_t feed_until =
      -1;  ///< run until this many beats of the fold have entered the array; -1 = until the fold completes
};
inline std::ostream& operator<<(std::ostream& os, const ArrayCommand&) {
  return os << "array command";
}

struct ArrayDone {
  uint64_t steps = 0;          ///< cycles the command ran
  bool fold_finished = false;  ///< the fold's last output left the array
};
inline std::ostream& operator<<(std::ostream& os, const ArrayDone& d) {
  return os << "array done after " << d.steps;
}

class ArrayModule : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<ArrayCommand> cmd;
  sc_core::sc_fifo_out<ArrayDone> done;

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
