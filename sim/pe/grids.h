// The two grids a PE kind can be stepped in, chosen by the fold schedule.
#pragma once
#include <memory>

#include "sim/pe/pipelined_grid.h"
#include "sim/pe/systolic_grid.h"

namespace bitsys {

template <class Pe>
std::unique_ptr<Grid> make_grid_of(int rows, int cols, bool overlapped) {
  if (overlapped) return std::make_unique<PipelinedGrid<Pe>>(rows, cols);
  return std::make_unique<SystolicGrid<Pe>>(rows, cols);
}

}  // namespace bitsys
