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

class Planner {
 public:
  Planner(const ArchConfig& arch, const LoweredNetwork& net, const TileSink& sink, std::vector<OpMemoryPlan>* plans)
      : a_(arch),
        net_(net),
        map_(net),
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
  /// of the output buffer (where it is produced) and, with the producer's input, half the input
  /// buffer (where it is read).
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
    const uint64_t bytes = map_.tensor(op.emits).bytes();
    // It is written into the ifmap buffer beside the producer's own input, which must therefore
    // be loaded whole; both share one half, as the next op's first load may land in the other
    // while the producer finishes.
    uint64_t producer_in = 0;
    for (const auto& name : op.inputs) producer_in += map_.tensor(name).bytes();
    return bytes <= ho_ && producer_in + bytes <= hi_;
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
    if (t.unit == Unit::Array)
      count_gemm_transfers(t);
    else
      tile_transfers(a_, net_, map_, t, xfer_);
    for (int b = kIfmap; b < kOfmap; ++b) {
      t.fill[b] = xfer_.half_bytes[b];
      t.dram_read[b] = t.fill[b] + xfer_.resident_bytes[b];
    }
    t.dram_write = xfer_.store_bytes;
    // A load that reads bytes the previous tile writes back waits for that write (the channel
    // serves in order, so issuing it after the write suffices).
    for (const auto& [lo, hi] : xfer_.load_hulls)
      if (lo < prev_store_end_ && prev_store_begin_ < hi) t.after_previous = true;
    std::tie(prev_store_begin_, prev_store_end_) = xfer_.store_hull;
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
    uint64_t in_all, w_all;  ///< whole input / weights, all groups, as stored in DRAM
  };

  /// K elements [first, end) covered by beats [b0, b1): whole lane chunks, the last one possibly partial.
  std::pair<int64_t, int64_t> k_range(const Gemm& g, int64_t b0, int64_t b1) const {
    const int64_t c0 = b0 / g.passes, c1 = (b1 - 1) / g.passes;
    return {c0 * g.L, std::min(g.K, (c1 + 1) * g.L)};
  }

  // Footprint bytes of one operand region, from the same spans the SystemC model moves.
  // Planning asks for the same regions several times (searching a chunk, then holding, then
  // emitting it; again for every column block), so footprints are remembered for the op.
  struct Footprint {
    uint64_t bytes = 0, lo = UINT64_MAX, hi = 0;  ///< bytes moved, within DRAM bytes [lo, hi)
  };
  using FootprintKey = std::array<int64_t, 6>;
  struct KeyHash {
    size_t operator()(const FootprintKey& k) const {
      uint64_t h = 0x9E3779B97F4A7C15ull;
      for (int64_t v : k) h = (h ^ static_cast<uint64_t>(v)) * 0x100000001B3ull;
      return static_cast<size_t>(h);
    }
  };
  template <class F>
  Footprint footprint(int64_t kind, int64_t grp, int64_t a, int64_t b, int64_t c, int64_t d, F spans) {
    const FootprintKey key{kind, grp, a, b, c, d};
    auto& [k, f] = footprints_[KeyHash{}(key) % footprints_.size()];  // direct-mapped: no allocation
    if (k != key) {
      SpanList l;
      spans(l);
      k = key;
      f = {l.bytes(), l.lo(), l.hi()};
    }
    return f;
  }
  Footprint a_print(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t k0, int64_t k1) {
    return footprint(0, grp, m0, m1, k0, k1, [&](SpanList& l) { gemm_a_spans(op, *in_, grp, m0, m1, k0, k1, l); });
  }
  Footprint w_print(const LoweredOp& op, int64_t grp, int64_t k0, int64_t k1, int64_t n0, int64_t n1) {
    return footprint(1, grp, k0, k1, n0, n1, [&](SpanList& l) { gemm_w_spans(op, *w_, grp, k0, k1, n0, n1, l); });
  }
  Footprint o_print(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    return footprint(2, grp, m0, m1, n0, n1, [&](SpanList& l) { gemm_o_spans(op, *o_, grp, m0, m1, n0, n1, l); });
  }
  uint64_t a_bytes(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t k0, int64_t k1) {
    return a_print(op, grp, m0, m1, k0, k1).bytes;
  }
  uint64_t w_bytes(const LoweredOp& op, int64_t grp, int64_t k0, int64_t k1, int64_t n0, int64_t n1) {
    return w_print(op, grp, k0, k1, n0, n1).bytes;
  }
  uint64_t o_bytes(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    return o_print(op, grp, m0, m1, n0, n1).bytes;
  }
  /// The staged results a fold leaves for the vector unit beside the array (0 without).
  uint64_t s_bytes(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    if (!s_) return 0;
    return footprint(5, grp, m0, m1, n0, n1, [&](SpanList& l) { gemm_o_spans(op, *s_, grp, m0, m1, n0, n1, l); }).bytes;
  }
  /// The other operands of the post-ops beside the array, for a fold's results.
  uint64_t p_bytes(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    uint64_t sum = 0;
    for (size_t k = 0; k < operand_places_.size(); ++k)
      sum += footprint(6 + static_cast<int64_t>(k), grp, m0, m1, n0, n1, [&](SpanList& l) {
               gemm_o_spans(op, *operand_places_[k], grp, m0, m1, n0, n1, l);
             }).bytes;
    return sum;
  }
  /// What a fold's results occupy in the ofmap buffer: final, and staged and the post-ops'
  /// operands when post-ops run beside the array.
  uint64_t fold_bytes(const LoweredOp& op, int64_t grp, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    return o_bytes(op, grp, m0, m1, n0, n1) + s_bytes(op, grp, m0, m1, n0, n1) + p_bytes(op, grp, m0, m1, n0, n1);
  }

  /// A GEMM tile's transfers, counted from the remembered footprints: the same spans
  /// tile_transfers lists for the SystemC model (the cross-check holds the two to equal bytes).
  void count_gemm_transfers(const Tile& t) {
    const LoweredOp& op = net_.ops[op_];
    xfer_.clear();
    auto load = [&](int b, const Footprint& f, bool resident) {
      (resident ? xfer_.resident_bytes : xfer_.half_bytes)[b] += f.bytes;
      xfer_.load_hulls.emplace_back(f.lo, f.hi);
    };
    if (t.load_resident >> kIfmap & 1)
      load(kIfmap, footprint(3, 0, 0, 0, 0, 0, [&](SpanList& l) { tensor_spans(*in_, l); }), true);
    if (t.load_resident >> kFilter & 1)
      load(kFilter, footprint(4, 0, 0, 0, 0, 0, [&](SpanList& l) { tensor_spans(*w_, l); }), true);
    if (t.load_a) load(kIfmap, a_print(op, t.group, t.m0, t.m1, t.k0, t.k1), false);
    if (t.load_w) load(kFilter, w_print(op, t.group, t.k0, t.k1, t.n0, t.n1), false);
    if (t.emits && t.fold_end && !t.keep) {
      const Footprint f = o_print(op, t.group, t.om0, t.om1, t.on0, t.on1);
      xfer_.store_bytes = f.bytes;
      xfer_.store_hull = {f.lo, f.hi};
    }
  }

  /// Largest count c (>= 0) of units with ceil(c * unit_num / unit_den) <= limit bytes.
  static int64_t fit(uint64_t limit, u128 unit_num, u128 unit_den, int64_t cap) {
    if (unit_num == 0) return cap;
    const u128 c = static_cast<u128>(limit) * unit_den / unit_num;
    return c >= static_cast<u128>(cap) ? cap : static_cast<int64_t>(c);
  }

  /// Largest n in [0, cap] with fits(n) (fits is monotone: true up to some n, false after). Tiles
  /// of a loop mostly come out the same size, so the previous answer is tried first.
  template <class F>
  static int64_t largest(int64_t cap, F fits, int64_t& hint) {
    if (hint > 0 && hint <= cap && fits(hint) && (hint == cap || !fits(hint + 1))) return hint;
    int64_t lo = 0, hi = cap;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo + 1) / 2;
      if (fits(mid))
        lo = mid;
      else
        hi = mid - 1;
    }
    return hint = lo;
  }

  void plan_gemm(const LoweredOp& op) {
    const PeKind& kind = *a_.pe;
    in_ = &map_.tensor(op.inputs.front());
    w_ = &map_.weights(op_);
    o_ = &map_.tensor(op.emits);
    s_ = op.beside_ops ? &map_.tensor(op.staged) : nullptr;
    operand_places_.clear();
    for (const auto& name : op.beside_operands) operand_places_.push_back(&map_.tensor(name));
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
    g.in_all = in_->bytes();
    g.w_all = w_->bytes();
    cur_.ifmap_resident = cur_.input_on_chip || g.in_all <= hi_;
    cur_.filter_resident = g.w_all <= hf_;
    resident_ = PerBuffer{};
    stream_memo_.clear();
    footprints_.fill({FootprintKey{-1, 0, 0, 0, 0, 0}, Footprint{}});
    if (cur_.ifmap_resident) resident_[kIfmap] = g.in_all;
    if (cur_.filter_resident) resident_[kFilter] = g.w_all;
    {  // the whole layer's tiles, estimated before emitting any (from proportional shares, an
       // underestimate of real footprints): refuses a layer that would take minutes
      const int64_t nK = (g.K + g.L - 1) / g.L;
      const u128 per_chunk =
          std::max<u128>(1, static_cast<u128>(g.in_all) * a_.rows * g.L / (static_cast<u128>(g.M) * g.K));
      const int64_t q = cur_.ifmap_resident ? nK : std::max<int64_t>(1, std::min<int64_t>(nK, hi_ / per_chunk));
      const u128 folds = static_cast<u128>(ceil_div(g.M, a_.rows)) * ceil_div(g.N, a_.cols) * op.gemm.groups;
      budget(a_.dataflow == Dataflow::OS ? folds * ceil_div(nK, q) : folds);
    }
    for (int64_t grp = 0; grp < op.gemm.groups; ++grp) {
      switch (a_.dataflow) {
        case Dataflow::OS:
          plan_os(op, g, static_cast<uint32_t>(grp));
          break;
        case Dataflow::WS:
          plan_stationary(op, g, static_cast<uint32_t>(grp), true);
          break;
        case Dataflow::IS:
          plan_stationary(op, g, static_cast<uint32_t>(grp), false);
          break;
      }
    }
  }

  /// Whole-tensor loads of resident operands ride on the op's first tile.
  void resident_loads(Tile& t) {
    if (!first_tile_) return;
    t.load_resident = static_cast<uint8_t>((cur_.ifmap_resident && !cur_.input_on_chip ? 1 << kIfmap : 0) |
                                           (cur_.filter_resident ? 1 << kFilter : 0));
  }

  /// Final results of a tile: into the output buffer, then to DRAM unless kept on chip.
  /// A tile of a fold that produces final results [m0, m1) x [n0, n1) of `bytes`: the fold's
  /// first tile claims room for them in the ofmap buffer, its last writes them back (or keeps
  /// them on chip). With post-ops beside the array, the stage writes `staged` bytes beside that
  /// room, which the vector unit reads to write the final ones.
  void fold_results(Tile& t, int64_t m0, int64_t m1, int64_t n0, int64_t n1, uint64_t bytes, uint64_t staged = 0,
                    uint64_t operands = 0, uint64_t post_work = 0) {
    t.emits = true;
    t.keep = cur_.output_on_chip;
    t.om0 = m0;
    t.om1 = m1;
    t.on0 = n0;
    t.on1 = n1;
    t.hold[kOfmap] = bytes + staged + operands;
    if (t.fold_start) {
      t.fill[kOfmap] = bytes + staged + operands;
      t.post_load = operands;
    }
    if (!t.fold_end) return;
    t.sram_write[kOfmap] += staged ? staged : bytes;
    if (!cur_.output_on_chip) t.sram_read[kOfmap] += bytes;
    if (!post_work) return;
    t.post_work = post_work;
    t.post_read = staged + operands;
    t.post_write = bytes;
  }
  void gemm_fold_results(const LoweredOp& op, Tile& t, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    const uint64_t elements = static_cast<uint64_t>((m1 - m0) * (n1 - n0));
    // One element operation per one-input post-op, one per add (two inputs).
    fold_results(t, m0, m1, n0, n1, o_bytes(op, t.group, m0, m1, n0, n1), s_bytes(op, t.group, m0, m1, n0, n1),
                 p_bytes(op, t.group, m0, m1, n0, n1), elements * static_cast<uint64_t>(op.beside_ops));
  }

  // OS, loop order: m-block, n-block; each fold streams K in chunks of lane-chunks, each chunk
  // as many as keep its activation rows and weight columns in half their buffers.
  void plan_os(const LoweredOp& op, const Gemm& g, uint32_t grp) {
    const int R = a_.rows, C = a_.cols;
    const int64_t nK = (g.K + g.L - 1) / g.L;
    for (int64_t m0 = 0; m0 < g.M; m0 += R)
      for (int64_t n0 = 0; n0 < g.N; n0 += C) {
        const int64_t m1 = std::min<int64_t>(g.M, m0 + R), n1 = std::min<int64_t>(g.N, n0 + C);
        const uint64_t out = fold_bytes(op, grp, m0, m1, n0, n1);
        if (out > ho_)
          never_fits("buffers.ofmap_kib", "one fold's " + std::to_string(m1 - m0) + "x" + std::to_string(n1 - n0) +
                                              " outputs exceed half the ofmap buffer");
        int64_t hint = 0;
        for (int64_t c0 = 0; c0 < nK;) {
          auto k_of = [&](int64_t c) { return std::min(g.K, c * g.L); };
          const int64_t q = largest(
              nK - c0,
              [&](int64_t q) {
                return (cur_.ifmap_resident || a_bytes(op, grp, m0, m1, k_of(c0), k_of(c0 + q)) <= hi_) &&
                       (cur_.filter_resident || w_bytes(op, grp, k_of(c0), k_of(c0 + q), n0, n1) <= hf_);
              },
              hint);
          if (q == 0) {
            const bool a_fits = cur_.ifmap_resident || a_bytes(op, grp, m0, m1, k_of(c0), k_of(c0 + 1)) <= hi_;
            never_fits(a_fits ? "buffers.filter_kib" : "buffers.ifmap_kib",
                       "one lane-chunk of K for " + std::to_string(m1 - m0) + " rows and " + std::to_string(n1 - n0) +
                           " columns exceeds half a buffer");
          }
          const int64_t c1 = c0 + q;
          cur_.chunk = std::max(cur_.chunk, q * g.passes);
          Tile t;
          t.group = grp;
          t.row0 = m0;
          t.col0 = n0;
          t.m0 = m0;
          t.m1 = m1;
          t.n0 = n0;
          t.n1 = n1;
          t.k0 = k_of(c0);
          t.k1 = k_of(c1);
          t.fold_start = c0 == 0;
          t.fold_end = c1 == nK;
          t.work = static_cast<uint64_t>(q * g.passes);
          t.load_a = !cur_.ifmap_resident;
          t.load_w = !cur_.filter_resident;
          resident_loads(t);
          const int64_t kel = t.k1 - t.k0;
          t.sram_read[kIfmap] = tensor_bytes(static_cast<uint64_t>((m1 - m0) * kel), g.abits);
          t.sram_read[kFilter] = tensor_bytes(static_cast<uint64_t>(kel * (n1 - n0)), g.wbits);
          gemm_fold_results(op, t, m0, m1, n0, n1);
          emit(t);
          c0 = c1;
        }
      }
  }

  // WS (ws = true): weight tiles stay, activation rows stream. IS (ws = false): activation
  // tiles stay, weight columns stream. Loop order: column block, then T-tile, then k-block:
  // a T-tile is as many streamed elements as leave their 32-bit partial sums for the column
  // block in half the ofmap buffer, so partial sums never leave the chip; each (T-tile,
  // k-block) is a fold, streamed in chunks that fit half the streaming buffer.
  void plan_stationary(const LoweredOp& op, const Gemm& g, uint32_t grp, bool ws) {
    const int R = a_.rows, C = a_.cols;
    const int64_t span = ws ? g.N : g.M;  // extent of the column dimension
    const int64_t T = ws ? g.M : g.N;     // streamed length
    const bool stream_resident = ws ? cur_.ifmap_resident : cur_.filter_resident;
    const bool stat_resident = ws ? cur_.filter_resident : cur_.ifmap_resident;
    for (int64_t c0 = 0; c0 < span; c0 += C) {
      const int64_t cols = std::min<int64_t>(C, span - c0);
      // Partial sums live across k-blocks in a slab of half the ofmap buffer; a fold's results
      // wait in the ofmap buffer until the fold ends (those of a fold's middle tiles are still in
      // the array when the tile ends), so a T-tile's results must fit half of it too.
      const bool slab = g.Kb > R && a_.psum_policy == PsumPolicy::FitOfmap;
      const bool bounded = a_.psum_policy == PsumPolicy::FitOfmap;
      const int64_t stride = slab_stride(a_, span, cols);
      const int64_t tt = slab ? fit(ho_, static_cast<u128>(stride) * kPsumBytes, 1, T) : T;
      if (tt == 0)
        never_fits("buffers.ofmap_kib", "one row of " + std::to_string(stride) +
                                            " 32-bit partial sums exceeds half the ofmap buffer (" +
                                            std::to_string(ho_) + " B)");
      budget(ceil_div(T, tt) * ceil_div(g.Kb, R));
      auto fold_out = [&](int64_t s0, int64_t s1) {
        return ws ? fold_bytes(op, grp, s0, s1, c0, c0 + cols) : fold_bytes(op, grp, c0, c0 + cols, s0, s1);
      };
      int64_t tt_hint = 0;
      for (int64_t tt0 = 0, tlen = 0; tt0 < T; tt0 += tlen) {
        tlen = std::min(tt, T - tt0);
        if (bounded && fold_out(tt0, tt0 + tlen) > ho_)
          tlen = largest(
              tlen, [&](int64_t n) { return fold_out(tt0, tt0 + n) <= ho_; }, tt_hint);
        if (tlen == 0)
          never_fits("buffers.ofmap_kib",
                     "one output row of " + std::to_string(cols) + " results exceeds half the ofmap buffer");
        if (g.Kb > R && a_.psum_policy == PsumPolicy::FitOfmap)
          resident_[kOfmap] = std::max(resident_[kOfmap], static_cast<uint64_t>(tlen) * stride * kPsumBytes);
        for (int64_t b0 = 0; b0 < g.Kb; b0 += R) {
          const auto [k0, k1] = k_range(g, b0, std::min(g.Kb, b0 + R));
          const int64_t kel = k1 - k0;
          const bool last_k = b0 + R >= g.Kb;
          // The streamed slice [s0, s1) of T, and the regions it touches.
          auto m_of = [&](int64_t s0, int64_t s1) {
            return ws ? std::make_pair(s0, s1) : std::make_pair(c0, c0 + cols);
          };
          auto n_of = [&](int64_t s0, int64_t s1) {
            return ws ? std::make_pair(c0, c0 + cols) : std::make_pair(s0, s1);
          };
          auto stream_bytes = [&](int64_t s0, int64_t s1) {
            return ws ? a_bytes(op, grp, s0, s1, k0, k1) : w_bytes(op, grp, k0, k1, s0, s1);
          };
          const uint64_t stat_bytes =
              ws ? w_bytes(op, grp, k0, k1, c0, c0 + cols) : a_bytes(op, grp, c0, c0 + cols, k0, k1);
          if (!stat_resident && stat_bytes > (ws ? hf_ : hi_)) {
            if (ws)
              never_fits("buffers.filter_kib", "a " + std::to_string(kel) + "x" + std::to_string(cols) +
                                                   " stationary weight tile (" + std::to_string(stat_bytes) +
                                                   " B) exceeds half the filter buffer (" + std::to_string(hf_) +
                                                   " B)");
            never_fits("buffers.ifmap_kib", "a stationary activation tile (" + std::to_string(stat_bytes) +
                                                " B) exceeds half the ifmap buffer (" + std::to_string(hi_) + " B)");
          }
          int64_t hint = 0;
          // The streamed operand's chunks do not depend on the column block: found once, reused.
          std::vector<int64_t>& stream_chunks = stream_memo_[{grp, tt0, tlen, b0}];
          size_t chunk_i = 0;
          for (int64_t t0 = 0; t0 < tlen;) {
            const int64_t s0 = tt0 + t0;
            if (chunk_i == stream_chunks.size())
              stream_chunks.push_back(
                  stream_resident
                      ? tlen - t0
                      : largest(
                            tlen - t0, [&](int64_t n) { return stream_bytes(s0, s0 + n) <= (ws ? hi_ : hf_); }, hint));
            const int64_t n_stream = stream_chunks[chunk_i];
            const int64_t n = n_stream;
            ++chunk_i;
            if (n == 0)
              never_fits(ws ? "buffers.ifmap_kib" : "buffers.filter_kib",
                         "one streamed " + std::string(ws ? "activation row" : "weight column") + " of " +
                             std::to_string(kel) + " elements does not fit half the buffer");
            cur_.chunk = std::max(cur_.chunk, n);
            Tile t;
            t.group = grp;
            t.row0 = b0;
            t.col0 = c0;
            t.t0 = tt0;
            t.tlen = tlen;
            std::tie(t.m0, t.m1) = m_of(s0, s0 + n);
            std::tie(t.n0, t.n1) = n_of(s0, s0 + n);
            t.k0 = k0;
            t.k1 = k1;
            t.fold_start = t0 == 0;
            t.fold_end = t0 + n >= tlen;
            t.work = static_cast<uint64_t>(n);
            const bool stat_load = t.fold_start && !stat_resident;
            t.load_a = ws ? !stream_resident : stat_load;
            t.load_w = ws ? stat_load : !stream_resident;
            resident_loads(t);
            const uint64_t streamed = stream_resident ? 0 : stream_bytes(s0, s0 + n);
            const int sb = ws ? kIfmap : kFilter, tb = ws ? kFilter : kIfmap;
            t.sram_read[sb] = ws ? tensor_bytes(static_cast<uint64_t>(n) * kel, g.abits)
                                 : tensor_bytes(static_cast<uint64_t>(kel) * n, g.wbits);
            if (t.fold_start)
              t.sram_read[tb] = ws ? tensor_bytes(static_cast<uint64_t>(kel) * cols, g.wbits)
                                   : tensor_bytes(static_cast<uint64_t>(cols) * kel, g.abits);
            t.hold[sb] = streamed;
            t.hold[tb] = stat_resident ? 0 : stat_bytes;
            const uint64_t psums = static_cast<uint64_t>(n) * cols * kPsumBytes;
            if (b0 > 0) t.sram_read[kOfmap] += psums;  // partial sums this tile adds to
            if (last_k) {
              const auto [om0, om1] = m_of(tt0, tt0 + tlen);
              const auto [on0, on1] = n_of(tt0, tt0 + tlen);
              gemm_fold_results(op, t, om0, om1, on0, on1);
            } else {
              t.sram_write[kOfmap] += psums;
            }
            emit(t);
            t0 += n;
          }
        }
      }
    }
  }

  // ---- vector unit ---------------------------------------------------------------------------
  // Output elements in NCHW order, in tiles as large as keep the inputs they read in half the
  // ifmap buffer and their outputs in half the ofmap buffer.
  void plan_vector(const LoweredOp& op) {
    resident_ = PerBuffer{};
    const TensorPlace& out = map_.tensor(op.emits);
    std::vector<const TensorPlace*> in;
    for (const auto& name : op.inputs) in.push_back(&map_.tensor(name));
    const uint64_t elements = op.elements, per = elements ? op.vector_work / elements : 0;
    auto in_bytes = [&](uint64_t e0, uint64_t e1, bool dram_only) {
      uint64_t sum = 0;
      for (size_t k = 0; k < in.size(); ++k) {
        if (dram_only && op.inputs[k] == on_chip_) continue;
        SpanList l;
        vector_in_spans(op, static_cast<int>(k), *in[k], e0, e1, l);
        sum += l.bytes();
      }
      return sum;
    };
    auto out_bytes = [&](uint64_t e0, uint64_t e1) {
      SpanList l;
      vector_o_spans(op, out, e0, e1, l);
      return l.bytes();
    };
    uint32_t mask = 0;
    uint64_t kept = 0;  // an input kept on chip stays whole beside the halves the others stream through
    for (size_t k = 0; k < in.size(); ++k)
      if (op.inputs[k] != on_chip_)
        mask |= 1u << k;
      else
        kept = in[k]->bytes();
    int64_t hint = 0;
    for (uint64_t e0 = 0; e0 < elements;) {
      const uint64_t n = static_cast<uint64_t>(largest(
          static_cast<int64_t>(elements - e0),
          [&](int64_t n) { return in_bytes(e0, e0 + n, true) + kept <= hi_ && out_bytes(e0, e0 + n) <= ho_; }, hint));
      if (n == 0) never_fits("buffers.ifmap_kib", "one output element's inputs and output do not fit half the buffers");
      budget(1);
      Tile t;
      t.unit = Unit::Vector;
      t.fold_start = t.fold_end = true;
      t.m0 = static_cast<int64_t>(e0);
      t.m1 = static_cast<int64_t>(e0 + n);
      t.in_mask = mask;
      t.work = n * per;
      t.sram_read[kIfmap] = in_bytes(e0, e0 + n, false);
      t.hold[kIfmap] = t.sram_read[kIfmap];
      fold_results(t, t.m0, t.m1, 0, 0, out_bytes(e0, e0 + n));
      emit(t);
      e0 += n;
    }
  }

  const ArchConfig& a_;
  const LoweredNetwork& net_;
  const MemoryMap map_;
  const TensorPlace *in_ = nullptr, *w_ = nullptr, *o_ = nullptr;  ///< the current GEMM's operands
  const TensorPlace* s_ = nullptr;                  ///< ... and its staged results, when post-ops run beside the array
  std::vector<const TensorPlace*> operand_places_;  ///< ... and their other operands
  TileTransfers xfer_{false};
  std::map<std::array<int64_t, 4>, std::vector<int64_t>> stream_memo_;
  std::array<std::pair<FootprintKey, Footprint>, 256>
      footprints_{};  ///< recent ones of this op  ///< (group, T-tile, length, k-block) -> chunks
  uint64_t prev_store_begin_ = UINT64_MAX, prev_store_end_ = 0;  ///< bytes the last tile wrote back
  const TileSink& sink_;
  std::vector<OpMemoryPlan>* plans_;
  const uint64_t hi_, hf_, ho_;
  std::map<std::string, std::vector<size_t>> consumers_;
  uint32_t op_ = 0;
  std::string on_chip_;  ///< the input tensor of the current op that is already in SRAM
  OpMemoryPlan cur_;
  PerBuffer resident_{}, prev_hold_{};
  bool first_tile_ = true;
  u128 tiles_ = 0;  ///< tiles budgeted so far
};

}  // namespace

