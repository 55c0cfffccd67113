// The systolic array as a SystemC module: one clocked process steps every PE of the grid once
// per cycle (PEs are plain C++ objects; see DEVELOPERS.md on speed). A command runs the current
// fold until a given number of its beats have entered the array (a tile's operands consumed), or
// to its end, optionally starting a new fold first; the grid's state is held between commands,
// which is how the array stalls while data is late.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include <systemc>

#include "models/array/result_pipeline.h"
#include "sim/pe/grid.h"

namespace bitsys {

class PeKind;

/// Run the array: optionally begin a new fold, then step until the newest fold has had
/// `feed_until` beats enter (a tile's operands consumed), or with -1 until a fold completes (its
/// last result in the output buffer). Any fold completing ends the command early, so the
/// controller can write it back at that cycle (under the overlapped schedule an earlier fold
/// completes while the next one streams); the controller then continues the same command.
struct ArrayCommand {
  bool start = false;  ///< begin `fold` first
  FoldJob fold;
  int64_t feed_until = -1;
  /// Also ends the command at the first cycle this holds (the controller waiting for something
  /// else while folds still in the array drain).
  std::function<bool()> until;
};
inline std::ostream& operator<<(std::ostream& os, const ArrayCommand&) {
  return os << "array command";
}

struct ArrayDone {
  uint64_t steps = 0;        ///< cycles the command ran
  bool completed = false;    ///< a fold's last result landed in the buffer on the last of them
  bool fed_reached = false;  ///< the newest fold has had `feed_until` beats enter
  bool until = false;        ///< the command's `until` held
};
inline std::ostream& operator<<(std::ostream& os, const ArrayDone& d) {
  return os << "array done after " << d.steps << (d.completed ? ", a fold completed" : "");
}

/// Where the array's grids come from: by default the PE kind's plain C++ grid; the RTL fidelity
/// supplies grids that step the verilated array instead.
struct GridSource {
  std::string name;  ///< grids are kept per (kind, rows, cols, source)
  std::function<std::unique_ptr<Grid>(const PeKind&, int rows, int cols, bool overlapped)> make;
};

class ArrayModule : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<ArrayCommand> cmd;
  sc_core::sc_fifo_out<ArrayDone> done;

  explicit ArrayModule(sc_core::sc_module_name name);
  /// Selects the grid for the next folds (from `source`, or the kind's own when null);
  /// `overlapped`: the grid of the overlapped schedule.
  void configure(const PeKind& kind, int rows, int cols, const GridSource* source = nullptr, bool overlapped = false);
  uint64_t pe_updates() const { return pe_updates_; }  ///< PE-cycles stepped since construction
  /// Why a grid stopped stepping since configure(), if it did ("" otherwise).
  const std::string& error() const { return error_; }
  /// Adds every PE's registers of the current grid, and the busy flag, to a trace file.
  void trace(sc_core::sc_trace_file* tf);

 private:
  void run();
  std::map<std::tuple<const PeKind*, int, int, std::string>, std::unique_ptr<Grid>> grids_;
  Grid* grid_ = nullptr;
  ResultPipeline pipeline_;
  int in_array_ = 0;  ///< folds started whose last result has not left the array
  uint64_t pe_updates_ = 0;
  bool busy_ = false;  ///< traced: the array is stepping (not stalled or idle)
  std::string error_;
};

}  // namespace bitsys
