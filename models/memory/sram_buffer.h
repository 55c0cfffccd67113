// One double-buffered SRAM (ifmap, filter or ofmap) of the SystemC system: a capacity taken from
// the configuration, two slots that tiles (or, in the ofmap buffer, folds) take turns to fill,
// and regions that live for a whole op (resident tensors, the partial-sum slab, an output kept on
// chip for the next op). Each holds real bytes (Region). It tracks who holds each slot and how
// many bytes are held, and refuses — as a model error — data landing in a slot its previous
// holder still uses, or more bytes held at once than the buffer has: it checks the tile plan
// against the hardware rather than trusting it (README "Memory system").
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include <systemc>

#include "models/memory/region.h"

namespace bitsys {

/// What a unit reads from and writes into a buffer during one tile, through its ports.
struct PortJob {
  uint64_t read = 0, write = 0;  ///< bytes
  bool done = false;
  sc_core::sc_event done_event;
};
inline std::ostream& operator<<(std::ostream& os, PortJob*) {
  return os << "port job";
}

class SramBuffer : public sc_core::sc_module {
 public:
  explicit SramBuffer(sc_core::sc_module_name name);
  /// Moves a tile's bytes through the read and write ports (side by side), `port_units` 2^-20
  /// bytes a cycle each; 0 = unlimited. Done when both have crossed.
  void start(PortJob* job) { ports_.write(job); }
  void set_port_width(uint64_t port_units) { port_units_ = port_units; }
  /// Empties the buffer and sets its capacity in bytes (UINT64_MAX: unbounded).
  void configure(uint64_t capacity_bytes);

  /// `holder` takes slot holder % 2 for `bytes`. Fails when another holder still has it.
  Region& fill_slot(uint64_t holder, uint64_t bytes, const char* holder_kind = "tile");
  /// `holder` gives its slot back (no-op when it holds none).
  void release_slot(uint64_t holder);
  Region& slot_of(uint64_t holder) { return slot_[holder % 2].region; }
  bool holds(uint64_t holder) const { return slot_[holder % 2].holder == static_cast<int64_t>(holder); }

  /// The op-lifetime region `key` grows to `bytes` (created empty when new).
  Region& hold_resident(const std::string& key, uint64_t bytes);
  void release_resident(const std::string& key);
  /// nullptr when no region `key` is held.
  Region* resident(const std::string& key);

  /// The first inconsistency seen, empty if none.
  const std::string& error() const { return error_; }
  void trace(sc_core::sc_trace_file* tf);

 private:
  void check(const std::string& what);
  void serve_ports();
  sc_core::sc_fifo<PortJob*> ports_{"ports", 4};
  uint64_t port_units_ = 0;
  void fail(const std::string& why);
  uint64_t capacity_ = 0;
  struct Slot {
    int64_t holder = -1;  ///< -1 when free
    uint64_t bytes = 0;
    Region region;
  } slot_[2];
  struct Resident {
    uint64_t bytes = 0;
    Region region;
  };
  std::map<std::string, Resident> resident_;
  uint64_t resident_total_ = 0;
  sc_dt::uint64 used_ = 0;  ///< traced: bytes held
  std::string error_;
};

}  // namespace bitsys
