#include "models/system/controller.h"

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
  auto load = [&](size_t i) {
    const Tile& t = tiles[i];
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

  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  int64_t fed = 0;    // beats of the current fold its tiles have supplied so far
  int64_t fold = -1;  // index of the current fold (ofmap slots alternate by fold)
  sc_core::sc_time end_prev = t0;
  // Tile i's load is issued when tile i-2 ends, or when tile i-1 ends if it reads what tile i-1 writes.
  if (n > 0) load(0);
  if (n > 1 && !tiles[1].after_previous) load(1);
  for (size_t i = 0; i < n; ++i) {
    const Tile& t = tiles[i];
    const LoweredOp* op = data ? &job.net->ops[t.op] : nullptr;
    const bool op_start = i == 0 || tiles[i - 1].op != t.op, op_end = i + 1 == n || tiles[i + 1].op != t.op;
    tile_ = i;
    waiting_ = true;
    wait_done(loads[i].get());
    DramRequest* drained_by = i >= 2 ? last_store[i - 2] : nullptr;
    wait_done(drained_by);  // the ofmap slot this tile's fold may reuse is written back
    waiting_ = false;
    // Which wait bound the start: a request's usable time, or its issue time when nothing moved.
    const sc_core::sc_time issued = t.after_previous && i >= 1 ? ends[i - 1] : i >= 2 ? ends[i - 2] : t0;
    const sc_core::sc_time loaded = loads[i] ? loads[i]->usable_at : issued;
    sc_core::sc_time drained = i >= 2 ? ends[i - 2] : t0;
    if (drained_by && drained_by->usable_at > drained) drained = drained_by->usable_at;
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
        Region& r = ofmap.fill_slot(static_cast<uint64_t>(fold), t.fill[kOfmap], "fold");
        if (data) {
          TileTransfers results;  // where the fold's results go
          tile_transfers(*job.arch, *job.net, *job.map, t, results);
          r.assign(results.results);
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
    if (t.unit == Unit::Array) {
      ArrayCommand c;
      c.start = t.fold_start;
      if (t.fold_start) {
        c.fold = job.fold_of(t);
        fed = 0;
      }
      fed += static_cast<int64_t>(t.work);
      c.feed_until = t.fold_end ? -1 : fed;  // a middle tile ends when its beats are in the array
      array_cmd.write(c);
      const ArrayDone d = array_done.read();
      if (!t.fold_end && d.fold_finished && job.error.empty())
        job.error = "an array fold completed after " + std::to_string(d.steps) + " cycles of a middle tile, before " +
                    std::to_string(fed) + " of its beats had entered the array";
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
    std::unique_ptr<DramRequest> store;
    if (t.fold_end && t.emits) {
      const uint64_t f = static_cast<uint64_t>(fold);
      TileTransfers& x = transfers(i);  // the fold's results and its write-back
      if (t.keep && data) {             // kept on chip: into the ifmap buffer, as the next op's input
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
          job.error = "tile " + std::to_string(i) + ": its results are not where the ofmap buffer holds them";
      }
      std::vector<DramMove> moves;
      if (!x.store.empty()) moves.push_back({[&ofmap, f] { return &ofmap.slot_of(f); }, std::move(x.store)});
      issue(store, false, std::move(moves), [&ofmap, f] { ofmap.release_slot(f); });
    }
    if (store) stores.push_back(std::move(store));
    last_store[i] = stores.empty() ? nullptr : stores.back().get();
    if (op_end) {
      ifmap.release_resident(op_key(t.op));
      filter.release_resident(op_key(t.op));
      ofmap.release_resident("slab " + std::to_string(t.op));
      if (op)  // an input kept on chip had this op as its only reader
        for (const auto& name : op->inputs) ifmap.release_resident(kept_key(name));
    }
    if (i + 1 < n && tiles[i + 1].after_previous) load(i + 1);
    if (i + 2 < n && !tiles[i + 2].after_previous) load(i + 2);
    xfer[i] = TileTransfers{};
  }
  // The run ends when the last write has left (writes are served in order).
  if (!stores.empty()) wait_done(stores.back().get());
  job.total_cycles = cycles_between(t0, sc_core::sc_time_stamp());
  for (SramBuffer* b : buffers)
    if (!b->error().empty() && job.error.empty()) job.error = b->error();
}

}  // namespace bitsys
