#include "models/system/controller.h"

#include <memory>

namespace bitsys {

namespace {

const sc_core::sc_time kCycle(1, sc_core::SC_NS);

uint64_t cycles_between(const sc_core::sc_time& a, const sc_core::sc_time& b) {
  return static_cast<uint64_t>((b - a) / kCycle + 0.5);
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
  job.stall.assign(n, 0);
  job.busy.assign(n, 0);
  job.load_bound.assign(n, true);
  std::vector<sc_core::sc_time> ends(n);
  std::vector<std::unique_ptr<DramRequest>> loads(n), stores(n);
  SramBuffer& ofmap = *buffers[kOfmap];
  // A tile's operands land in its halves of the ifmap and filter buffers (and resident tensors
  // in their regions) when its load completes; its outputs occupy its ofmap half until written.
  auto land_operands = [this, &tiles](size_t i) {
    const Tile& t = tiles[i];
    for (int b = kIfmap; b < kOfmap; ++b) {
      if (t.resident[b]) buffers[b]->hold_resident(t.op, t.resident[b]);
      if (t.fill[b]) buffers[b]->fill_half(i, t.fill[b]);
    }
  };
  auto issue = [&](std::unique_ptr<DramRequest>& slot, uint64_t bytes, bool read, std::function<void()> landed) {
    if (bytes == 0) {  // nothing to move: done at once
      if (landed) landed();
      return;
    }
    slot = std::make_unique<DramRequest>();
    slot->bytes = bytes;
    slot->read = read;
    slot->landed = std::move(landed);
    dram.write(slot.get());
  };
  auto load = [&](size_t i) {
    issue(loads[i], tiles[i].load_bytes(), true, [&land_operands, i] { land_operands(i); });
  };
  auto wait_usable = [&](const std::unique_ptr<DramRequest>& r) {
    if (!r) return;
    while (!r->done) wait(r->done_event);
  };

  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  int64_t fed = 0;  // beats of the current fold its tiles have supplied so far
  sc_core::sc_time end_prev = t0;
  for (size_t i = 0; i < std::min<size_t>(2, n); ++i) load(i);
  for (size_t i = 0; i < n; ++i) {
    const Tile& t = tiles[i];
    tile_ = i;
    waiting_ = true;
    wait_usable(loads[i]);
    if (i >= 2) wait_usable(stores[i - 2]);  // the output half tile i writes into is free
    waiting_ = false;
    // Which wait bound the start: a request's usable time, or its issue time when nothing moved.
    const sc_core::sc_time issued = i >= 2 ? ends[i - 2] : t0;
    const sc_core::sc_time loaded = loads[i] ? loads[i]->usable_at : issued;
    const sc_core::sc_time drained = i >= 2 ? (stores[i - 2] ? stores[i - 2]->usable_at : ends[i - 2]) : t0;
    job.load_bound[i] = loaded >= drained;
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    if (job.on_tile) job.on_tile(i);
    for (int b = kIfmap; b < kOfmap; ++b)  // resident tensors that came with no load (kept on chip)
      if (t.resident[b]) buffers[b]->hold_resident(t.op, t.resident[b]);
    if (t.resident[kOfmap]) ofmap.hold_resident(t.op, t.resident[kOfmap]);
    if (t.fill[kOfmap]) ofmap.fill_half(i, t.fill[kOfmap]);
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
      vector_work.write(t.work);
      vector_done.read();
    }
    const sc_core::sc_time end = sc_core::sc_time_stamp();
    ends[i] = end;
    job.stall[i] = cycles_between(end_prev, start);
    job.busy[i] = cycles_between(start, end);
    end_prev = end;
    loads[i].reset();
    if (i >= 2) stores[i - 2].reset();
    for (int b = kIfmap; b < kOfmap; ++b) buffers[b]->release_half(i);
    if (i + 1 == n || tiles[i + 1].op != t.op)
      for (SramBuffer* b : buffers) b->release_resident(t.op);
    issue(stores[i], t.dram_write, false, [&ofmap, i] { ofmap.release_half(i); });
    if (i + 2 < n) load(i + 2);
  }
  // The run ends when the last write has left (writes are served in order).
  for (size_t i = n >= 2 ? n - 2 : 0; i < n; ++i) wait_usable(stores[i]);
  job.total_cycles = cycles_between(t0, sc_core::sc_time_stamp());
  for (SramBuffer* b : buffers)
    if (!b->error().empty() && job.error.empty()) job.error = b->error();
}

}  // namespace bitsys
