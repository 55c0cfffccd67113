#include "models/memory/sram_buffer.h"

#include <algorithm>

namespace bitsys {

SramBuffer::SramBuffer(sc_core::sc_module_name name) : sc_core::sc_module(name) {}

void SramBuffer::configure(uint64_t capacity_bytes) {
  capacity_ = capacity_bytes;
  half_[0] = half_[1] = Half{};
  resident_.clear();
  resident_total_ = 0;
  used_ = 0;
  peak_ = 0;
  error_.clear();
}

void SramBuffer::fail(const std::string& why) {
  if (error_.empty()) error_ = std::string(name()) + ": " + why;
}

void SramBuffer::check(const std::string& what) {
  used_ = resident_total_ + half_[0].bytes + half_[1].bytes;
  peak_ = std::max<uint64_t>(peak_, used_);
  if (used_ > capacity_)
    fail(what + " needs " + std::to_string(used_) + " B held at once (resident " + std::to_string(resident_total_) +
         ", halves " + std::to_string(half_[0].bytes) + " + " + std::to_string(half_[1].bytes) + "), more than its " +
         std::to_string(capacity_) + " B");
}

void SramBuffer::fill_half(uint64_t tile, uint64_t bytes) {
  Half& h = half_[tile % 2];
  if (h.tile >= 0 && static_cast<uint64_t>(h.tile) != tile)
    fail("tile " + std::to_string(tile) + "'s data landed in half " + std::to_string(tile % 2) + " while tile " +
         std::to_string(h.tile) + " still uses it");
  h.tile = static_cast<int64_t>(tile);
  h.bytes = bytes;
  check("tile " + std::to_string(tile) + "'s data");
}

void SramBuffer::release_half(uint64_t tile) {
  Half& h = half_[tile % 2];
  if (h.tile != static_cast<int64_t>(tile)) return;
  h = Half{};
  used_ = resident_total_ + half_[0].bytes + half_[1].bytes;
}

void SramBuffer::hold_resident(uint64_t op, uint64_t bytes) {
  uint64_t& r = resident_[op];
  if (bytes <= r) return;
  resident_total_ += bytes - r;
  r = bytes;
  check("the resident data of op " + std::to_string(op));
}

void SramBuffer::release_resident(uint64_t op) {
  auto it = resident_.find(op);
  if (it == resident_.end()) return;
  resident_total_ -= it->second;
  resident_.erase(it);
  used_ = resident_total_ + half_[0].bytes + half_[1].bytes;
}

void SramBuffer::trace(sc_core::sc_trace_file* tf) {
  sc_core::sc_trace(tf, used_, std::string(name()) + ".bytes_held");
}

}  // namespace bitsys
