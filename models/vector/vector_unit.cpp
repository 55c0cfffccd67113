#include "models/vector/vector_unit.h"

#include <algorithm>

namespace bitsys {

VectorUnit::VectorUnit(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(VectorUnit);
  SC_THREAD(run);
}

void VectorUnit::run() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    const uint64_t ops = work.read();
    uint64_t cycles = 0;
    for (uint64_t left = ops; left > 0; left -= std::min(left, lanes_)) ++cycles;  // one cycle's lanes at a time
    if (cycles) wait(static_cast<double>(cycles) * cycle);
    done.write(cycles);
  }
}

}  // namespace bitsys
