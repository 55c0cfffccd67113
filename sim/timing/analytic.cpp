#include "sim/timing/analytic.h"

#include <algorithm>
#include <deque>
#include <map>

#include "sim/io/input_error.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

uint64_t fold_cycles(const ArchConfig& arch, int64_t T) {
  // SCALE-Sim v2's code leaves the OS drain out (its paper counts it).
  const bool no_drain = arch.conventions == Conventions::ScaleSim && arch.dataflow == Dataflow::OS;
  return static_cast<uint64_t>((no_drain ? 1 : 2) * arch.rows + arch.cols) + static_cast<uint64_t>(T) - 2;
}

namespace {

/// Cycles a port of `units` per cycle needs for `bytes`: ceil(bytes / width); 0 when unlimited.
uint64_t port_cycles(uint64_t units, uint64_t bytes) {
  if (!units || !bytes) return 0;
  const unsigned __int128 scaled = static_cast<unsigned __int128>(bytes) << ArchConfig::kBandwidthFractionBits;
  return static_cast<uint64_t>(scaled / units + (scaled % units ? 1 : 0));
}

/// `latency`: the pipeline registers of the tile's op's output stage.
uint64_t unit_cycles(const ArchConfig& arch, const Tile& t, uint64_t latency) {
  if (t.unit == Unit::Vector) {
    const uint64_t lanes = static_cast<uint64_t>(arch.vector_lanes);
    return t.work / lanes + (t.work % lanes ? 1 : 0);
  }
  const uint64_t R = static_cast<uint64_t>(arch.rows), C = static_cast<uint64_t>(arch.cols);
  // A fold of T beats takes 2R + C + T - 2 cycles: OS streams from its first cycle and pays the
  // skew, the last product's trip and the R-cycle drain at the end; WS/IS pay R cycles of
  // preload first and R + C - 2 of skew and drain after the last streamed element. The output
  // stage's registers delay the last result's landing in the buffer by `latency` more.
  if (arch.dataflow == Dataflow::OS) {
    const uint64_t drain = arch.conventions == Conventions::ScaleSim ? 0 : R;  // see fold_cycles
    return t.work + (t.fold_end ? R + drain + C - 2 + latency : 0);
  }
  return t.work + (t.fold_start ? R : 0) + (t.fold_end ? R + C - 2 + latency : 0);
}

/// Cycles the tile's buffer ports need for what its unit reads and writes there (not what DRAM
/// loads into a buffer or writes back from it); 0 when the ports are unlimited (units 0).
uint64_t ports_cycles(uint64_t units, const Tile& t) {
  uint64_t c = 0;
  if (!units) return 0;
  for (int b = 0; b < kBuffers; ++b) {
    c = std::max(c, port_cycles(units, t.sram_read[b] - (b == kOfmap ? t.dram_write : 0)));
    c = std::max(c, port_cycles(units, t.sram_write[b] - t.dram_read[b]));
  }
  return c;
}

}  // namespace

uint64_t tile_cycles(const ArchConfig& arch, const Tile& t, int output_latency) {
  // The unit's own cycles, or longer when a buffer's port cannot move the tile's operands and
  // results in that time.
  return std::max(unit_cycles(arch, t, static_cast<uint64_t>(output_latency)), ports_cycles(arch.sram_port_units(), t));
}

namespace {

/// ceil(bytes / bandwidth) with the bandwidth in units; 0 for ideal memory.
uint64_t transfer_cycles_at(const ArchConfig& arch, uint64_t units, uint64_t bytes) {
  if (arch.dram_unlimited || bytes == 0) return 0;
  const unsigned __int128 scaled = static_cast<unsigned __int128>(bytes) << ArchConfig::kBandwidthFractionBits;
  const unsigned __int128 cycles = scaled / units + (scaled % units ? 1 : 0);
  return cycles >> 64 ? UINT64_MAX : static_cast<uint64_t>(cycles);
}

}  // namespace

uint64_t transfer_cycles(const ArchConfig& arch, uint64_t bytes) {
  return transfer_cycles_at(arch, arch.dram_bandwidth_units(), bytes);
}

