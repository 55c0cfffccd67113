#include "models/memory/dram_channel.h"

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
        const int tail = static_cast<int>((s.bit + s.bits) % 8);
        memory_.write(s.byte0(), s.bytes(), at, static_cast<uint8_t>(0xFF << (s.bit % 8)),
                      tail ? static_cast<uint8_t>(0xFF >> (8 - tail)) : 0xFF);
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
  if (arch_.dram_unlimited) return 0;
  using u128 = unsigned __int128;
  const u128 owed = static_cast<u128>(bytes) << ArchConfig::kBandwidthFractionBits;
  const u128 per_cycle = arch_.dram_bandwidth_units();
  // Cycle by cycle, each moving `per_cycle` units; runs of 4096 cycles at a time while more than
  // that many remain, so a slow channel moving megabytes costs little host time.
  const u128 per_run = per_cycle << 12;
  u128 moved = 0;
  uint64_t cycles = 0;
  while (owed - moved > per_run) moved += per_run, cycles += 4096;
  while (moved < owed) moved += per_cycle, ++cycles;
  return cycles;
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
    r->served = true;
    if (r->usable_at == sc_core::sc_time_stamp())
      finish(r);
    else
      landing_.write(r);
  }
}

}  // namespace bitsys
