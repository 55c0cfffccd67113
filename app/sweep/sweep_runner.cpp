#include "app/sweep/sweep_runner.h"

#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "sim/cost/energy.h"
#include "sim/engine/runner.h"
#include "sim/io/atomic_file.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"
#include "sim/pe/pe_kind.h"
#include "sim/timing/analytic.h"

namespace bitsys {

namespace {

/// The complete lines of a results file; a torn last line (no newline) is cut off the file.
std::vector<std::string> read_results(const std::string& path, bool repair) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  if (!in) return lines;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  size_t start = 0, end;
  while ((end = text.find('\n', start)) != std::string::npos) {
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (start < text.size() && repair && truncate(path.c_str(), static_cast<off_t>(start)) != 0)
    fail_input(path, "", "", "cannot repair a torn last line");
  return lines;
}

struct ResultLine {
  std::string text;
  bool error = false;  ///< the combination is not a valid configuration
};

ResultLine result_line(const SweepSpec& spec, uint64_t index, uint64_t combo, const std::vector<Network>& raw,
                       const std::vector<LoweredNetwork>& nets) {
  bool error = false;
  nlohmann::json j;
  j["id"] = spec.id_of(combo);
  j["index"] = index;
  const LoweredNetwork* net_p = &nets[spec.workload_of(combo)];
  j["workload"] = net_p->name;
  j["params"] = spec.params_of(combo);
  try {
    const ArchConfig a = spec.arch_of(combo);
    LoweredNetwork relowered;  // a point whose output stage fuses other ops than the base's
    if (!lowered_for(*net_p, a)) net_p = &(relowered = lower_for(raw[spec.workload_of(combo)], a));
    const LoweredNetwork& net = *net_p;
    uint64_t cycles, array = 0, vector = 0, stall = 0, dram;
    const CostModel cost = cost_model(a, load_tech(a.tech));
    Energy energy;
    double useful = 0;
    for (const auto& op : net.ops)
      if (op.placement == OpPlacement::Array) useful += static_cast<double>(op.macs) * a.pe->passes(op.act, op.weights);
    if (spec.fidelity == "analytic") {
      const NetworkTiming t = analytic_network(a, net);
      for (size_t i = 0; i < net.ops.size(); ++i) {
        (net.ops[i].placement == OpPlacement::Array ? array : vector) += t.ops[i].compute;
        stall += t.ops[i].stall;
      }
      cycles = t.total_cycles;
      dram = t.dram_read + t.dram_written;
      energy = network_energy(cost, a, net, t);
    } else {
      RunOptions o;
      o.fidelity = spec.fidelity;
      const RunResult r = run_network(a, net, o);
      cycles = r.total_cycles;
      array = r.array_cycles();
      vector = r.vector_cycles();
      stall = r.stall_cycles();
      dram = r.dram_read + r.dram_written;
      energy = run_cost(r, load_tech(a.tech)).total;
    }
    j["pe_kind"] = a.pe_name();
    j["pes"] = a.rows * a.cols;
    j["cycles"] = cycles;
    j["array_cycles"] = array;
    j["vector_cycles"] = vector;
    j["stall_cycles"] = stall;
    j["dram_bytes"] = dram;
    j["macs"] = net.total_macs;
    j["utilization"] = cycles ? useful / (static_cast<double>(cycles) * a.rows * a.cols * a.lanes) : 0;
    j["milliseconds"] = static_cast<double>(cycles) / (a.clock_mhz * 1e3);
    const double seconds = static_cast<double>(cycles) / (a.clock_mhz * 1e6), joules = energy.total_pj() * 1e-12;
    j["tech"] = cost.tech_name;
    j["area_mm2"] = cost.area_mm2();
    j["energy_j"] = joules;
    j["energy_per_inference_j"] = joules / static_cast<double>(net.batch > 0 ? net.batch : 1);
    j["power_w"] = seconds > 0 ? joules / seconds : 0;
    j["edp_js"] = joules * seconds;
  } catch (const InputError& e) {
    j["error"] = e.what();
    error = true;
  }
  return {j.dump() + "\n", error};
}

}  // namespace

SweepSummary run_sweep(const SweepSpec& spec, const SweepOptions& opt, const SweepProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (opt.shards < 1 || opt.shard < 0 || opt.shard >= opt.shards)
    fail_input("", "", "--shard", "must be I/N with 0 <= I < N");
  const std::vector<uint64_t> all = spec.points();
  std::map<std::string, uint64_t> index_of;
  for (uint64_t i = 0; i < all.size(); ++i) index_of[spec.id_of(all[i])] = i;

  // Resume: what the results file already holds.
  std::set<uint64_t> done;
  for (const auto& line : read_results(opt.out, true)) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      fail_input(opt.out, "", "", "not a results file of bitsys sweep (a line is not JSON)");
    }
    const auto it = j.is_object() && j.contains("id") ? index_of.find(j["id"].get<std::string>()) : index_of.end();
    if (it == index_of.end())
      fail_input(opt.out, "", "", "holds a point that is not in " + spec.file + " (results of another sweep?)");
    if (!j.contains("error") && !j.contains("area_mm2"))  // a resumed file must rank on one set of fields
      fail_input(opt.out, "", "", "holds points without area and energy, from an older bitsys: sweep into a new file");
    done.insert(it->second);
  }

  std::vector<uint64_t> todo;
  SweepSummary s;
  for (uint64_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % static_cast<uint64_t>(opt.shards)) != opt.shard) continue;
    ++s.points;
    if (done.count(i))
      ++s.resumed;
    else
      todo.push_back(i);
  }

  std::vector<Network> raw;
  std::vector<LoweredNetwork> nets;
  for (const auto& w : spec.workloads) raw.push_back(load_workload(w));
  for (const auto& n : raw) nets.push_back(lower(n));

  if (!make_parent_directories(opt.out)) fail_input(opt.out, "", "--out", "cannot create its folder");
  const int fd = ::open(opt.out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) fail_input(opt.out, "", "", "cannot open for appending");
  std::atomic<uint64_t> next{0}, finished{0}, errors{0};
  std::mutex write_lock;
  std::string failure;
  auto worker = [&] {
    for (uint64_t k; (k = next++) < todo.size();) {
      const uint64_t i = todo[k];
      const ResultLine r = result_line(spec, i, all[i], raw, nets);
      const std::string& line = r.text;
      errors += r.error;
      std::lock_guard<std::mutex> g(write_lock);
      // One write() a line: a kill leaves whole lines (a torn one would be dropped on resume).
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) && failure.empty())
        failure = "write failed";
      ++finished;
    }
  };
  const int jobs = spec.fidelity == "systemc" ? 1 : std::max(1, opt.jobs);
  std::vector<std::thread> pool;
  for (int t = 0; t < jobs; ++t) pool.emplace_back(worker);
  while (progress && finished < todo.size()) {
    progress(s.resumed + finished, s.points,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (auto& t : pool) t.join();
  ::close(fd);
  if (!failure.empty()) fail_input(opt.out, "", "", failure);
  s.run = finished;
  s.errors = errors;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (progress) progress(s.points, s.points, s.seconds);
  return s;
}

uint64_t merge_sweep(const SweepSpec& spec, const std::vector<std::string>& inputs, const std::string& out) {
  const std::vector<uint64_t> all = spec.points();
  std::map<std::string, uint64_t> index_of;
  for (uint64_t i = 0; i < all.size(); ++i) index_of[spec.id_of(all[i])] = i;
  std::map<uint64_t, std::string> lines;
  std::vector<std::string> duplicates, foreign;
  for (const auto& in : inputs) {
    std::ifstream probe(in);
    if (!probe) fail_input(in, "", "", "no such file");
    for (const auto& line : read_results(in, false)) {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception&) {
        fail_input(in, "", "", "not a results file of bitsys sweep (a line is not JSON)");
      }
      const std::string id = j.value("id", std::string("?"));
      const auto it = index_of.find(id);
      if (it == index_of.end())
        foreign.push_back(id + " (" + in + ")");
      else if (!lines.emplace(it->second, line).second)
        duplicates.push_back(id + " (" + in + ")");
    }
  }
  std::vector<std::string> missing;
  for (uint64_t i = 0; i < all.size(); ++i)
    if (!lines.count(i)) missing.push_back(spec.id_of(all[i]));
  auto some = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size() && i < 3; ++i) s += (i ? ", " : "") + v[i];
    return s + (v.size() > 3 ? ", ..." : "");
  };
  if (!duplicates.empty() || !foreign.empty() || !missing.empty()) {
    std::string what;
    if (!duplicates.empty())
      what += std::to_string(duplicates.size()) + " duplicated point(s): " + some(duplicates) + "; ";
    if (!foreign.empty()) what += std::to_string(foreign.size()) + " point(s) not in the spec: " + some(foreign) + "; ";
    if (!missing.empty())
      what += std::to_string(missing.size()) + " of " + std::to_string(all.size()) +
              " point(s) missing: " + some(missing) + "; ";
    fail_input(spec.file, "merge", "", what + "nothing written");
  }
  std::string text;
  for (const auto& [i, line] : lines) text += line + "\n";
  write_file_atomically(out, text);
  return lines.size();
}

}  // namespace bitsys
