#include "models/memory/dram_memory.h"

#include <algorithm>
#include <cstring>

namespace bitsys {

uint8_t* DramMemory::page(uint64_t index) {
  auto& p = pages_[index];
  if (!p) {
    p = std::make_unique<uint8_t[]>(kPage);
    std::memset(p.get(), 0, kPage);
  }
  return p.get();
}

void DramMemory::read(uint64_t addr, uint64_t n, uint8_t* out) const {
  while (n) {
    const uint64_t off = addr % kPage, take = std::min(n, kPage - off);
    auto it = pages_.find(addr / kPage);
    if (it == pages_.end())
      std::memset(out, 0, take);
    else
      std::memcpy(out, it->second.get() + off, take);
    addr += take;
    out += take;
    n -= take;
  }
}

void DramMemory::write(uint64_t addr, uint64_t n, const uint8_t* in, uint8_t first_mask, uint8_t last_mask) {
  if (n == 0) return;
  uint8_t old_first, old_last;
  read(addr, 1, &old_first);
  read(addr + n - 1, 1, &old_last);
  for (uint64_t i = 0; i < n;) {
    const uint64_t a = addr + i, off = a % kPage, take = std::min(n - i, kPage - off);
    std::memcpy(page(a / kPage) + off, in + i, take);
    i += take;
  }
  if (n == 1) first_mask = last_mask = static_cast<uint8_t>(first_mask & last_mask);
  uint8_t* first = page(addr / kPage) + addr % kPage;
  *first = static_cast<uint8_t>((old_first & ~first_mask) | (in[0] & first_mask));
  if (n > 1) {
    uint8_t* last = page((addr + n - 1) / kPage) + (addr + n - 1) % kPage;
    *last = static_cast<uint8_t>((old_last & ~last_mask) | (in[n - 1] & last_mask));
  }
}

}  // namespace bitsys