GemmShapeTiming analytic_gemm(const ArchConfig& arch, const LoweredOp& op) {
  const std::string why = arch.pe->check(op.act, op.weights);
  if (!why.empty())
    fail_input(arch.file, "layer '" + op.name + "'", "pe.kind",
               arch.pe_name() + " cannot run " + op.act.str() + " x " + op.weights.str() + ": " + why);
  const GemmShape& g = op.gemm;
  GemmShapeTiming r;
  r.Kb = beats_for(*arch.pe, g.K, arch.lanes, op.act, op.weights);
  r.space = dataflow_info(arch.dataflow).map(g.M, r.Kb, g.N);
  const uint64_t per_group = static_cast<uint64_t>((r.space.Sr + arch.rows - 1) / arch.rows) *
                             static_cast<uint64_t>((r.space.Sc + arch.cols - 1) / arch.cols);
  const unsigned __int128 folds = static_cast<unsigned __int128>(per_group) * static_cast<uint64_t>(g.groups);
  const uint64_t latency = static_cast<uint64_t>(op.output_latency);
  unsigned __int128 cycles = folds * (fold_cycles(arch, r.space.T) + latency);
  if (arch.schedule == FoldSchedule::Overlapped && folds > 0) {
    // A layer's folds follow each other through the array (README "The timing model"): the
    // first takes `first` cycles to have its beats in, each later one `step` more (WS/IS: R of
    // preload and T beats; OS: T beats, the last held until 2R after the previous fold's), but a
    // fold starts only once the fold two before it has left, `tail` after its last beat: every
    // two folds take at least first + tail. The last fold's tail is paid at the end.
    const uint64_t R = static_cast<uint64_t>(arch.rows), C = static_cast<uint64_t>(arch.cols);
    const uint64_t T = static_cast<uint64_t>(r.space.T);
    const bool os = arch.dataflow == Dataflow::OS;
    const uint64_t first = os ? T : R + T, step = os ? std::max(T, 2 * R) : R + T;
    const uint64_t tail = (os ? 2 * R : R) + C - 2 + latency;
    const unsigned __int128 pairs = (folds - 1) / 2, odd = (folds - 1) % 2;
    cycles = first + pairs * std::max(2 * step, first + tail) + odd * step + tail;
  }
  if (cycles >> 64) fail_input(arch.file, "layer '" + op.name + "'", "", "cycle count overflows 64 bits");
  r.folds = static_cast<uint64_t>(folds);
  r.cycles = static_cast<uint64_t>(cycles);
  if (arch.conventions == Conventions::ScaleSim && r.cycles) --r.cycles;  // its last serviced cycle, counted from 0
  return r;
}

namespace {

/// The DRAM channel serves requests one at a time in the order they are issued; a read's data
/// is usable `latency` cycles after its transfer ends. Requests of zero bytes are never issued.
class Channel {
 public:
  explicit Channel(const ArchConfig& a) : a_(a), units_(a.dram_bandwidth_units()) {}
  /// Returns when the data is usable (reads) or the write has left the buffer (writes).
  uint64_t serve(uint64_t issue, uint64_t bytes, bool read) {
    if (bytes == 0) return issue;
    (read ? read_ : written_) += bytes;
    free_ = std::max(issue, free_) + transfer_cycles_at(a_, units_, bytes);
    return free_ + (read && !a_.dram_unlimited ? static_cast<uint64_t>(a_.dram_latency_cycles) : 0);
  }
  uint64_t free_at() const { return free_; }
  uint64_t read_ = 0, written_ = 0;

 private:
  const ArchConfig& a_;
  const uint64_t units_;
  uint64_t free_ = 0;
};

/// The recurrence, fed one tile at a time. Tile i's operands load into the buffer halves tile
/// i-2 used, so its load is issued when tile i-2 ends, right after tile i-2's write; tile i
/// starts when tile i-1 has ended, its data has arrived and tile i-2's outputs have left.
class Recurrence {
 public:
  Recurrence(const ArchConfig& a, const LoweredNetwork& net, NetworkTiming& out)
      : a_(a),
        net_(net),
        ch_(a),
        out_(out),
        port_units_(a.sram_port_units()),
        scalesim_(a.conventions == Conventions::ScaleSim) {}

