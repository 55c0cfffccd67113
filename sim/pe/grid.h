// An R x C grid of PEs as plain C++ objects, advanced one clock at a time by its owner (the
// SystemC array module's single clocked process). Contract: start() a fold, then step() once per
// cycle until it returns true, the cycle the fold's last output leaves the array.
#pragma once
#include <cstddef>
#include <cstdint>

#include "sim/ir/dataflow.h"
#include "sim/pe/beat.h"

namespace bitsys {

/// Where a fold's operands come from and its results go: the SystemC system reads them from its
/// buffers; tests and co-simulation from arrays (ArrayOperands).
class OperandSource {
 public:
  virtual ~OperandSource() = default;
  virtual uint64_t a(int64_t m, int64_t kb) = 0;  ///< activation word of row m, beat kb
  virtual Beat w(int64_t kb, int64_t n) = 0;      ///< weight beat kb of column n
  /// A result leaving the array: OS, the fold's accumulator; WS/IS, the fold's partial sum.
  virtual void result(int64_t m, int64_t n, int64_t value) = 0;
};

/// Operands held whole in memory (M x Kb words, Kb x N beats); results added into M x N outputs.
class ArrayOperands final : public OperandSource {
 public:
  ArrayOperands(const uint64_t* A, const Beat* W, int64_t* O, int64_t Kb, int64_t N)
      : A_(A), W_(W), O_(O), Kb_(Kb), N_(N) {}
  uint64_t a(int64_t m, int64_t kb) override { return A_[m * Kb_ + kb]; }
  Beat w(int64_t kb, int64_t n) override { return W_[kb * N_ + n]; }
  void result(int64_t m, int64_t n, int64_t value) override { O_[m * N_ + n] += value; }

 private:
  const uint64_t* A_;
  const Beat* W_;
  int64_t* O_;
  int64_t Kb_, N_;
};

/// One fold: a block of the (Sr, Sc) space of an M x Kb x N beat GEMM.
struct FoldJob {
  Dataflow dataflow = Dataflow::OS;
  OperandSource* src = nullptr;
  int64_t M = 0, Kb = 0, N = 0;
  int64_t row0 = 0, col0 = 0;  ///< origin of the fold in (Sr, Sc)
  int64_t t0 = 0, tlen = -1;   ///< WS/IS: slice of the streamed dimension (-1 = all of it)
  int output_latency = 0;      ///< registers between the array and the buffer (models/array/result_pipeline.h)
};

/// The smallest power of two >= n: operand rings indexed by cycle with a mask, not a division
/// (the grids index one per row every cycle).
inline size_t ring_slots(size_t n) {
  size_t p = 1;
  while (p < n) p *= 2;
  return p;
}

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
