// The vector unit: runs elementwise ops and pools at `vector_lanes` element operations a cycle.
// It times the work it is given (the tile plan sizes it); it does not compute values.
#pragma once
#include <cstdint>

#include <systemc>

namespace bitsys {

class VectorUnit : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<uint64_t> work;   ///< cycles of one tile
  sc_core::sc_fifo_out<uint64_t> done;  ///< cycles it took

  explicit VectorUnit(sc_core::sc_module_name name);

 private:
  void run();
};

}  // namespace bitsys
