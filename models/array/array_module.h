// The systolic array as a SystemC module: one clocked process steps every PE of the grid once
// per cycle (PEs are plain C++ objects; see DEVELOPERS.md on speed). Folds arrive on `cmd`, and
// each completion is reported on `done` with the clock edges it occupied.
#pragma once
#include <map>
#include <memory>
#include <tuple>

#include <systemc>

#include "models/array/grid.h"

namespace bitsys {

class PeKind;

struct FoldDone {
  sc_core::sc_time first_edge;  ///< edge of the fold's first cycle
  sc_core::sc_time last_edge;   ///< edge of its last cycle
  uint64_t steps = 0;           ///< cycles the grid stepped
};
// sc_fifo requires printable payloads; folds have no useful one-line form.
inline std::ostream& operator<<(std::ostream& os, const FoldDone&) { return os; }
inline std::ostream& operator<<(std::ostream& os, const FoldJob&) { return os; }

class ArrayModule : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_fifo_in<FoldJob> cmd;
  sc_core::sc_fifo_out<FoldDone> done;

  explicit ArrayModule(sc_core::sc_module_name name);
  /// Selects the grid for the next folds; grids are kept per (kind, rows, cols).
  void configure(const PeKind& kind, int rows, int cols);
  uint64_t pe_updates() const { return pe_updates_; }  ///< PE-cycles stepped since construction

 private:
  void run();
  std::map<std::tuple<const PeKind*, int, int>, std::unique_ptr<Grid>> grids_;
  Grid* grid_ = nullptr;
  uint64_t pe_updates_ = 0;
};

}  // namespace bitsys