void TileTransfers::clear() {
  for (int b = 0; b < kOfmap; ++b) {
    half[b].clear();
    resident[b].clear();
  }
  store.clear();
  results.clear();
  staged.clear();
  operands.clear();
  half_bytes[0] = half_bytes[1] = resident_bytes[0] = resident_bytes[1] = store_bytes = 0;
  load_hulls.clear();
  store_hull = {UINT64_MAX, 0};
}

void tile_transfers(const ArchConfig&, const LoweredNetwork& net, const MemoryMap& map, const Tile& t,
                    TileTransfers& out) {
  out.clear();
  const LoweredOp& op = net.ops[t.op];
  if (t.unit == Unit::Vector) {
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      if (!(t.in_mask >> k & 1)) continue;
      SpanList l(out.keep_spans ? &out.half[kIfmap] : nullptr);
      vector_in_spans(op, static_cast<int>(k), map.tensor(op.inputs[k]), static_cast<uint64_t>(t.m0),
                      static_cast<uint64_t>(t.m1), l);
      out.half_bytes[kIfmap] += l.bytes();
      out.note_load(l);
    }
    if (t.emits && out.keep_spans) {
      SpanList l(&out.results);
      vector_o_spans(op, map.tensor(op.emits), static_cast<uint64_t>(t.om0), static_cast<uint64_t>(t.om1), l);
      l.bytes();
    }
    if (t.emits && t.fold_end && !t.keep) {
      SpanList l(out.keep_spans ? &out.store : nullptr);
      vector_o_spans(op, map.tensor(op.emits), static_cast<uint64_t>(t.om0), static_cast<uint64_t>(t.om1), l);
      out.store_bytes += l.bytes();
      out.store_hull = {l.lo(), l.hi()};
    }
    return;
  }
  const TensorPlace& in = map.tensor(op.inputs.front());
  const TensorPlace& w = map.weights(t.op);
  if (t.load_resident >> kIfmap & 1) {  // the op's first tile brings what stays for the whole op
    SpanList l(out.keep_spans ? &out.resident[kIfmap] : nullptr);
    tensor_spans(in, l);
    out.resident_bytes[kIfmap] += l.bytes();
    out.note_load(l);
  }
  if (t.load_resident >> kFilter & 1) {
    SpanList l(out.keep_spans ? &out.resident[kFilter] : nullptr);
    tensor_spans(w, l);
    out.resident_bytes[kFilter] += l.bytes();
    out.note_load(l);
  }
  if (t.load_a) {
    SpanList l(out.keep_spans ? &out.half[kIfmap] : nullptr);
    gemm_a_spans(op, in, t.group, t.m0, t.m1, t.k0, t.k1, l);
    out.half_bytes[kIfmap] += l.bytes();
    out.note_load(l);
  }
  if (t.load_w) {
    SpanList l(out.keep_spans ? &out.half[kFilter] : nullptr);
    gemm_w_spans(op, w, t.group, t.k0, t.k1, t.n0, t.n1, l);
    out.half_bytes[kFilter] += l.bytes();
    out.note_load(l);
  }
  if (t.emits && out.keep_spans) {
    SpanList l(&out.results);
    gemm_o_spans(op, map.tensor(op.emits), t.group, t.om0, t.om1, t.on0, t.on1, l);
    l.bytes();
    if (op.beside_ops) {
      SpanList st(&out.staged);
      gemm_o_spans(op, map.tensor(op.staged), t.group, t.om0, t.om1, t.on0, t.on1, st);
      st.bytes();
    }
    if (t.fold_start)
      for (const auto& name : op.beside_operands) {
        SpanList l(&out.operands);
        gemm_o_spans(op, map.tensor(name), t.group, t.om0, t.om1, t.on0, t.on1, l);
        l.bytes();
      }
  }
  if (t.emits && t.fold_end && !t.keep) {
    SpanList l(out.keep_spans ? &out.store : nullptr);
    gemm_o_spans(op, map.tensor(op.emits), t.group, t.om0, t.om1, t.on0, t.on1, l);
    out.store_bytes += l.bytes();
    out.store_hull = {l.lo(), l.hi()};
  }
}

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
