// One DRAM channel: serves requests one at a time in issue order, moving `bandwidth` bytes each
// cycle (counted in 2^-20-byte units, so fractional bandwidths accumulate exactly) until the
// request's bytes have crossed; a read's data is usable `latency` cycles after its transfer.
#pragma once
#include <cstdint>
#include <functional>

#include <systemc>

#include "models/memory/dram_memory.h"
#include "models/memory/region.h"
#include "sim/ir/arch_config.h"

namespace bitsys {

/// Bytes a request moves between DRAM and one buffer region: the covering bytes of each span.
/// `target` names the region when the bytes arrive (a read lays the region out for them) or leave.
struct DramMove {
  std::function<Region*()> target;
  std::vector<Span> spans;
};

struct DramRequest {
  bool read = true;
  std::vector<DramMove> moves;
  uint64_t bytes = 0;  ///< set by the channel: the bytes it moved
  /// Called at `usable_at`: a read's bytes have landed in their buffer, a write's have left it.
  std::function<void()> landed;
  // Set by the channel when the transfer is over.
  sc_core::sc_time usable_at;  ///< reads: data in SRAM; writes: buffer space free
  bool done = false;           ///< `landed` has run (at usable_at)
  sc_core::sc_event done_event;
};
inline std::ostream& operator<<(std::ostream& os, DramRequest* r) {
  return os << "dram request " << r->bytes << " B";
}

class DramChannel : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<DramRequest*> requests;

  explicit DramChannel(sc_core::sc_module_name name);
  /// Timing parameters for the next requests (set between simulation runs).
  void configure(const ArchConfig& arch) { arch_ = arch; }
  DramMemory& memory() { return memory_; }
  /// The first request that touched bytes no buffer region held, if any.
  const std::string& error() const { return error_; }
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }
  void trace(sc_core::sc_trace_file* tf) {
    sc_core::sc_trace(tf, busy_, "dram.busy");
    sc_core::sc_trace(tf, transfer_bytes_, "dram.transfer_bytes");
  }

 private:
  void serve();
  void land();  ///< finishes each read once its latency has passed
  void finish(DramRequest* r);
  /// Copies a read's bytes into, or a write's bytes out of, their regions.
  void move_bytes(DramRequest* r);
  /// Cycles a transfer of `bytes` keeps the channel busy, counted by moving them.
  uint64_t cycles_to_move(uint64_t bytes) const;
  ArchConfig arch_;
  DramMemory memory_;
  std::string error_;
  sc_core::sc_fifo<DramRequest*> landing_{"landing", 64};
  uint64_t bytes_read_ = 0, bytes_written_ = 0;
  bool busy_ = false;                 ///< traced: a transfer is on the channel
  sc_dt::uint64 transfer_bytes_ = 0;  ///< traced: its size
};

}  // namespace bitsys
