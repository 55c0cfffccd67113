#include "models/memory/dram_channel.h"

namespace bitsys {

DramChannel::DramChannel(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(DramChannel);
  SC_THREAD(serve);
}

void DramChannel::serve() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    DramRequest* r = requests.read();  // waits while idle: a transfer starts when issued or when the last ends
    const uint64_t busy = arch_.transfer_cycles(r->bytes);
    busy_ = true;
    transfer_bytes_ = r->bytes;
    if (busy) wait(static_cast<double>(busy) * cycle);
    busy_ = false;
    (r->read ? bytes_read_ : bytes_written_) += r->bytes;
    const uint64_t latency = r->read && !arch_.dram_unlimited ? static_cast<uint64_t>(arch_.dram_latency_cycles) : 0;
    r->usable_at = sc_core::sc_time_stamp() + static_cast<double>(latency) * cycle;
    r->served = true;
    r->served_event.notify();
  }
}

}  // namespace bitsys
