// The vector unit: runs elementwise ops and pools, `lanes` element operations a cycle, stepping
// over a tile's operations until none is left. It counts operations; it does not compute values
// yet.
#pragma once
#include <cstdint>

#include <systemc>

namespace bitsys {

class VectorUnit : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<uint64_t> work;   ///< element operations of one tile
  sc_core::sc_fifo_out<uint64_t> done;  ///< cycles it took

  explicit VectorUnit(sc_core::sc_module_name name);
  void configure(int lanes) { lanes_ = static_cast<uint64_t>(lanes); }

 private:
  void run();
  uint64_t lanes_ = 1;
};

}  // namespace bitsys
