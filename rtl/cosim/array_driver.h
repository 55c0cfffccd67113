// Drives a Verilated bitsys_systolic_array through every fold of a GEMM, in the order the
// SystemC array runs them, and collects its outputs. The driver is the fold controller; when a
// fold's results are valid comes from the RTL (result_valid, last_done), not from a formula.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/ir/dataflow.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

namespace rtl_port {
// Verilator gives ports up to 64 bits as integers and wider ones as VlWide word arrays.
template <class W>
void put(W& port, int lsb, int width, uint64_t v) {
  for (int b = 0; b < width; b += 32) {
    const int word = (lsb + b) / 32, take = width - b < 32 ? width - b : 32;
    const uint32_t mask = take == 32 ? 0xFFFFFFFFu : ((1u << take) - 1);
    port[word] =
        (port[word] & ~(mask << ((lsb + b) % 32))) | ((static_cast<uint32_t>(v >> b) & mask) << ((lsb + b) % 32));
  }
}
inline void put(uint64_t& port, int lsb, int width, uint64_t v) {
  const uint64_t mask = width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
  port = (port & ~(mask << lsb)) | ((v & mask) << lsb);
}
inline void put(uint32_t& port, int lsb, int width, uint64_t v) {
  uint64_t p = port;
  put(p, lsb, width, v);
  port = static_cast<uint32_t>(p);
}
inline void put(uint16_t& port, int lsb, int width, uint64_t v) {
  uint64_t p = port;
  put(p, lsb, width, v);
  port = static_cast<uint16_t>(p);
}
template <class W>
uint64_t get64(const W& port, int lsb) {
  return static_cast<uint64_t>(port[lsb / 32]) | (static_cast<uint64_t>(port[lsb / 32 + 1]) << 32);
}
inline uint64_t get64(const uint64_t& port, int) {
  return port;
}
}  // namespace rtl_port

struct RtlArrayRun {
  uint64_t cycles = 0, folds = 0;
};

template <class V>
class ArrayDriver {
 public:
  ArrayDriver(V& top, int rows, int cols) : t_(top), R_(rows), C_(cols) { reset(); }

  RtlArrayRun run(Dataflow df, const BeatGemm& g, std::vector<int64_t>& out) {
    out.assign(static_cast<size_t>(g.M * g.N), 0);
    RtlArrayRun r;
    const FoldSpace s = dataflow_info(df).map(g.M, g.Kb, g.N);
    for (int64_t r0 = 0; r0 < s.Sr; r0 += R_)
      for (int64_t c0 = 0; c0 < s.Sc; c0 += C_) {
        r.cycles += df == Dataflow::OS ? fold_os(g, r0, c0, out) : fold_ws(g, r0, c0, out);
        ++r.folds;
      }
    return r;
  }

 private:
  void reset() {
    t_.rst = 1;
    t_.en = 1;
    tick();
    t_.rst = 0;
  }
  void tick() {
    t_.clk = 0;
    t_.eval();
    t_.clk = 1;
    t_.eval();
  }
  void set_a(int r, uint64_t v) { rtl_port::put(t_.a_left, 64 * r, 64, v); }
  void set_w(int c, const Beat& b) {
    rtl_port::put(t_.wb_top, 64 * c, 64, b.bits);
    rtl_port::put(t_.wx_top, 64 * c, 64, static_cast<uint64_t>(b.aux));
    rtl_port::put(t_.wm_top, 32 * c, 32, static_cast<uint32_t>(b.mult));
    rtl_port::put(t_.wc_top, 16 * c, 16, static_cast<uint16_t>(b.bias));
  }
  int64_t result(int c) const { return static_cast<int64_t>(rtl_port::get64(t_.result, 64 * c)); }

  uint64_t fold_os(const BeatGemm& g, int64_t m0, int64_t n0, std::vector<int64_t>& out) {
    uint64_t cycles = 0;
    t_.os = 1;
    t_.load = 0;
    t_.drain = 0;
    t_.valid_in = 0;
    for (int64_t t = 0;; ++t) {
      const bool live = t < g.Kb;
      for (int r = 0; r < R_; ++r) set_a(r, live && m0 + r < g.M ? g.A[(m0 + r) * g.Kb + t] : 0);
      for (int c = 0; c < C_; ++c) set_w(c, live && n0 + c < g.N ? g.W[t * g.N + n0 + c] : Beat{});
      t_.last_in = t == g.Kb - 1;
      tick();
      ++cycles;
      if (t_.last_done) break;
    }
    t_.last_in = 0;
    for (int r = 0; r < R_; ++r) set_a(r, 0);
    for (int c = 0; c < C_; ++c) set_w(c, Beat{});
    t_.drain = 1;
    for (int d = 0; d < R_; ++d) {  // the bottom row leaves first
      t_.eval();
      const int64_t m = m0 + (R_ - 1 - d);
      for (int c = 0; c < C_; ++c)
        if (m < g.M && n0 + c < g.N) out[m * g.N + n0 + c] = result(c);
      tick();
      ++cycles;
    }
    t_.drain = 0;
    return cycles;
  }

  uint64_t fold_ws(const BeatGemm& g, int64_t k0, int64_t n0, std::vector<int64_t>& out) {
    uint64_t cycles = 0;
    t_.os = 0;
    t_.drain = 0;
    t_.last_in = 0;
    t_.valid_in = 0;
    t_.load = 1;
    for (int p = 0; p < R_; ++p) {  // deepest row's beats first
      const int64_t k = k0 + R_ - 1 - p;
      for (int c = 0; c < C_; ++c) set_w(c, k < g.Kb && n0 + c < g.N ? g.W[k * g.N + n0 + c] : Beat{});
      tick();
      ++cycles;
    }
    t_.load = 0;
    for (int c = 0; c < C_; ++c) set_w(c, Beat{});
    int64_t rows_out = 0;
    for (int64_t m = 0; rows_out < g.M; ++m) {
      for (int r = 0; r < R_; ++r) set_a(r, m < g.M && k0 + r < g.Kb ? g.A[m * g.Kb + k0 + r] : 0);
      t_.valid_in = m < g.M;
      tick();
      ++cycles;
      if (t_.result_valid) {
        for (int c = 0; c < C_; ++c)
          if (n0 + c < g.N) out[rows_out * g.N + n0 + c] += result(c);
        ++rows_out;
      }
    }
    t_.valid_in = 0;
    return cycles;
  }

  V& t_;
  const int R_, C_;
};

}  // namespace bitsys