  void push(const Tile& t) {
    win_[n_ % 3] = t;
    ++n_;
    if (n_ == 1) ready_[0] = ch_.serve(0, t.load_bytes(), true);
    if (n_ == 2) {
      if (t.after_previous)
        deferred_ = true;
      else
        ready_[1] = ch_.serve(0, t.load_bytes(), true);
    }
    if (n_ >= 3) step(n_ - 3, &win_[(n_ - 1) % 3]);
  }

  void finish() {
    const uint64_t first = n_ >= 2 ? n_ - 2 : 0;
    for (uint64_t i = first; i < n_; ++i) step(i, nullptr);
    if (n_ == 0) return;
    const uint64_t total = std::max(end_prev_, ch_.free_at());
    out_.ops[last_op_].stall += total - end_prev_;  // the final writes
    out_.ops[last_op_].stall_by[kStallWriteback] += total - end_prev_;
    out_.total_cycles = total;
    out_.dram_read = ch_.read_;
    out_.dram_written = ch_.written_;
  }

 private:
  /// Runs tile i. Its end issues its write, then the load of tile i+1 if that waited for this
  /// write, then the load of tile i+2 (`load_next`) unless it must wait for tile i+1's write.
  void step(uint64_t i, const Tile* load_next) {
    const Tile& t = win_[i % 3];
    const Tile* next = i + 1 < n_ ? &win_[(i + 1) % 3] : nullptr;
    const bool array = t.unit == Unit::Array;
    const uint64_t latency = static_cast<uint64_t>(net_.ops[t.op].output_latency);
    uint64_t now = std::max(end_prev_, ctrl_), drained = std::max(sdone_[i % 2], posts_waited_);
    posts_waited_ = 0;
    if (t.fold_start) ++fold_;
    if (t.fold_start && fold_ >= 2) {
      // The new fold's ofmap slot was fold - 2's: the array runs on until that fold has left,
      // its post-ops beside the array are done, and its write-back must be done.
      const int64_t reuse = fold_ - 2;
      while (overlapped_ && !in_flight_.empty() && in_flight_.front().fold <= reuse) {
        const uint64_t k = in_flight_.front().left;
        run_array(now, k);
        now += k;
        drained = std::max(drained, now);
      }
      if (!posts_.empty() && posts_.front().fold <= reuse) {
        // Its post-ops must be done: meanwhile the folds still in the array drain, up to the
        // first to complete or the post's end, whichever comes first.
        while (!posts_.empty() && posts_.front().fold <= reuse) {
          const uint64_t finish = posts_.front().finish;
          if (overlapped_ && !in_flight_.empty() && finish > now) {
            const uint64_t k = std::min(in_flight_.front().left, finish - now);
            run_array(now, k);
            now += k;
            continue;
          }
          retire_post(now);
        }
        drained = std::max(drained, now);
      }
      auto it = fold_store_.find(reuse);
      if (it != fold_store_.end()) drained = std::max(drained, it->second);
    }
    const uint64_t start = std::max({now, ready_[i % 3], drained});
    // The post-ops' other operands stream in as the fold starts; its post waits for them.
    if (t.fold_start && t.post_load) operands_ready_[fold_] = ch_.serve(start, t.post_load, true);
    uint64_t unit, tail = 0;
    bool overlap_next = false;
    if (overlapped_ && array) {
      const uint64_t R = static_cast<uint64_t>(a_.rows), C = static_cast<uint64_t>(a_.cols);
      const bool os = a_.dataflow == Dataflow::OS;
      overlap_next = t.fold_end && next && next->unit == Unit::Array && next->fold_start && next->op == t.op;
      // The tile's beats, after its fold's preload (WS/IS), its last beat held (OS) until 2R
      // cycles after the previous fold's, so the output registers are free.
      uint64_t beats = t.work + (!os && t.fold_start ? R : 0);
      if (os && t.fold_end && last_beat_ >= 0) {
        const int64_t held = last_beat_ + 2 * static_cast<int64_t>(R) - array_time_ + 1;  // beats up to the held one
        if (held > static_cast<int64_t>(beats)) beats = static_cast<uint64_t>(held);
      }
      if (os && t.fold_end) last_beat_ = array_time_ + static_cast<int64_t>(beats) - 1;
      tail = (os ? 2 * R : R) + C - 2 + latency;  // last beat in -> last result in the buffer
      overlap_next = overlap_next && tail > 0;    // a 1x1 array without registers is done as its beat enters
      unit = beats + (t.fold_end && !overlap_next ? tail : 0);
    } else {
      unit = unit_cycles(a_, t, latency);
    }
    if (array) run_array(start, unit);  // the folds already in flight advance, not this one
    if (overlap_next) in_flight_.push_back({tail, fold_, t});
    uint64_t busy = std::max(unit, ports_cycles(port_units_, t));
    // SCALE-Sim v2 reports a layer's last serviced cycle counted from 0: one short of its length.
    // Taken from the layer's first tile (the sum is what its report shows).
    if (scalesim_ && array && (i == 0 || t.op != last_op_) && busy) --busy;
    const uint64_t end = start + busy;
    OpTiming& op = out_.ops[t.op];
    attribute_stall(t, start - end_prev_, ready_[i % 3] >= drained, op);
    op.compute += busy;
    account_tile(t, op);
    // Posts that finished meanwhile are written back now; then this tile's fold completes (a
    // vector tile's ends here too); a layer's last tile waits for its posts (the next layer's
    // loads may read what they write).
    uint64_t ctrl = end;
    while (!posts_.empty() && posts_.front().finish <= end) retire_post(ctrl);
    if (!overlap_next && t.fold_end) complete_fold(end, t, fold_);
    const bool op_end = !next || next->op != t.op;
    if (op_end && !posts_.empty()) {
      while (!posts_.empty()) retire_post(ctrl);
      posts_waited_ = ctrl;
    }
    sdone_[i % 2] = std::max(end, store_done_);
    if (deferred_) {  // tile i+1's load reads what tile i wrote
      ready_[(i + 1) % 3] = ch_.serve(ctrl, win_[(i + 1) % 3].load_bytes(), true);
      deferred_ = false;
    }
    if (load_next) {
      const bool posts_beside = net_.ops[t.op].beside_ops > 0;
      if (load_next->after_previous || ((overlap_next || posts_beside) && load_next->op != t.op))
        deferred_ = true;
      else
        ready_[(i + 2) % 3] = ch_.serve(ctrl, load_next->load_bytes(), true);
    }
    ctrl_ = ctrl;
    end_prev_ = end;
    last_op_ = t.op;
  }

