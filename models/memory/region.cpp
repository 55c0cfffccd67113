#include "models/memory/region.h"

#include <algorithm>
#include <cstdio>

#include "sim/values/codec.h"

namespace bitsys {

void Region::assign(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.bit < b.bit; });
  runs_.clear();
  uint64_t offset = 0;
  for (const Span& s : spans) {
    if (!runs_.empty() && s.byte0() < runs_.back().byte_end) {  // overlapping spans share bytes
      runs_.back().byte_end = std::max(runs_.back().byte_end, s.byte_end());
      offset = runs_.back().offset + (runs_.back().byte_end - runs_.back().byte0);
      continue;
    }
    runs_.push_back({s.byte0(), s.byte_end(), offset});
    offset += s.bytes();
  }
  data_.assign(offset, 0xA5);  // a recognisable pattern: never-loaded bytes are not zeros
  last_ = 0;
}

void Region::clear() {
  runs_.clear();
  data_.clear();
  last_ = 0;
}

uint8_t* Region::find(uint64_t addr, uint64_t n) {
  if (runs_.empty()) return nullptr;
  if (last_ >= runs_.size() || addr < runs_[last_].byte0 || addr + n > runs_[last_].byte_end) {
    auto it = std::upper_bound(runs_.begin(), runs_.end(), addr, [](uint64_t a, const Run& r) { return a < r.byte0; });
    if (it == runs_.begin()) return nullptr;
    last_ = static_cast<size_t>(it - runs_.begin()) - 1;
    if (addr + n > runs_[last_].byte_end) return nullptr;
  }
  const Run& r = runs_[last_];
  return data_.data() + r.offset + (addr - r.byte0);
}

bool Region::read_field(uint64_t bit, int width, uint32_t& code) {
  const uint8_t* at = find(bit / 8, (bit % 8 + static_cast<uint64_t>(width) + 7) / 8);
  if (at) code = get_bits(at, bit % 8, width);
  return at != nullptr;
}

bool Region::write_field(uint64_t bit, int width, uint32_t code) {
  uint8_t* at = find(bit / 8, (bit % 8 + static_cast<uint64_t>(width) + 7) / 8);
  if (at) put_bits(at, bit % 8, width, code);
  return at != nullptr;
}

std::string Region::describe() const {
  if (runs_.empty()) return "nothing";
  char b[96];
  std::snprintf(b, sizeof b, "%zu run(s), DRAM bytes 0x%llx..0x%llx", runs_.size(),
                static_cast<unsigned long long>(runs_.front().byte0),
                static_cast<unsigned long long>(runs_.back().byte_end));
  return b;
}

}  // namespace bitsys
