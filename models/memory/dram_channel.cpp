#include "models/memory/dram_channel.h"

#include "models/memory/bandwidth.h"

namespace bitsys {

DramChannel::DramChannel(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(DramChannel);
  SC_THREAD(serve);
  SC_THREAD(land);
}

void DramChannel::land() {
  for (;;) {
    DramRequest* r = landing_.read();  // reads in issue order, so in order of usable_at
    if (sc_core::sc_time_stamp() < r->usable_at) wait(r->usable_at - sc_core::sc_time_stamp());
    finish(r);
  }
}

void DramChannel::move_bytes(DramRequest* r) {
  std::vector<uint8_t> buf;
  for (auto& m : r->moves) {
    Region* region = m.target();
    if (r->read) region->assign(m.spans);
    for (const Span& s : m.spans) {
      uint8_t* at = region->find(s.byte0(), s.bytes());
      if (!at) {
        if (error_.empty())
          error_ = "a DRAM transfer's bytes are not in its buffer region (" + region->describe() + ")";
        continue;
      }
      if (r->read) {
        memory_.read(s.byte0(), s.bytes(), at);
      } else {  // whole bytes, but only this span's bits of a byte it shares
        memory_.write(s.byte0(), s.bytes(), at, s.first_mask(), s.last_mask());
      }
    }
  }
}

void DramChannel::finish(DramRequest* r) {
  move_bytes(r);
  if (r->landed) r->landed();
  r->done = true;
  r->done_event.notify();
}

uint64_t DramChannel::cycles_to_move(uint64_t bytes) const {
  return arch_.dram_unlimited ? 0 : cycles_moving(arch_.dram_bandwidth_units(), bytes);
}

void DramChannel::serve() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    DramRequest* r = requests.read();  // waits while idle: a transfer starts when issued or when the last ends
    r->bytes = 0;
    for (const auto& m : r->moves)
      for (const Span& s : m.spans) r->bytes += s.bytes();
    const uint64_t busy = cycles_to_move(r->bytes);
    busy_ = true;
    transfer_bytes_ = r->bytes;
    if (busy) wait(static_cast<double>(busy) * cycle);
    busy_ = false;
    (r->read ? bytes_read_ : bytes_written_) += r->bytes;
    const uint64_t latency = r->read && !arch_.dram_unlimited ? static_cast<uint64_t>(arch_.dram_latency_cycles) : 0;
    r->usable_at = sc_core::sc_time_stamp() + static_cast<double>(latency) * cycle;
    if (r->usable_at == sc_core::sc_time_stamp())
      finish(r);
    else
      landing_.write(r);
  }
}

}  // namespace bitsys