  /// The array steps `k` cycles from `from`: folds in flight that complete meanwhile (in the
  /// order they entered) are written back at that cycle.
  void run_array(uint64_t from, uint64_t k) {
    array_time_ += static_cast<int64_t>(k);
    while (!in_flight_.empty() && in_flight_.front().left <= k) {
      const InFlight f = in_flight_.front();
      in_flight_.pop_front();
      complete_fold(from + f.left, f.tile, f.fold);
    }
    for (InFlight& f : in_flight_) f.left -= k;
  }

  /// Fold `fold`, whose last tile is `t`, has its results in the buffer at `at`: written back
  /// then, or first handed to the vector unit for its post-ops beside the array.
  void complete_fold(uint64_t at, const Tile& t, int64_t fold) {
    if (t.post_work) {
      const uint64_t lanes = static_cast<uint64_t>(a_.vector_lanes);
      const uint64_t cycles = t.post_work / lanes + (t.post_work % lanes ? 1 : 0);
      auto operands = operands_ready_.find(fold);
      const uint64_t ready = operands == operands_ready_.end() ? 0 : operands->second;
      if (operands != operands_ready_.end()) operands_ready_.erase(operands);
      vector_free_ = std::max({at, vector_free_, ready}) + cycles;  // the unit takes them in order
      posts_.push_back({fold, vector_free_, cycles, t.dram_write, t.op});
      return;
    }
    if (!t.dram_write) return;
    store_done_ = ch_.serve(at, t.dram_write, false);
    fold_store_[fold] = store_done_;
  }

