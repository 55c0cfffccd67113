// The RTL fidelity: the SystemC system (controller, DRAM channel, buffers, vector unit) with the
// verilated reference array in place of the C++ grid. Cycles, stalls, bytes and every output
// must equal the systemc fidelity's (tests/test_rtl_fidelity.cpp).
//
// Each kind's array is verilated twice, 16 x 16 at its widest lanes (plain, and with the overlapped
// schedule's registers, which make every cycle slower to evaluate), and run at the configured size
// in its top-left corner (active_rows, active_cols): SystemC cannot create modules once
// elaborated, and a verilated model's parameters are fixed, so one model per kind and schedule
// serves every architecture up to 16 x 16. The model is stepped from the array module's clocked process
// through the Grid interface, like the C++ grid.
// Verilated headers come before SystemC's (they expect an unqualified sc_time_stamp otherwise).
#include "Varray_rtl_binary.h"
#include "Varray_rtl_binary_overlap.h"
#include "Varray_rtl_bitserial.h"
#include "Varray_rtl_bitserial_overlap.h"
#include "Varray_rtl_int8.h"
#include "Varray_rtl_int8_overlap.h"

#include "models/system/systemc_fidelity.h"
#include "rtl/cosim/rtl_kinds.h"
#include "rtl/fidelity/rtl_grid.h"
#include "rtl/fidelity/rtl_overlap_grid.h"
#include "sim/io/input_error.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

constexpr int kRtlArrayRows = 16, kRtlArrayCols = 16;  // RTL_ARRAY_{ROWS,COLS} in rtl/CMakeLists.txt

/// The contract's array for folds one at a time; the one built with the overlapped schedule's
/// registers (BITSYS_OVERLAP) only where they are used, as they make every cycle slower to evaluate.
template <class Plain, class Overlap>
std::unique_ptr<Grid> make_rtl_grid_of(int rows, int cols, bool overlapped) {
  if (overlapped) return std::make_unique<RtlOverlapGrid<Overlap>>(rows, cols);
  return std::make_unique<RtlGrid<Plain>>(rows, cols);
}

std::unique_ptr<Grid> make_rtl_grid(const PeKind& kind, int rows, int cols, bool overlapped) {
  switch (rtl_kind_id(kind.name())) {
    case 0:
      return make_rtl_grid_of<Varray_rtl_int8, Varray_rtl_int8_overlap>(rows, cols, overlapped);
    case 1:
      return make_rtl_grid_of<Varray_rtl_binary, Varray_rtl_binary_overlap>(rows, cols, overlapped);
    case 2:
      return make_rtl_grid_of<Varray_rtl_bitserial, Varray_rtl_bitserial_overlap>(rows, cols, overlapped);
  }
  throw std::invalid_argument("no RTL for PE kind " + kind.name());
}

class RtlFidelity final : public SystemCFidelity {
 public:
  std::string name() const override { return "rtl"; }
  std::string summary() const override {
    return "the SystemC system with the verilated RTL array in place of the C++ PEs (arrays up to 16 x 16)";
  }

 protected:
  const GridSource* grid_source() const override {
    static const GridSource source{"rtl", make_rtl_grid};
    return &source;
  }
  void check_arch(const ArchConfig& arch) const override {
    if (rtl_kind_id(arch.pe->name()) < 0) fail_input(arch.file, "", "pe.kind", "no RTL for PE kind " + arch.pe->name());
    if (arch.rows < 2 || arch.rows > kRtlArrayRows)
      fail_input(arch.file, "", "rows",
                 "the rtl fidelity's array has 2.." + std::to_string(kRtlArrayRows) + " rows, not " +
                     std::to_string(arch.rows));
    if (arch.cols < 2 || arch.cols > kRtlArrayCols)
      fail_input(arch.file, "", "cols",
                 "the rtl fidelity's array has 2.." + std::to_string(kRtlArrayCols) + " columns, not " +
                     std::to_string(arch.cols));
  }
};

}  // namespace

BITSYS_REGISTER_FIDELITY(RtlFidelity);

}  // namespace bitsys
