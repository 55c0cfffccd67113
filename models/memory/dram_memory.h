// DRAM contents: bytes by address, allocated in pages as they are first written (a network's
// tensors may span gigabytes of address space that a run never touches).
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace bitsys {

class DramMemory {
 public:
  void clear() { pages_.clear(); }
  void read(uint64_t addr, uint64_t n, uint8_t* out) const;
  /// Writes n bytes; the first and last byte only where `first_mask` / `last_mask` have bits set
  /// (a transfer covering part of a byte leaves its other bits alone).
  void write(uint64_t addr, uint64_t n, const uint8_t* in, uint8_t first_mask = 0xFF, uint8_t last_mask = 0xFF);

 private:
  static constexpr uint64_t kPage = 1 << 16;
  uint8_t* page(uint64_t index);
  std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
};

}  // namespace bitsys
