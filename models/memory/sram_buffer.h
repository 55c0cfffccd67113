// One double-buffered SRAM (ifmap, filter or ofmap) as the SystemC system sees it: a capacity
// taken from the configuration, an op-lifetime region for resident tensors and partial sums,
// and two halves that tiles take turns to fill. It tracks which tile holds each half and how
// many bytes every region holds, and refuses — as a model error — data landing in a half that a
// tile still uses, or more bytes than the buffer has. It checks the tile plan against the
// hardware rather than trusting it: a plan that ignored the halves, or a controller that freed a
// half one tile early, fails here. It holds byte counts, not byte values (README "Memory system").
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include <systemc>

namespace bitsys {

class SramBuffer : public sc_core::sc_module {
 public:
  explicit SramBuffer(sc_core::sc_module_name name);
  /// Empties the buffer and sets its capacity (bytes, both halves and the resident region).
  void configure(uint64_t capacity_bytes);

  /// Tile `tile`'s data (`bytes`) lands in half tile % 2. Fails when another tile still holds it.
  void fill_half(uint64_t tile, uint64_t bytes);
  /// Tile `tile` gives its half back (no-op when it holds none).
  void release_half(uint64_t tile);
  /// Op `op`'s resident region grows to `bytes` (resident tensors, the partial-sum slab).
  void hold_resident(uint64_t op, uint64_t bytes);
  void release_resident(uint64_t op);

  /// The first inconsistency seen, empty if none.
  const std::string& error() const { return error_; }
  uint64_t peak() const { return peak_; }
  void trace(sc_core::sc_trace_file* tf);

 private:
  void check(const std::string& what);
  void fail(const std::string& why);
  uint64_t capacity_ = 0;
  struct Half {
    int64_t tile = -1;  ///< holder, -1 when free
    uint64_t bytes = 0;
  } half_[2];
  std::map<uint64_t, uint64_t> resident_;  ///< op -> bytes
  uint64_t resident_total_ = 0;
  sc_dt::uint64 used_ = 0;  ///< traced: bytes held
  uint64_t peak_ = 0;
  std::string error_;
};

}  // namespace bitsys
