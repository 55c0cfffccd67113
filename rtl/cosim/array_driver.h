// Drives a Verilated bitsys_systolic_array through every fold of a GEMM, in the order the
// SystemC array runs them, and collects its outputs. The driver is the fold controller; when a
// fold's results are valid comes from the RTL (result_valid, last_done), not from a formula.
#pragma once
#include <cstdint>
#include <vector>

#include <algorithm>

#include "rtl/cosim/pe_model.h"
#include "sim/ir/dataflow.h"
#include "sim/pe/operand_encoding.h"

namespace bitsys {

namespace rtl_port {
// Verilator gives ports up to 64 bits as integers and wider ones as VlWide arrays of 32-bit words.
/// Operand word i (144 bits, rtl/pe_ports.vh) of a port carrying several.
template <class W>
void put_operand(W& port, int i, const bitsys_rtl::Operand& o) {
  // 144 = 4.5 words: operand i starts at bit 144 i, on a word boundary when i is even.
  const int lsb = 144 * i;
  auto put_bits = [&](int at, int width, uint64_t v) {
    for (int b = 0; b < width;) {
      const int bit = at + b, word = bit / 32, off = bit % 32, take = std::min(32 - off, width - b);
      const uint32_t mask = take == 32 ? 0xFFFFFFFFu : ((1u << take) - 1);
      port[word] = (port[word] & ~(mask << off)) | ((static_cast<uint32_t>(v >> b) & mask) << off);
      b += take;
    }
  };
  put_bits(lsb, 64, o.w);
  put_bits(lsb + 64, 64, o.s);
  put_bits(lsb + 128, 16, o.c);
}
/// Column c's accumulator (kAccBits wide), sign-extended.
template <class W>
int64_t get_acc(const W& port, int c) {
  static_assert(bitsys_rtl::kAccBits == 32, "one 32-bit word per column");
  return bitsys_rtl::wrap_acc(port[c]);
}
inline int64_t get_acc(const uint64_t& port, int c) {  // arrays of one or two columns
  return bitsys_rtl::wrap_acc(port >> (bitsys_rtl::kAccBits * c));
}
inline int64_t get_acc(const uint32_t& port, int) {
  return bitsys_rtl::wrap_acc(port);
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
        r.cycles += df == Dataflow::OS ? fold_os(g, r0, c0, out) : fold_stationary(df, g, r0, c0, out);
        ++r.folds;
      }
    return r;
  }

 private:
  void reset() {
    t_.active_rows = static_cast<uint8_t>(R_);
    t_.active_cols = static_cast<uint8_t>(C_);
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
  void set_h(int r, const bitsys_rtl::Operand& o) { rtl_port::put_operand(t_.h_left, r, o); }
  void set_v(int c, const bitsys_rtl::Operand& o) { rtl_port::put_operand(t_.v_top, c, o); }
  void set_a(int r, uint64_t v) { set_h(r, operand_of(v)); }
  void set_w(int c, const Beat& b) { set_v(c, operand_of(b)); }
  int64_t result(int c) const { return rtl_port::get_acc(t_.result, c); }

  uint64_t fold_os(const BeatGemm& g, int64_t m0, int64_t n0, std::vector<int64_t>& out) {
    uint64_t cycles = 0;
    t_.df = 0;
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

  // WS: weight beats preload from the top, activations of one output row stream from the left;
  // IS: activation words preload from the top, weight beats of one output column stream.
  uint64_t fold_stationary(Dataflow df, const BeatGemm& g, int64_t k0, int64_t c0, std::vector<int64_t>& out) {
    const bool ws = df == Dataflow::WS;
    uint64_t cycles = 0;
    t_.df = ws ? 1 : 2;
    t_.drain = 0;
    t_.last_in = 0;
    t_.valid_in = 0;
    t_.load = 1;
    const int64_t span = ws ? g.N : g.M;  // what the columns index
    for (int p = 0; p < R_; ++p) {        // deepest row's operands first
      const int64_t k = k0 + R_ - 1 - p;
      for (int c = 0; c < C_; ++c) {
        const bool live = k < g.Kb && c0 + c < span;
        set_v(c, !live ? bitsys_rtl::Operand{}
                 : ws  ? operand_of(g.W[k * g.N + c0 + c])
                       : operand_of(g.A[(c0 + c) * g.Kb + k]));
      }
      tick();
      ++cycles;
    }
    t_.load = 0;
    for (int c = 0; c < C_; ++c) set_v(c, bitsys_rtl::Operand{});
    const int64_t T = ws ? g.M : g.N;  // the streamed dimension
    int64_t done = 0;
    for (int64_t t = 0; done < T; ++t) {
      for (int r = 0; r < R_; ++r) {
        const int64_t k = k0 + r;
        const bool live = t < T && k < g.Kb;
        set_h(r, !live ? bitsys_rtl::Operand{} : ws ? operand_of(g.A[t * g.Kb + k]) : operand_of(g.W[k * g.N + t]));
      }
      t_.valid_in = t < T;
      tick();
      ++cycles;
      if (t_.result_valid) {
        for (int c = 0; c < C_; ++c)
          if (c0 + c < span) (ws ? out[done * g.N + c0 + c] : out[(c0 + c) * g.N + done]) += result(c);
        ++done;
      }
    }
    t_.valid_in = 0;
    return cycles;
  }

  V& t_;
  const int R_, C_;
};

}  // namespace bitsys
