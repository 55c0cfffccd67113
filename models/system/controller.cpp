#include "models/system/controller.h"

#include <deque>
#include <map>
#include <memory>

namespace bitsys {

namespace {

const sc_core::sc_time kCycle(1, sc_core::SC_NS);

uint64_t cycles_between(const sc_core::sc_time& a, const sc_core::sc_time& b) {
  return static_cast<uint64_t>((b - a) / kCycle + 0.5);
}

std::string op_key(uint32_t op) {
  return "op " + std::to_string(op);
}
std::string kept_key(const std::string& tensor) {
  return "kept " + tensor;
}
std::string operands_key(uint64_t fold) {
  return "operands of fold " + std::to_string(fold);
}

/// Copies the bits of `spans` from one region to another (both must hold them).
bool copy_bits(Region& from, Region& to, const std::vector<Span>& spans) {
  for (const Span& s : spans) {
    const uint8_t* src = from.find(s.byte0(), s.bytes());
    uint8_t* dst = to.find(s.byte0(), s.bytes());
    if (!src || !dst) return false;
    const uint64_t n = s.bytes();
    for (uint64_t i = 0; i < n; ++i) {
      uint8_t m = 0xFF;
      if (i == 0) m &= s.first_mask();
      if (i + 1 == n) m &= s.last_mask();
      dst[i] = static_cast<uint8_t>((dst[i] & ~m) | (src[i] & m));
    }
  }
  return true;
}

}  // namespace

Controller::Controller(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(Controller);
  SC_THREAD(run);
}

void Controller::run() {
  for (;;) {
    while (!pending_) {
      sc_core::sc_pause();
      wait(kCycle);
    }
    // An exception escaping a SystemC process loses its type; carry it to the host instead.
    // The engine is not reusable afterwards (requests in flight are gone): callers exit.
    try {
      execute(*pending_);
    } catch (...) {
      pending_->failure = std::current_exception();
    }
    pending_ = nullptr;
  }
}

void Controller::execute(ControllerJob& job) {
  const std::vector<Tile>& tiles = *job.tiles;
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  const size_t n = tiles.size();
  const bool data = job.net && job.map && job.arch;
  job.stall.assign(n, 0);
  job.busy.assign(n, 0);
  job.load_bound.assign(n, true);
  SramBuffer &ifmap = *buffers[kIfmap], &filter = *buffers[kFilter], &ofmap = *buffers[kOfmap];
  std::vector<sc_core::sc_time> ends(n);
  std::vector<std::unique_ptr<DramRequest>> loads(n);
  std::vector<std::unique_ptr<DramRequest>> stores;  // every write, kept until the run ends
  std::vector<DramRequest*> last_store(n, nullptr);  // the latest write issued by each tile's end
  std::vector<TileTransfers> xfer(n);                // spans of tiles whose loads are in flight
  std::vector<std::string> a_key(n);                 // the op-lifetime region holding each tile's activations
  auto transfers = [&](size_t i) -> TileTransfers& {
    if (data) tile_transfers(*job.arch, *job.net, *job.map, tiles[i], xfer[i]);
    return xfer[i];
  };
  auto issue = [&](std::unique_ptr<DramRequest>& slot, bool read, std::vector<DramMove> moves,
                   std::function<void()> landed) {
    uint64_t bits = 0;
    for (const auto& m : moves) bits += m.spans.size();
    if (bits == 0) {  // nothing to move: done at once
      if (landed) landed();
      for (auto& m : moves) m.target();  // occupancy of empty moves
      return;
    }
    slot = std::make_unique<DramRequest>();
    slot->read = read;
    slot->moves = std::move(moves);
    slot->landed = std::move(landed);
    dram.write(slot.get());
  };
  // Tile i's operands land in its halves of the ifmap and filter buffers, and resident tensors in
  // their op-lifetime regions, when its load completes.
  std::vector<sc_core::sc_time> issued(n);  // when each tile's load was issued
  auto load = [&](size_t i) {
    const Tile& t = tiles[i];
    issued[i] = sc_core::sc_time_stamp();
    TileTransfers& x = transfers(i);
    std::vector<DramMove> moves;
    for (int b = kIfmap; b < kOfmap; ++b) {
      SramBuffer* buf = buffers[b];
      if (t.load_resident >> b & 1) {
        const std::string key = op_key(t.op);
        const uint64_t bytes = t.resident[b];
        moves.push_back({[buf, key, bytes] { return &buf->hold_resident(key, bytes); }, std::move(x.resident[b])});
      }
      if (t.fill[b] || !x.half[b].empty()) {
        const uint64_t bytes = t.fill[b];
        moves.push_back({[buf, i, bytes] { return &buf->fill_slot(i, bytes); }, std::move(x.half[b])});
      }
    }
    issue(loads[i], true, std::move(moves), nullptr);
  };
  auto wait_done = [&](DramRequest* r) {
    if (!r) return;
    while (!r->done) wait(r->done_event);
  };

  // A fold's results leave when it completes: into the ifmap buffer when the next op reads them
  // there, else written back from its ofmap slot (which is free once the write is done).
  std::map<uint64_t, DramRequest*> fold_store;  // each fold's write-back, once issued
  auto write_back = [&](size_t j, uint64_t f) {
    const Tile& t = tiles[j];
    if (!t.emits) {
      xfer[j] = TileTransfers{};
      return;
    }
    const LoweredOp* op = data ? &job.net->ops[t.op] : nullptr;
    TileTransfers& x = transfers(j);  // the fold's results and its write-back
    if (t.keep && data) {
      const TensorPlace& place = job.map->tensor(op->emits);
      Region& kept = ifmap.hold_resident(kept_key(op->emits), place.bytes());
      if (kept.bytes() == 0) {
        std::vector<Span> whole;
        SpanList l(&whole);
        tensor_spans(place, l);
        l.bytes();
        kept.assign(whole);
      }
      if (!copy_bits(ofmap.slot_of(f), kept, x.results) && job.error.empty())
        job.error = "tile " + std::to_string(j) + ": its results are not where the ofmap buffer holds them";
    }
    std::unique_ptr<DramRequest> store;
    std::vector<DramMove> moves;
    if (!x.store.empty()) moves.push_back({[&ofmap, f] { return &ofmap.slot_of(f); }, std::move(x.store)});
    issue(store, false, std::move(moves), [&ofmap, f] { ofmap.release_slot(f); });
    if (store) {
      fold_store[f] = store.get();
      stores.push_back(std::move(store));
    }
    xfer[j] = TileTransfers{};
  };
  // Post-ops beside the array: a completed fold's staged results go to the vector unit, and the
  // fold is written back once it has applied them. Finished ones are written back when the
  // controller next ends a tile; it waits for one when a fold needs its ofmap slot, and for all
  // of a layer's before the next layer's loads (which may read what they write).
  job.post_cycles.assign(n, 0);
  std::map<uint64_t, std::unique_ptr<DramRequest>> operand_loads;  // by fold: an add's other operand
  std::deque<std::unique_ptr<PostJob>> posts;
  auto complete_fold = [&](size_t j, uint64_t f) {
    if (!tiles[j].post_work) {
      write_back(j, f);
      return;
    }
    auto p = std::make_unique<PostJob>();
    p->tile = &tiles[j];
    p->fold = f;
    p->region = &ofmap.slot_of(f);
    auto operands = operand_loads.find(f);
    if (operands != operand_loads.end()) {
      p->operands = operands->second.get();
      p->operand_region = ofmap.resident(operands_key(f));
    }
    vector_work.write(VectorCommand{&tiles[j], nullptr, p.get()});
    posts.push_back(std::move(p));
  };
  auto retire_post = [&] {
    PostJob& p = *posts.front();
    while (!p.finished_by(sc_core::sc_time_stamp())) wait(p.done);
    const size_t j = static_cast<size_t>(p.tile - tiles.data());
    job.post_cycles[j] = p.cycles;
    write_back(j, p.fold);
    operand_loads.erase(p.fold);
    ofmap.release_resident(operands_key(p.fold));
    posts.pop_front();
  };
  /// Retires posts in order until `stop` holds for the oldest; true when it retired any.
  auto retire_posts_until = [&](auto stop) {
    bool any = false;
    for (; !posts.empty() && !stop(*posts.front()); any = true) retire_post();
    return any;
  };
  sc_core::sc_time posts_waited = t0;  // when a layer's last posts were retired (bounds the next tile's drain)

  // Under the overlapped schedule a layer's fold may still be in the array when the next one
  // starts: it is written back when it completes, during the next fold's commands.
  const bool overlapped = job.schedule == FoldSchedule::Overlapped;
  struct InFlight {
    size_t tile;
    uint64_t fold;
  };
  std::deque<InFlight> in_flight;
  /// Runs an array command to its end, writing back every earlier fold that completes on the way;
  /// true when the fold it feeds completed (its end, or too early). `flush`: only until one of
  /// the earlier folds completes.
  auto run_array = [&](ArrayCommand c, bool flush) {
    for (;;) {
      array_cmd.write(c);
      const ArrayDone d = array_done.read();
      c.start = false;
      const bool earlier = d.completed && !in_flight.empty();
      if (earlier) {
        complete_fold(in_flight.front().tile, in_flight.front().fold);
        in_flight.pop_front();
      }
      if (flush || d.fed_reached || (d.completed && !earlier)) return d.completed && !earlier;
      if (!d.completed) return false;  // nothing left in the array
    }
  };

  int64_t fed = 0;    // beats of the current fold its tiles have supplied so far
  int64_t fold = -1;  // index of the current fold (ofmap slots alternate by fold)
  sc_core::sc_time end_prev = t0;
  // Tile i's load is issued when tile i-2 ends, or when tile i-1 ends if it reads what tile i-1 writes.
  if (n > 0) load(0);
  // A load waits for the end of the tile before it (not the one before that) when it reads what
  // that tile writes, or, under the overlapped schedule, when the tile two back left its fold in
  // the array and the load belongs to the next op (which reads what the fold writes back).
  std::vector<bool> late(n, false);
  for (size_t k = 0; k < n; ++k) late[k] = tiles[k].after_previous;
  if (n > 1 && !late[1]) load(1);
  for (size_t i = 0; i < n; ++i) {
    const Tile& t = tiles[i];
    const LoweredOp* op = data ? &job.net->ops[t.op] : nullptr;
    const bool op_start = i == 0 || tiles[i - 1].op != t.op, op_end = i + 1 == n || tiles[i + 1].op != t.op;
    tile_ = i;
    waiting_ = true;
    // A new fold's ofmap slot is the one of two folds back: that fold must have left the array
    // (the array runs on to finish it) and been written back.
    DramRequest* slot_store = nullptr;
    sc_core::sc_time flushed = posts_waited;
    posts_waited = t0;
    if (t.fold_start && fold + 1 >= 2) {  // (a write-back may come later than its fold's tile)
      const uint64_t reuse = static_cast<uint64_t>(fold + 1 - 2);
      while (overlapped && !in_flight.empty() && in_flight.front().fold <= reuse) {
        ArrayCommand flush;
        flush.feed_until = -2;  // nothing new enters: the newest fold has all its beats in
        run_array(flush, true);
        flushed = sc_core::sc_time_stamp();
      }
      // Its post-ops must be done: meanwhile the folds still in the array drain (nothing new enters).
      bool waited = false;
      while (!posts.empty() && posts.front()->fold <= reuse) {
        PostJob& p = *posts.front();
        waited = true;
        if (overlapped && !in_flight.empty() && !p.finished_by(sc_core::sc_time_stamp())) {
          ArrayCommand drain;
          drain.feed_until = -2;
          drain.until = [&p] { return p.finished_by(sc_core::sc_time_stamp()); };
          run_array(drain, true);
          continue;
        }
        retire_post();
      }
      if (waited) flushed = sc_core::sc_time_stamp();
      auto it = fold_store.find(reuse);
      if (it != fold_store.end()) slot_store = it->second;
    }
    wait_done(loads[i].get());
    DramRequest* drained_by = i >= 2 ? last_store[i - 2] : nullptr;
    wait_done(drained_by);  // the ofmap slot this tile's fold may reuse is written back
    wait_done(slot_store);
    waiting_ = false;
    // Which wait bound the start: a request's usable time, or its issue time when nothing moved.
    const sc_core::sc_time loaded = loads[i] ? loads[i]->usable_at : issued[i];
    sc_core::sc_time drained = i >= 2 ? ends[i - 2] : t0;
    if (drained_by && drained_by->usable_at > drained) drained = drained_by->usable_at;
    if (flushed > drained) drained = flushed;
    if (slot_store && slot_store->usable_at > drained) drained = slot_store->usable_at;
    job.load_bound[i] = loaded >= drained;
    const sc_core::sc_time start = sc_core::sc_time_stamp();

    // Where this tile's data is.
    TileRegions where;
    if (!op_start)
      a_key[i] = a_key[i - 1];
    else if (t.resident[kIfmap])  // loaded whole by this op, or kept on chip by the op before
      a_key[i] = op && !(t.load_resident >> kIfmap & 1) ? kept_key(op->inputs.front()) : op_key(t.op);
    if (t.resident[kIfmap] && !a_key[i].empty()) ifmap.hold_resident(a_key[i], t.resident[kIfmap]);
    if (t.resident[kFilter]) filter.hold_resident(op_key(t.op), t.resident[kFilter]);
    where.a = a_key[i].empty() ? nullptr : ifmap.resident(a_key[i]);
    if (!where.a || where.a->bytes() == 0) where.a = ifmap.holds(i) ? &ifmap.slot_of(i) : nullptr;
    where.w = t.resident[kFilter] ? filter.resident(op_key(t.op)) : nullptr;
    if (!where.w || where.w->bytes() == 0) where.w = filter.holds(i) ? &filter.slot_of(i) : nullptr;
    if (t.fold_start) {
      ++fold;
      if (t.emits) {
        Region& r = ofmap.fill_slot(static_cast<uint64_t>(fold), t.fill[kOfmap] - t.post_load, "fold");
        if (data) {
          TileTransfers results;  // where the fold's results go
          tile_transfers(*job.arch, *job.net, *job.map, t, results);
          results.results.insert(results.results.end(), results.staged.begin(), results.staged.end());
          r.assign(results.results);
          // The post-ops' other operands stream in beside them while the fold runs (the vector
          // unit waits for them).
          const uint64_t f = static_cast<uint64_t>(fold);
          if (!results.operands.empty()) {
            Region& into = ofmap.hold_resident(operands_key(f), t.post_load);
            issue(operand_loads[f], true, {{[&into] { return &into; }, std::move(results.operands)}}, nullptr);
          }
        }
      }
    }
    if (t.emits) where.out = &ofmap.slot_of(static_cast<uint64_t>(fold));
    if (t.resident[kOfmap]) where.slab = &ofmap.hold_resident("slab " + std::to_string(t.op), t.resident[kOfmap]);
    if (t.unit == Unit::Vector && op)
      for (size_t k = 0; k < op->inputs.size(); ++k)
        where.in.push_back(t.in_mask >> k & 1 ? (ifmap.holds(i) ? &ifmap.slot_of(i) : nullptr)
                                              : ifmap.resident(kept_key(op->inputs[k])));
    if (job.on_tile) job.on_tile(i, where);

    // The buffers' ports move what the unit reads and writes while it runs; the tile ends when
    // both the unit and its ports are done.
    std::array<PortJob, kBuffers> ports;
    for (int b = 0; b < kBuffers; ++b) {
      ports[b].read = t.sram_read[b] - (b == kOfmap ? t.dram_write : 0);  // the write-back reads after the tile
      ports[b].write = t.sram_write[b] - t.dram_read[b];
      buffers[b]->start(&ports[b]);
    }
    bool overlap_next = false;
    if (t.unit == Unit::Array) {
      ArrayCommand c;
      c.start = t.fold_start;
      if (t.fold_start) {
        c.fold = job.fold_of(t);
        fed = 0;
      }
      fed += static_cast<int64_t>(t.work);
      // A middle tile ends when its beats are in the array; so does a fold's last tile when the
      // next fold of the layer follows it through the array (overlapped schedule).
      overlap_next = overlapped && t.fold_end && i + 1 < n && tiles[i + 1].unit == Unit::Array &&
                     tiles[i + 1].fold_start && tiles[i + 1].op == t.op;
      c.feed_until = t.fold_end && !overlap_next ? -1 : fed;
      const bool completed = run_array(c, false);
      if (overlap_next && completed)
        overlap_next = false;  // done as its last beat entered (1x1, no registers)
      else if (c.feed_until >= 0 && completed && job.error.empty())
        job.error = "an array fold completed during tile " + std::to_string(i) + ", before " + std::to_string(fed) +
                    " of its beats had entered the array";
    } else {
      vector_work.write(VectorCommand{&t, &where});
      vector_done.read();
    }
    for (auto& p : ports)
      while (!p.done) wait(p.done_event);
    const sc_core::sc_time end = sc_core::sc_time_stamp();
    ends[i] = end;
    job.stall[i] = cycles_between(end_prev, start);
    job.busy[i] = cycles_between(start, end);
    end_prev = end;

    // The tile's halves are free; a fold's results leave when it ends.
    loads[i].reset();
    ifmap.release_slot(i);
    filter.release_slot(i);
    retire_posts_until([&](const PostJob& p) { return !p.finished_by(end); });  // (no waiting)
    if (overlap_next)
      in_flight.push_back({i, static_cast<uint64_t>(fold)});
    else if (t.fold_end)
      complete_fold(i, static_cast<uint64_t>(fold));
    if (op_end && retire_posts_until([](const PostJob&) { return false; })) posts_waited = sc_core::sc_time_stamp();
    last_store[i] = stores.empty() ? nullptr : stores.back().get();
    if (op_end) {
      ifmap.release_resident(op_key(t.op));
      filter.release_resident(op_key(t.op));
      ofmap.release_resident("slab " + std::to_string(t.op));
      if (op)  // an input kept on chip had this op as its only reader
        for (const auto& name : op->inputs) ifmap.release_resident(kept_key(name));
    }
    if (i + 1 < n && late[i + 1]) load(i + 1);
    const bool posts_beside = op && op->beside_ops > 0;  // (its last fold's post may write what they read)
    if (i + 2 < n && (overlap_next || posts_beside) && tiles[i + 2].op != t.op) late[i + 2] = true;
    if (i + 2 < n && !late[i + 2]) load(i + 2);
    if (!overlap_next) xfer[i] = TileTransfers{};
  }
  // The run ends when the last write has left (writes are served in order).
  if (!stores.empty()) wait_done(stores.back().get());
  job.total_cycles = cycles_between(t0, sc_core::sc_time_stamp());
  for (SramBuffer* b : buffers)
    if (!b->error().empty() && job.error.empty()) job.error = b->error();
}

}  // namespace bitsys
