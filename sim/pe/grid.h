// An R x C grid of PEs as plain C++ objects, advanced one clock at a time by its owner (the
// SystemC array module's single clocked process). Contract: start() a fold, then step() once per
// cycle until it returns true, the cycle the fold's last output leaves the array.
#pragma once
#include <cstdint>

#include "sim/ir/dataflow.h"
#include "sim/pe/beat.h"

namespace bitsys {

/// One fold: a block of the (Sr, Sc) space, with the whole GEMM's beat operands.
struct FoldJob {
  Dataflow dataflow = Dataflow::OS;
  const uint64_t* A = nullptr;  ///< M x Kb activation words, row-major
  const Beat* W = nullptr;      ///< Kb x N weight beats, row-major
  int64_t* O = nullptr;         ///< M x N outputs; WS/IS add partial sums of K folds into it
  int64_t M = 0, Kb = 0, N = 0;
  int64_t row0 = 0, col0 = 0;  ///< origin of the fold in (Sr, Sc)
  int64_t t0 = 0, tlen = -1;   ///< WS/IS: slice of the streamed dimension (-1 = all of it)
};

/// Where one PE's registers live, for waveform tracing.
struct CellRefs {
  uint64_t* a;
  Beat* w;
  int64_t* acc;
};

class Grid {
 public:
  Grid(int rows, int cols) : rows_(rows), cols_(cols) {}
  virtual ~Grid() = default;
  virtual void start(const FoldJob& job) = 0;
  /// Advances one clock cycle; true when the fold has completed on this cycle.
  virtual bool step() = 0;
  /// Streamed time steps (beats) that have entered the array in this fold so far: a tile of the
  /// fold has consumed its operands once this reaches the tile's last beat.
  virtual int64_t fed() const = 0;
  virtual CellRefs cell(int r, int c) = 0;
  int rows() const { return rows_; }
  int cols() const { return cols_; }

 protected:
  int rows_, cols_;
};

}  // namespace bitsys
