#include "models/vector/vector_unit.h"

namespace bitsys {

VectorUnit::VectorUnit(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(VectorUnit);
  SC_THREAD(run);
}

void VectorUnit::run() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    const uint64_t cycles = work.read();
    if (cycles) wait(static_cast<double>(cycles) * cycle);
    done.write(cycles);
  }
}

}  // namespace bitsys
