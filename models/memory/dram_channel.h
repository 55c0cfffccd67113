// One DRAM channel: serves requests one at a time in issue order, moving `bandwidth` bytes each
// cycle (counted in 2^-20-byte units, so fractional bandwidths accumulate exactly) until the
// request's bytes have crossed; a read's data is usable `latency` cycles after its transfer.
#pragma once
#include <cstdint>
#include <functional>

#include <systemc>

#include "sim/ir/arch_config.h"

namespace bitsys {

struct DramRequest {
  uint64_t bytes = 0;
  bool read = true;
  /// Called at `usable_at`: a read's bytes have landed in their buffer, a write's have left it.
  std::function<void()> landed;
  // Set by the channel when the transfer is over.
  bool served = false;
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
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }
  void trace(sc_core::sc_trace_file* tf) {
    sc_core::sc_trace(tf, busy_, "dram.busy");
    sc_core::sc_trace(tf, transfer_bytes_, "dram.transfer_bytes");
  }

 private:
  void serve();
  void land();  ///< finishes each read once its latency has passed
  static void finish(DramRequest* r);
  /// Cycles a transfer of `bytes` keeps the channel busy, counted by moving them.
  uint64_t cycles_to_move(uint64_t bytes) const;
  ArchConfig arch_;
  sc_core::sc_fifo<DramRequest*> landing_{"landing", 64};
  uint64_t bytes_read_ = 0, bytes_written_ = 0;
  bool busy_ = false;                 ///< traced: a transfer is on the channel
  sc_dt::uint64 transfer_bytes_ = 0;  ///< traced: its size
};

}  // namespace bitsys
