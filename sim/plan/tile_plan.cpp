#include "sim/plan/tile_plan.h"

#include <algorithm>
#include <map>

#include "sim/io/input_error.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {

using u128 = unsigned __int128;
constexpr uint64_t kPsumBytes = 4;          // partial sums are 32-bit in the output buffer
constexpr uint64_t kMaxTiles = 50'000'000;  // ~3 s of analytic planning

uint64_t ceil_div(u128 a, u128 b) {
  return static_cast<uint64_t>((a + b - 1) / b);
}
/// ceil(total * part / whole): a slice's share of a tensor, rounded up to whole bytes.
uint64_t share(uint64_t total, uint64_t part, uint64_t whole) {
  return ceil_div(static_cast<u128>(total) * part, whole);
}
/// The i-th of n near-equal parts of x (the first x % n parts one larger).
uint64_t split(uint64_t x, uint64_t n, uint64_t i) {
  return x / n + (i < x % n ? 1 : 0);
}
uint64_t sat(u128 v) {
  return v > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(v);
}

class Planner {
 public:
  Planner(const ArchConfig& arch, const LoweredNetwork& net, const TileSink& sink, std::vector<OpMemoryPlan>* plans)
      : a_(arch),
        net_(net),
        sink_(sink),
        plans_(plans),
        hi_(arch.half_bytes(arch.ifmap_kib)),
        hf_(arch.half_bytes(arch.filter_kib)),
        ho_(arch.half_bytes(arch.ofmap_kib)) {}

  void run() {
    if (plans_) plans_->assign(net_.ops.size(), OpMemoryPlan{});
    for (size_t i = 0; i < net_.ops.size(); ++i)
      for (const auto& in : net_.ops[i].inputs) consumers_[in].push_back(i);
    std::string on_chip;  // tensor the previous op left in SRAM for this one
    for (size_t i = 0; i < net_.ops.size(); ++i) {
      const LoweredOp& op = net_.ops[i];
      if (op.placement != OpPlacement::Array && op.placement != OpPlacement::Vector) continue;
      op_ = static_cast<uint32_t>(i);
      cur_ = OpMemoryPlan{};
      cur_.input_on_chip =
          !on_chip.empty() && std::find(op.inputs.begin(), op.inputs.end(), on_chip) != op.inputs.end();
      on_chip_ = cur_.input_on_chip ? on_chip : std::string();
      cur_.output_on_chip = keeps_output(i);
      prev_hold_ = PerBuffer{};
      first_tile_ = true;
      if (op.placement == OpPlacement::Array)
        plan_gemm(op);
      else
        plan_vector(op);
      on_chip = cur_.output_on_chip ? op.emits : std::string();
      if (plans_) (*plans_)[i] = cur_;
    }
  }

 private:
  /// An op's output stays in SRAM when the next op to run is its only reader and it fits half
  /// of both the output buffer (where it is produced) and the input buffer (where it is read).
  bool keeps_output(size_t i) const {
    const LoweredOp& op = net_.ops[i];
    size_t next = i + 1;
    while (next < net_.ops.size() && net_.ops[next].placement == OpPlacement::Fused) ++next;
    if (next >= net_.ops.size()) return false;
    const LoweredOp& n = net_.ops[next];
    if (n.placement != OpPlacement::Array && n.placement != OpPlacement::Vector) return false;
    auto it = consumers_.find(op.emits);
    if (it == consumers_.end()) return false;
    for (size_t c : it->second)
      if (c != next) return false;
    const uint64_t bytes = tensor_bytes(op.elements, op.emit_precision.bits);
    return bytes <= hi_ && bytes <= ho_;
  }

  /// The models walk tiles one by one (~60 ns each analytically): refuse, before starting, a
  /// network that would take minutes rather than hang.
  void budget(u128 tiles) {
    tiles_ += tiles;
    if (tiles_ > kMaxTiles)
      fail_input(net_.file, "layer '" + net_.ops[op_].name + "'", "",
                 "the network needs more than " + std::to_string(kMaxTiles) +
                     " tiles, which would take minutes to simulate: shrink the layer or grow the array or buffers");
  }

  [[noreturn]] void never_fits(const char* field, const std::string& what) const {
    fail_input(a_.file, "layer '" + net_.ops[op_].name + "'", field, what + " (a tile that can never fit)");
  }

