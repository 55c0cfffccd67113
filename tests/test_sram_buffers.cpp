// The SystemC buffers check what the tile plan asks of them against their configured capacity:
// tiles replayed by the controller must fit the buffer with the other half and the resident
// region in use, and data must never land in a half another tile still holds. Plans written by
// hand here, so the check is tested apart from the planner it guards.
#include <gtest/gtest.h>

#include "models/system/systemc_engine.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {
namespace {

ArchConfig one_kib_ifmap() {
  ArchConfig a;
  a.pe = find_pe_kind("int8");
  a.ifmap_kib = 1;  // 1024 B: two halves of 512 B
  a.dram_bytes_per_cycle = 100;
  a.dram_latency_cycles = 3;
  a.vector_lanes = 4;
  return a;
}

/// Vector tiles that each load `fill` bytes into their ifmap half, holding `resident` bytes too.
/// Each runs 1000 element operations on 4 lanes, 250 cycles: long enough that the next tile's
/// load (600 B at 100 B/cycle + 3 cycles latency = 9 cycles at most) lands while it runs.
std::vector<Tile> vector_tiles(int n, uint64_t fill, uint64_t resident = 0) {
  std::vector<Tile> tiles(n);
  for (auto& t : tiles) {
    t.unit = Unit::Vector;
    t.fold_start = t.fold_end = true;
    t.work = 1000;
    t.dram_read[kIfmap] = fill;
    t.fill[kIfmap] = fill;
    t.resident[kIfmap] = resident;
  }
  return tiles;
}

std::string run(const ArchConfig& arch, const std::vector<Tile>& tiles) {
  ControllerJob job;
  job.tiles = &tiles;
  try {
    SystemCEngine::instance().run(arch, job);
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(SramBuffers, TilesThatFitTheirHalvesRun) {
  // 3 tiles of 500 B: tile 1 lands while tile 0 runs (500 + 500 = 1000 <= 1024 B); tile 2 loads
  // into half 0 once tile 0 has ended.
  EXPECT_EQ(run(one_kib_ifmap(), vector_tiles(3, 500)), "");
}

TEST(SramBuffers, APlanThatIgnoresTheHalvesIsRefused) {
  // 600 B per tile fits the 1024 B buffer alone, but tile 1 lands (cycle 15) while tile 0 runs
  // (cycles 9..259): 1200 B at once.
  const std::string e = run(one_kib_ifmap(), vector_tiles(2, 600));
  EXPECT_NE(e.find("ifmap_buffer: tile 1's data needs 1200 B held at once"), std::string::npos) << e;
  EXPECT_NE(e.find("more than its 1024 B"), std::string::npos) << e;
}

TEST(SramBuffers, TheResidentRegionCountsAgainstTheCapacity) {
  // 600 B resident + 300 B in half 0 + 300 B in half 1 = 1200 B > 1024 B; with 200 B halves,
  // 600 + 200 + 200 = 1000 B fits.
  EXPECT_NE(run(one_kib_ifmap(), vector_tiles(2, 300, 600)).find("1200 B held at once"), std::string::npos);
  EXPECT_EQ(run(one_kib_ifmap(), vector_tiles(2, 200, 600)), "");
}

}  // namespace
}  // namespace bitsys
