// How many cycles a port or channel of a given width spends moving some bytes, counted the way
// the hardware moves them: `per_cycle` units (2^-20 bytes) each cycle until the bytes have crossed.
#pragma once
#include <cstdint>

#include "sim/ir/arch_config.h"

namespace bitsys {

inline uint64_t cycles_moving(uint64_t per_cycle, uint64_t bytes) {
  using u128 = unsigned __int128;
  const u128 owed = static_cast<u128>(bytes) << ArchConfig::kBandwidthFractionBits;
  // Runs of 4096 cycles at a time while more than that many remain, so moving megabytes over a
  // narrow port costs little host time.
  const u128 per_run = static_cast<u128>(per_cycle) << 12;
  u128 moved = 0;
  uint64_t cycles = 0;
  while (owed - moved > per_run) moved += per_run, cycles += 4096;
  while (moved < owed) moved += per_cycle, ++cycles;
  return cycles;
}

}  // namespace bitsys