  void emit(Tile& t) {
    t.op = op_;
    t.resident = resident_;
    for (int b = 0; b < kOfmap; ++b) t.fill[b] = t.dram_read[b] - resident_load_[b];
    t.fill[kOfmap] = t.hold[kOfmap];
    resident_load_ = PerBuffer{};
    for (int b = 0; b < kBuffers; ++b) {
      cur_.peak[b] = std::max(cur_.peak[b], resident_[b] + prev_hold_[b] + t.hold[b]);
      t.sram_write[b] += t.dram_read[b];
    }
    prev_hold_ = t.hold;
    cur_.tiles++;
    cur_.folds += t.fold_start && t.unit == Unit::Array;
    first_tile_ = false;
    sink_(t);
  }

  // ---- GEMMs ---------------------------------------------------------------------------------
  struct Gemm {
    int64_t M, K, N, Kb, passes, L;
    int abits, wbits, obits;
    uint64_t in_group;       ///< unique input bytes of one group
    uint64_t in_all, w_all;  ///< whole input / weights, all groups
  };

  /// K elements covered by beats [b0, b1): whole lane chunks, the last one possibly partial.
  int64_t k_elems(const Gemm& g, int64_t b0, int64_t b1) const {
    const int64_t c0 = b0 / g.passes, c1 = (b1 - 1) / g.passes;
    return std::min(g.K, (c1 + 1) * g.L) - c0 * g.L;
  }

  uint64_t a_slice(const Gemm& g, int64_t rows, int64_t kel) const {
    return share(g.in_group, static_cast<uint64_t>(rows) * static_cast<uint64_t>(kel),
                 static_cast<uint64_t>(g.M) * static_cast<uint64_t>(g.K));
  }

  /// Largest count c (>= 0) of units with ceil(c * unit_num / unit_den) <= limit bytes.
  static int64_t fit(uint64_t limit, u128 unit_num, u128 unit_den, int64_t cap) {
    if (unit_num == 0) return cap;
    const u128 c = static_cast<u128>(limit) * unit_den / unit_num;
    return c >= static_cast<u128>(cap) ? cap : static_cast<int64_t>(c);
  }

  void plan_gemm(const LoweredOp& op) {
    const PeKind& kind = *a_.pe;
    Gemm g;
    g.M = op.gemm.M;
    g.K = op.gemm.K;
    g.N = op.gemm.N;
    g.L = a_.lanes;
    g.passes = kind.passes(op.act, op.weights);
    g.Kb = beats_for(kind, g.K, a_.lanes, op.act, op.weights);
    g.abits = op.act.bits;
    g.wbits = op.weights.storage_bits();
    g.obits = op.emit_precision.bits;
    const uint64_t in_elems =
        sat(static_cast<u128>(net_.batch) * static_cast<uint64_t>(op.in_shapes.front().elements()));
    g.in_all = tensor_bytes(in_elems, g.abits);
    g.in_group = tensor_bytes(in_elems / static_cast<uint64_t>(op.gemm.groups), g.abits);
    g.w_all = tensor_bytes(sat(static_cast<u128>(g.K) * g.N * op.gemm.groups), g.wbits);
    cur_.ifmap_resident = cur_.input_on_chip || g.in_all <= hi_;
    cur_.filter_resident = g.w_all <= hf_;
    resident_ = PerBuffer{};
    if (cur_.ifmap_resident) resident_[kIfmap] = g.in_all;
    if (cur_.filter_resident) resident_[kFilter] = g.w_all;
    for (int64_t grp = 0; grp < op.gemm.groups; ++grp) {
      switch (a_.dataflow) {
        case Dataflow::OS:
          plan_os(g, static_cast<uint32_t>(grp));
          break;
        case Dataflow::WS:
          plan_stationary(g, static_cast<uint32_t>(grp), true);
          break;
        case Dataflow::IS:
          plan_stationary(g, static_cast<uint32_t>(grp), false);
          break;
      }
    }
  }

  /// Whole-tensor loads of resident operands ride on the op's first tile.
  void resident_loads(Tile& t) {
    if (!first_tile_) return;
    if (cur_.ifmap_resident && !cur_.input_on_chip) resident_load_[kIfmap] = resident_[kIfmap];
    if (cur_.filter_resident) resident_load_[kFilter] = resident_[kFilter];
    for (int b = 0; b < kOfmap; ++b) t.dram_read[b] += resident_load_[b];
  }

