// Bytes held in an SRAM region, each run of them tagged with the DRAM address it came from (or
// goes to), so units read operands by their DRAM address through a small directory — as an
// address generator in front of a scratchpad would. A read outside what the region holds is a
// model error, not a zero: a plan that loaded the wrong slice fails loudly.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/plan/memory_map.h"

namespace bitsys {

class Region {
 public:
  /// Lays out the covering bytes of `spans` back to back in address order; contents undefined
  /// until written.
  void assign(std::vector<Span> spans);
  void clear();
  /// The byte run holding DRAM bytes [addr, addr + n), or nullptr.
  uint8_t* find(uint64_t addr, uint64_t n);
  /// The `width`-bit field at DRAM bit `bit` (sim/values/codec.h layout); false when not held.
  bool read_field(uint64_t bit, int width, uint32_t& code);
  bool write_field(uint64_t bit, int width, uint32_t code);
  uint64_t bytes() const { return data_.size(); }
  struct Run {
    uint64_t byte0, byte_end, offset;
  };
  const std::vector<Run>& runs() const { return runs_; }
  uint8_t* data() { return data_.data(); }
  std::string describe() const;  ///< "3 runs, DRAM 0x100..0x180" for error messages

 private:
  std::vector<Run> runs_;
  std::vector<uint8_t> data_;
  size_t last_ = 0;  ///< the run the previous lookup hit
};

}  // namespace bitsys
