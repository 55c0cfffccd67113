#include "models/memory/sram_buffer.h"

#include <algorithm>

#include "models/memory/bandwidth.h"

namespace bitsys {

SramBuffer::SramBuffer(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(SramBuffer);
  SC_THREAD(serve_ports);
}

void SramBuffer::serve_ports() {
  const sc_core::sc_time cycle(1, sc_core::SC_NS);
  for (;;) {
    PortJob* j = ports_.read();
    if (port_units_) {
      const uint64_t cycles = std::max(cycles_moving(port_units_, j->read), cycles_moving(port_units_, j->write));
      if (cycles) wait(static_cast<double>(cycles) * cycle);
    }
    j->done = true;
    j->done_event.notify();
  }
}

void SramBuffer::configure(uint64_t capacity_bytes) {
  capacity_ = capacity_bytes;
  slot_[0] = slot_[1] = Slot{};
  resident_.clear();
  resident_total_ = 0;
  used_ = 0;
  error_.clear();
}

void SramBuffer::fail(const std::string& why) {
  if (error_.empty()) error_ = std::string(name()) + ": " + why;
}

void SramBuffer::check(const std::string& what) {
  used_ = resident_total_ + slot_[0].bytes + slot_[1].bytes;
  if (used_ > capacity_)
    fail(what + " needs " + std::to_string(used_) + " B held at once (resident " + std::to_string(resident_total_) +
         ", halves " + std::to_string(slot_[0].bytes) + " + " + std::to_string(slot_[1].bytes) + "), more than its " +
         std::to_string(capacity_) + " B");
}

Region& SramBuffer::fill_slot(uint64_t holder, uint64_t bytes, const char* holder_kind) {
  Slot& s = slot_[holder % 2];
  const std::string who = std::string(holder_kind) + " " + std::to_string(holder);
  if (s.holder >= 0 && static_cast<uint64_t>(s.holder) != holder)
    fail(who + "'s data landed in half " + std::to_string(holder % 2) + " while " + holder_kind + " " +
         std::to_string(s.holder) + " still uses it");
  s.holder = static_cast<int64_t>(holder);
  s.bytes = bytes;
  check(who + "'s data");
  return s.region;
}

void SramBuffer::release_slot(uint64_t holder) {
  Slot& s = slot_[holder % 2];
  if (s.holder != static_cast<int64_t>(holder)) return;
  s.holder = -1;
  s.bytes = 0;
  s.region.clear();
  used_ = resident_total_ + slot_[0].bytes + slot_[1].bytes;
}

Region& SramBuffer::hold_resident(const std::string& key, uint64_t bytes) {
  Resident& r = resident_[key];
  if (bytes > r.bytes) {
    resident_total_ += bytes - r.bytes;
    r.bytes = bytes;
    check("the resident data of " + key);
  }
  return r.region;
}

void SramBuffer::release_resident(const std::string& key) {
  auto it = resident_.find(key);
  if (it == resident_.end()) return;
  resident_total_ -= it->second.bytes;
  resident_.erase(it);
  used_ = resident_total_ + slot_[0].bytes + slot_[1].bytes;
}

Region* SramBuffer::resident(const std::string& key) {
  auto it = resident_.find(key);
  return it == resident_.end() ? nullptr : &it->second.region;
}

void SramBuffer::trace(sc_core::sc_trace_file* tf) {
  sc_core::sc_trace(tf, used_, std::string(name()) + ".bytes_held");
}

}  // namespace bitsys