  /// Final outputs of a tile: into the output buffer, then to DRAM unless kept on chip.
  void final_outputs(Tile& t, uint64_t bytes) {
    t.sram_write[kOfmap] += bytes;
    if (!cur_.output_on_chip) {
      t.dram_write += bytes;
      t.sram_read[kOfmap] += bytes;
    }
  }

  // OS, loop order: m-block, n-block; each fold streams K in chunks of q lane-chunks.
  void plan_os(const Gemm& g, uint32_t grp) {
    const int R = a_.rows, C = a_.cols;
    const int64_t nK = (g.K + g.L - 1) / g.L;
    int64_t q = nK;
    if (!cur_.ifmap_resident)
      q = std::min(q, fit(hi_, static_cast<u128>(g.in_group) * R * g.L, static_cast<u128>(g.M) * g.K, nK));
    if (!cur_.filter_resident) q = std::min(q, fit(hf_, static_cast<u128>(g.L) * C * g.wbits, 8, nK));
    const bool a_fits =
        cur_.ifmap_resident || fit(hi_, static_cast<u128>(g.in_group) * R * g.L, static_cast<u128>(g.M) * g.K, 1) > 0;
    if (q == 0)
      never_fits(a_fits ? "buffers.filter_kib" : "buffers.ifmap_kib", "one lane-chunk of K for " + std::to_string(R) +
                                                                          " rows and " + std::to_string(C) +
                                                                          " columns exceeds half a buffer");
    if (tensor_bytes(static_cast<uint64_t>(R) * C, g.obits) > ho_)
      never_fits("buffers.ofmap_kib",
                 "one fold's " + std::to_string(R) + "x" + std::to_string(C) + " outputs exceed half the ofmap buffer");
    cur_.chunk = q * g.passes;
    budget(static_cast<u128>(ceil_div(g.M, R)) * ceil_div(g.N, C) * ceil_div(nK, q));
    for (int64_t m0 = 0; m0 < g.M; m0 += R)
      for (int64_t n0 = 0; n0 < g.N; n0 += C) {
        const int64_t rows = std::min<int64_t>(R, g.M - m0), cols = std::min<int64_t>(C, g.N - n0);
        for (int64_t c0 = 0; c0 < nK; c0 += q) {
          const int64_t c1 = std::min(nK, c0 + q);
          const int64_t kel = std::min(g.K, c1 * g.L) - c0 * g.L;
          Tile t;
          t.group = grp;
          t.row0 = m0;
          t.col0 = n0;
          t.fold_start = c0 == 0;
          t.fold_end = c1 == nK;
          t.work = static_cast<uint64_t>((c1 - c0) * g.passes);
          const uint64_t a_bytes = a_slice(g, rows, kel);
          const uint64_t w_bytes = tensor_bytes(static_cast<uint64_t>(kel) * cols, g.wbits);
          t.dram_read[kIfmap] = cur_.ifmap_resident ? 0 : a_bytes;
          t.dram_read[kFilter] = cur_.filter_resident ? 0 : w_bytes;
          resident_loads(t);
          t.sram_read[kIfmap] = tensor_bytes(static_cast<uint64_t>(rows) * kel, g.abits);
          t.sram_read[kFilter] = w_bytes;
          t.hold[kIfmap] = cur_.ifmap_resident ? 0 : a_bytes;
          t.hold[kFilter] = cur_.filter_resident ? 0 : w_bytes;
          if (t.fold_end) {
            const uint64_t out = tensor_bytes(static_cast<uint64_t>(rows) * cols, g.obits);
            final_outputs(t, out);
            t.hold[kOfmap] = out;
          }
          emit(t);
        }
      }
  }