  /// The oldest post is written back once finished; the controller (at `now`) waits for it.
  void retire_post(uint64_t& now) {
    const Post p = posts_.front();
    posts_.pop_front();
    now = std::max(now, p.finish);
    out_.ops[p.op].beside += p.cycles;
    if (!p.write) return;
    store_done_ = ch_.serve(now, p.write, false);
    fold_store_[p.fold] = store_done_;
  }

  struct InFlight {
    uint64_t left;  ///< array cycles until its last result is in the buffer
    int64_t fold;
    Tile tile;  ///< its last tile
  };
  struct Post {
    int64_t fold;
    uint64_t finish, cycles;  ///< when the vector unit is done with it, and its cycles
    uint64_t write;           ///< bytes of its write-back
    uint32_t op;
  };

  const ArchConfig& a_;
  const LoweredNetwork& net_;
  Channel ch_;
  NetworkTiming& out_;
  const uint64_t port_units_;
  const bool scalesim_;
  const bool overlapped_ = a_.schedule == FoldSchedule::Overlapped;
  std::deque<InFlight> in_flight_;
  std::deque<Post> posts_;
  std::map<int64_t, uint64_t> operands_ready_;  ///< by fold: when its post-ops' other operands are in SRAM
  uint64_t vector_free_ = 0;                    ///< when the vector unit has done every post handed to it
  uint64_t ctrl_ = 0;                           ///< when the controller was done with the last tile's end
  uint64_t posts_waited_ = 0;  ///< when it finished waiting for a layer's posts (bounds the next tile's drain)
  std::map<int64_t, uint64_t> fold_store_;  ///< when each fold's write-back is done
  int64_t fold_ = -1;                       ///< folds begun (array and vector), as the controller numbers them
  int64_t array_time_ = 0;                  ///< cycles the array has stepped
  int64_t last_beat_ = -1;                  ///< OS: the array cycle the previous fold's last beat entered
  uint64_t store_done_ = 0;                 ///< when the latest write-back is done
  Tile win_[3];
  uint64_t ready_[3] = {0, 0, 0};  ///< when each windowed tile's data is in SRAM
  uint64_t sdone_[2] = {0, 0};     ///< when tile i's writes are done, for tile i+2
  uint64_t end_prev_ = 0;
  uint64_t n_ = 0;
  uint32_t last_op_ = 0;
  bool deferred_ = false;  ///< the next tile's load waits for the running tile's write
};

class AnalyticFidelity final : public Fidelity {
 public:
  std::string name() const override { return "analytic"; }
  std::string summary() const override {
    return "closed-form recurrence over tiles, equal to the SystemC model's cycles";
  }
  bool computes_values() const override { return false; }
  NetworkTiming run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions&) override {
    return analytic_network(arch, net);
  }
};

}  // namespace

NetworkTiming analytic_network(const ArchConfig& arch, const LoweredNetwork& net) {
  check_lowered_for(arch, net);
  if (arch.conventions == Conventions::ScaleSim && arch.schedule != FoldSchedule::NoOverlap)
    fail_input(arch.file, "", "conventions",
               "scalesim describes SCALE-Sim's folds, which never overlap: use schedule no_overlap");
  for (const auto& op : net.ops)
    if (op.placement == OpPlacement::Array) analytic_gemm(arch, op);  // precision and overflow checks
  NetworkTiming out;
  out.ops.resize(net.ops.size());
  Recurrence rec(arch, net, out);
  plan_network(
      arch, net, [&](const Tile& t) { rec.push(t); }, &out.plans);
  rec.finish();
  return out;
}

BITSYS_REGISTER_FIDELITY(AnalyticFidelity);

}  // namespace bitsys