  // WS (ws = true): weight tiles stay, activation rows stream. IS (ws = false): activation
  // tiles stay, weight columns stream. Loop order: column block, then T-tile, then k-block:
  // a T-tile is as many streamed elements as leave their 32-bit partial sums for the column
  // block in half the ofmap buffer, so partial sums never leave the chip; each (T-tile,
  // k-block) is a fold, streamed in chunks that fit half the streaming buffer.
  void plan_stationary(const Gemm& g, uint32_t grp, bool ws) {
    const int R = a_.rows, C = a_.cols;
    const int64_t span = ws ? g.N : g.M;  // extent of the column dimension
    const int64_t T = ws ? g.M : g.N;     // streamed length
    const bool stream_resident = ws ? cur_.ifmap_resident : cur_.filter_resident;
    const bool stat_resident = ws ? cur_.filter_resident : cur_.ifmap_resident;
    const int sb = ws ? kIfmap : kFilter, tb = ws ? kFilter : kIfmap;  // streaming, stationary buffers
    {  // the whole layer's tiles, charged before emitting any: full-width column blocks and the first
       // (widest) k-block have the shortest T-tiles and chunks, so this is an upper estimate
      const int64_t cols = std::min<int64_t>(C, span), kel = k_elems(g, 0, std::min<int64_t>(g.Kb, R));
      const int64_t tt = g.Kb > R && a_.psum_policy == PsumPolicy::FitOfmap
                             ? std::max<int64_t>(1, fit(ho_, static_cast<u128>(cols) * kPsumBytes, 1, T))
                             : T;
      int64_t chunk = stream_resident ? tt
                      : ws            ? fit(hi_, static_cast<u128>(g.in_group) * kel, static_cast<u128>(g.M) * g.K, tt)
                                      : fit(hf_, static_cast<u128>(kel) * g.wbits, 8, tt);
      if (g.Kb <= R) chunk = std::min<int64_t>(chunk, fit(ho_, static_cast<u128>(cols) * g.obits, 8, tt));
      budget(static_cast<u128>(ceil_div(span, C)) * ceil_div(T, tt) * ceil_div(g.Kb, R) *
             ceil_div(tt, std::max<int64_t>(1, chunk)));
    }
    for (int64_t c0 = 0; c0 < span; c0 += C) {
      const int64_t cols = std::min<int64_t>(C, span - c0);
      // Partial sums only live across k-blocks; with one k-block results leave as they come.
      const int64_t tt =
          g.Kb > R && a_.psum_policy == PsumPolicy::FitOfmap ? fit(ho_, static_cast<u128>(cols) * kPsumBytes, 1, T) : T;
      if (tt == 0)
        never_fits("buffers.ofmap_kib", "one row of " + std::to_string(cols) +
                                            " 32-bit partial sums exceeds half the ofmap buffer (" +
                                            std::to_string(ho_) + " B)");
      cur_.chunk = std::max(cur_.chunk, tt);
      for (int64_t tt0 = 0; tt0 < T; tt0 += tt) {
        const int64_t tlen = std::min(tt, T - tt0);
        if (g.Kb > R && a_.psum_policy == PsumPolicy::FitOfmap)
          resident_[kOfmap] = std::max(resident_[kOfmap], static_cast<uint64_t>(tlen) * cols * kPsumBytes);
        for (int64_t k0 = 0; k0 < g.Kb; k0 += R) {
          const int64_t kel = k_elems(g, k0, std::min(g.Kb, k0 + R));
          const bool last_k = k0 + R >= g.Kb;
          uint64_t stat_bytes;
          if (ws) {
            stat_bytes = tensor_bytes(static_cast<uint64_t>(kel) * cols, g.wbits);
            if (!stat_resident && stat_bytes > hf_)
              never_fits("buffers.filter_kib", "a " + std::to_string(kel) + "x" + std::to_string(cols) +
                                                   " stationary weight tile (" + std::to_string(stat_bytes) +
                                                   " B) exceeds half the filter buffer (" + std::to_string(hf_) +
                                                   " B)");
          } else {
            stat_bytes = a_slice(g, cols, kel);
            if (!stat_resident && stat_bytes > hi_)
              never_fits("buffers.ifmap_kib", "a stationary activation tile (" + std::to_string(stat_bytes) +
                                                  " B) exceeds half the ifmap buffer (" + std::to_string(hi_) + " B)");
          }
          int64_t chunk = tlen;
          if (!stream_resident)
            chunk = ws ? fit(hi_, static_cast<u128>(g.in_group) * kel, static_cast<u128>(g.M) * g.K, tlen)
                       : fit(hf_, static_cast<u128>(kel) * g.wbits, 8, tlen);
          // With several k-blocks results wait in the partial-sum slab; with one they need room as they come.
          if (g.Kb <= R) chunk = std::min<int64_t>(chunk, fit(ho_, static_cast<u128>(cols) * g.obits, 8, tlen));
          if (chunk == 0)
            never_fits(ws ? "buffers.ifmap_kib" : "buffers.filter_kib",
                       "one streamed " + std::string(ws ? "activation row" : "weight column") + " of " +
                           std::to_string(kel) + " elements does not fit half the buffer");
          for (int64_t t0 = 0; t0 < tlen; t0 += chunk) {
            const int64_t n = std::min(chunk, tlen - t0);
            Tile t;
            t.group = grp;
            t.row0 = k0;
            t.col0 = c0;
            t.t0 = tt0;
            t.tlen = tlen;
            t.fold_start = t0 == 0;
            t.fold_end = t0 + n >= tlen;
            t.work = static_cast<uint64_t>(n);
            const uint64_t stream_bytes =
                ws ? a_slice(g, n, kel) : tensor_bytes(static_cast<uint64_t>(kel) * n, g.wbits);
            t.dram_read[sb] = stream_resident ? 0 : stream_bytes;
            if (t.fold_start && !stat_resident) t.dram_read[tb] = stat_bytes;
            resident_loads(t);
            t.sram_read[sb] = ws ? tensor_bytes(static_cast<uint64_t>(n) * kel, g.abits) : stream_bytes;
            if (t.fold_start)
              t.sram_read[tb] = ws ? stat_bytes : tensor_bytes(static_cast<uint64_t>(cols) * kel, g.abits);
            t.hold[sb] = stream_resident ? 0 : stream_bytes;
            t.hold[tb] = stat_resident ? 0 : stat_bytes;
            const uint64_t psums = static_cast<uint64_t>(n) * cols * kPsumBytes;
            if (k0 > 0) t.sram_read[kOfmap] += psums;  // partial sums this tile adds to
            if (last_k) {
              const uint64_t out = tensor_bytes(static_cast<uint64_t>(n) * cols, g.obits);
              final_outputs(t, out);
              t.hold[kOfmap] = out;
            } else {
              t.sram_write[kOfmap] += psums;
            }
            emit(t);
          }
        }
      }
    }
  }

  // ---- vector unit ---------------------------------------------------------------------------
  // Inputs stream through the ifmap buffer and outputs through the ofmap buffer, in as many
  // equal tiles as it takes for each tile to fit half of both.
  void plan_vector(const LoweredOp& op) {
    resident_ = PerBuffer{};
    uint64_t in_all = 0, in_dram = 0;
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      const uint64_t bytes =
          tensor_bytes(sat(static_cast<u128>(net_.batch) * static_cast<uint64_t>(op.in_shapes[k].elements())),
                       op.in_precisions[k].bits);
      in_all += bytes;
      if (op.inputs[k] != on_chip_) in_dram += bytes;
    }
    const uint64_t out = tensor_bytes(op.elements, op.out.bits);
    const uint64_t n = std::max<uint64_t>({1, ceil_div(in_all, hi_), ceil_div(out, ho_)});
    budget(n);
    for (uint64_t i = 0; i < n; ++i) {
      Tile t;
      t.unit = Unit::Vector;
      t.fold_start = t.fold_end = true;
      t.work = split(op.vector_work, n, i);
      t.dram_read[kIfmap] = split(in_dram, n, i);
      t.sram_read[kIfmap] = split(in_all, n, i);
      t.hold[kIfmap] = split(in_all, n, i);
      final_outputs(t, split(out, n, i));
      t.hold[kOfmap] = split(out, n, i);
      emit(t);
    }
  }

  const ArchConfig& a_;
  const LoweredNetwork& net_;
  const TileSink& sink_;
  std::vector<OpMemoryPlan>* plans_;
  const uint64_t hi_, hf_, ho_;
  std::map<std::string, std::vector<size_t>> consumers_;
  uint32_t op_ = 0;
  std::string on_chip_;  ///< the input tensor of the current op that is already in SRAM
  OpMemoryPlan cur_;
  PerBuffer resident_{}, prev_hold_{};
  PerBuffer resident_load_{};  ///< resident bytes the tile being built loads (not into its half)
  bool first_tile_ = true;
  u128 tiles_ = 0;  ///< tiles budgeted so far
};

}  // namespace

void plan_network(const ArchConfig& arch, const LoweredNetwork& net, const TileSink& sink,
                  std::vector<OpMemoryPlan>* plans) {
  Planner(arch, net, sink, plans).run();
}

std::vector<Tile> plan_tiles(const ArchConfig& arch, const LoweredNetwork& net, std::vector<OpMemoryPlan>* plans) {
  std::vector<Tile> tiles;
  plan_network(
      arch, net, [&](const Tile& t) { tiles.push_back(t); }, plans);
  return tiles;
}

}  // namespace bitsys
