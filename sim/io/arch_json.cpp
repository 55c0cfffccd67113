#include "sim/io/arch_json.h"

#include <cmath>
#include <filesystem>
#include <map>

#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_loader.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {
// Arrays beyond this would need more host memory than any study here; a clear refusal beats an
// allocation failure.
constexpr int64_t kMaxSide = 4096;
}  // namespace

namespace {

/// A post-op type the output stage can apply, by name; refuses the others with the known list.
LayerType stage_op(const JsonFields& f, const std::string& field, const std::string& name) {
  const LayerTypeInfo* t = find_layer_type(name);
  if (!t || !t->stage_op)
    f.fail(field, unknown_name("output-stage op", name, OutputStageConfig::stage_op_names()) +
                      (t ? " (" + name + " is not a one-input per-channel step)" : ""));
  return t->type;
}

OutputStageConfig parse_output_stage(const nlohmann::json& j, const std::string& file) {
  JsonFields s(j, file, "arch output_stage");
  OutputStageConfig o;
  if (s.has("fuse")) {
    const nlohmann::json& list = s.raw("fuse");
    if (!list.is_array()) s.fail("fuse", "must be an array of op names (" + OutputStageConfig::stage_op_names() + ")");
    o.fused = 0;
    for (const auto& name : list) {
      if (!name.is_string()) s.fail("fuse", "must be an array of op names, got " + name.dump());
      o.fused |= 1u << static_cast<int>(stage_op(s, "fuse", name.get<std::string>()));
    }
  }
  if (s.has("latency_cycles")) {
    const nlohmann::json& lat = s.raw("latency_cycles");
    if (!lat.is_object()) s.fail("latency_cycles", "must be an object of op name -> pipeline cycles");
    JsonFields l(lat, file, "arch output_stage.latency_cycles");
    constexpr int64_t kMaxLatency = 64;  // deeper than any published output pipeline
    o.gemm_latency = static_cast<int>(l.integer("gemm", 0, kMaxLatency, 0));
    for (auto it = lat.begin(); it != lat.end(); ++it) {
      if (it.key() == "gemm") continue;
      const LayerType t = stage_op(l, it.key(), it.key());
      const int cycles = static_cast<int>(l.integer(it.key(), 0, kMaxLatency));
      // 0 is no registers: allowed for any op, so a written-out stage may lose ops from its fuse list.
      if (cycles && !o.fuses(t)) l.fail(it.key(), "has a latency but is not in output_stage.fuse");
      o.latency[static_cast<size_t>(t)] = o.fuses(t) ? cycles : 0;
    }
    l.finish();
  }
  s.finish();
  return o;
}

nlohmann::json output_stage_to_json(const OutputStageConfig& o) {
  nlohmann::json fuse = nlohmann::json::array(), lat = {{"gemm", o.gemm_latency}};
  for (int t = 0; t < kLayerTypes; ++t)
    if (o.fuses(static_cast<LayerType>(t))) {
      const char* name = layer_type_info(static_cast<LayerType>(t)).name;
      fuse.push_back(name);
      lat[name] = o.latency[static_cast<size_t>(t)];
    }
  return {{"fuse", fuse}, {"latency_cycles", lat}};
}

}  // namespace

ArchConfig parse_arch_json(const std::string& text, const std::string& file) {
  JsonDocument doc(text, file, "arch");
  JsonFields& f = doc.fields();
  ArchConfig a;
  a.file = file;
  a.name = doc.name();
  a.rows = static_cast<int>(f.integer("rows", 1, kMaxSide));
  a.cols = static_cast<int>(f.integer("cols", 1, kMaxSide));
  const std::string df = f.string("dataflow", "ws");
  const DataflowInfo* dfi = find_dataflow(df);
  if (!dfi) f.fail("dataflow", unknown_name("dataflow", df, dataflow_names()));
  a.dataflow = dfi->dataflow;
  a.clock_mhz = f.number("clock_mhz", 1e-3, 1e6, 1000.0);
  const std::string sched = f.string("schedule", "no_overlap");
  if (sched != "no_overlap" && sched != "overlapped")
    f.fail("schedule", unknown_name("schedule", sched, "no_overlap, overlapped"));
  a.schedule = sched == "overlapped" ? FoldSchedule::Overlapped : FoldSchedule::NoOverlap;
  const std::string psums = f.string("psum_policy", "fit_ofmap");
  if (psums != "fit_ofmap" && psums != "unbounded")
    f.fail("psum_policy", "unknown policy \"" + psums + "\" (known: fit_ofmap, unbounded)");
  a.psum_policy = psums == "unbounded" ? PsumPolicy::Unbounded : PsumPolicy::FitOfmap;
  const std::string conv = f.string("conventions", "bitsys");
  if (conv != "bitsys" && conv != "scalesim")
    f.fail("conventions", unknown_name("conventions", conv, "bitsys, scalesim"));
  a.conventions = conv == "scalesim" ? Conventions::ScaleSim : Conventions::Bitsys;
  if (f.has("tech")) {
    // A technology file named by an architecture: beside it first, else as given or in bitsys's data.
    a.tech = f.string("tech");
    if (a.tech.empty()) f.fail("tech", "must name a technology file (configs/tech/)");
    const std::string beside = resolve_relative(file, a.tech);
    namespace fs = std::filesystem;
    if (fs::exists(beside))
      a.tech = beside;
    else if (!fs::exists(a.tech) && !fs::exists(data_path(a.tech)))
      f.fail("tech",
             "no technology file \"" + a.tech + "\" beside the architecture, in this folder or in bitsys's data");
  }

  JsonFields pe(f.raw("pe"), file, "arch pe");
  const std::string kind = pe.string("kind");
  a.pe = find_pe_kind(kind);
  if (!a.pe) pe.fail("kind", unknown_name("PE kind", kind, pe_kind_names()));
  a.lanes = static_cast<int>(pe.integer("lanes", 1, a.pe->max_lanes(), a.pe->default_lanes()));
  pe.finish();

  if (f.has("buffers")) {
    JsonFields b(f.raw("buffers"), file, "arch buffers");
    // At least 2 bytes: each half of a double buffer must hold something.
    a.ifmap_kib = b.number("ifmap_kib", 2.0 / 1024, 1 << 20, a.ifmap_kib);
    a.filter_kib = b.number("filter_kib", 2.0 / 1024, 1 << 20, a.filter_kib);
    a.ofmap_kib = b.number("ofmap_kib", 2.0 / 1024, 1 << 20, a.ofmap_kib);
    if (b.has("port_bytes_per_cycle") && b.raw("port_bytes_per_cycle").is_string()) {
      if (b.string("port_bytes_per_cycle") != "unlimited")
        b.fail("port_bytes_per_cycle", "must be a number > 0 or \"unlimited\"");
      a.sram_port_bytes_per_cycle = 0;
    } else {
      a.sram_port_bytes_per_cycle = b.number("port_bytes_per_cycle", 1e-6, 1e9, 0);
    }
    b.finish();
  }
  if (f.has("dram")) {
    JsonFields d(f.raw("dram"), file, "arch dram");
    if (d.has("bandwidth_bytes_per_cycle") && d.raw("bandwidth_bytes_per_cycle").is_string()) {
      if (d.string("bandwidth_bytes_per_cycle") != "unlimited")
        d.fail("bandwidth_bytes_per_cycle", "must be a number > 0 or \"unlimited\"");
      a.dram_unlimited = true;
    } else {
      a.dram_bytes_per_cycle = d.number("bandwidth_bytes_per_cycle", 1e-6, 1e9, a.dram_bytes_per_cycle);
    }
    a.dram_latency_cycles = static_cast<int>(d.integer("latency_cycles", 0, 1 << 20, a.dram_latency_cycles));
    d.finish();
  }
  if (f.has("output_stage")) a.output_stage = parse_output_stage(f.raw("output_stage"), file);
  if (f.has("vector_unit")) {
    JsonFields v(f.raw("vector_unit"), file, "arch vector_unit");
    a.vector_lanes = static_cast<int>(v.integer("lanes", 1, 1 << 20, a.vector_lanes));
    const std::string sched = v.string("schedule", "turns");
    if (sched != "turns" && sched != "beside")
      v.fail("schedule", unknown_name("vector-unit schedule", sched, "turns, beside"));
    a.output_stage.beside = sched == "beside";
    v.finish();
  }
  f.finish();
  return a;
}

ArchConfig parse_scalesim_cfg(const std::string& text, const std::string& file) {
  std::map<std::string, std::pair<std::string, int>> kv;  // lower-case key -> (value, line)
  const auto all = lines(text);
  for (size_t i = 0; i < all.size(); ++i) {
    const std::string l = trim(all[i]);
    if (l.empty() || l[0] == '#' || l[0] == ';' || l[0] == '[') continue;
    const size_t sep = l.find_first_of(":=");
    if (sep == std::string::npos)
      fail_input(file, "line " + std::to_string(i + 1), "", "expected 'Key : value', got \"" + l + "\"");
    kv[lower(trim(l.substr(0, sep)))] = {trim(l.substr(sep + 1)), static_cast<int>(i + 1)};
  }
  auto integer = [&](const std::string& key, int64_t lo, int64_t hi, int64_t fallback, bool required) -> int64_t {
    auto it = kv.find(lower(key));
    if (it == kv.end()) {
      if (required) fail_input(file, "", key, "missing");
      return fallback;
    }
    long long v = 0;
    const std::string where = "line " + std::to_string(it->second.second);
    if (!parse_int(it->second.first, v)) fail_input(file, where, key, "not an integer: \"" + it->second.first + "\"");
    if (v < lo || v > hi)
      fail_input(file, where, key,
                 "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + " (got " + std::to_string(v) + ")");
    return v;
  };
  ArchConfig a;
  a.file = file;
  // SCALE-Sim does not bound partial sums by the ofmap buffer.
  a.psum_policy = PsumPolicy::Unbounded;
  a.name = kv.count("run_name") ? kv["run_name"].first : file.substr(file.find_last_of('/') + 1);
  a.rows = static_cast<int>(integer("ArrayHeight", 1, kMaxSide, 0, true));
  a.cols = static_cast<int>(integer("ArrayWidth", 1, kMaxSide, 0, true));
  a.ifmap_kib = static_cast<double>(integer("IfmapSramSzkB", 1, 1 << 20, 64, false));
  a.filter_kib = static_cast<double>(integer("FilterSramSzkB", 1, 1 << 20, 64, false));
  a.ofmap_kib = static_cast<double>(integer("OfmapSramSzkB", 1, 1 << 20, 64, false));
  const int64_t words = integer("Bandwidth", 1, 1 << 20, 10, false);
  std::string df = kv.count("dataflow") ? lower(kv["dataflow"].first) : "";
  if (df.empty()) fail_input(file, "", "Dataflow", "missing");
  const DataflowInfo* dfi = find_dataflow(df);
  if (!dfi)
    fail_input(file, "line " + std::to_string(kv["dataflow"].second), "Dataflow",
               unknown_name("dataflow", df, dataflow_names()));
  a.dataflow = dfi->dataflow;
  const std::string interface_bandwidth = kv.count("interfacebandwidth") ? kv["interfacebandwidth"].first : "CALC";
  if (interface_bandwidth != "CALC" && interface_bandwidth != "USER")
    fail_input(file, "line " + std::to_string(kv["interfacebandwidth"].second), "InterfaceBandwidth",
               "must be CALC or USER");
  // SCALE-Sim words are one byte; CALC means no bandwidth stall.
  a.dram_unlimited = interface_bandwidth != "USER";
  a.dram_bytes_per_cycle = static_cast<double>(words);
  a.dram_latency_cycles = 0;  // SCALE-Sim v2 has no DRAM latency parameter
  a.pe = find_pe_kind("int8");
  a.lanes = 1;
  return a;
}

namespace {

bool is_scalesim_cfg(const std::string& text) {
  const std::string l = lower(text);
  for (const char* marker : {"[architecture_presets]", "arrayheight", "arraywidth"})
    if (l.find(marker) != std::string::npos) return true;
  return false;
}

bool json_object_with(const std::string& text, std::initializer_list<const char*> keys) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  for (const char* k : keys)
    if (j.contains(k)) return true;
  return false;
}

}  // namespace

bool looks_like_arch_file(const std::string& text) {
  const std::string t = trim(text);
  if (!t.empty() && t.front() == '{')
    return json_object_with(t, {"pe", "rows", "dataflow"}) && !json_object_with(t, {"layers"});
  return is_scalesim_cfg(t);
}

ArchConfig load_arch(const std::string& path) {
  const std::string text = read_text_file(path);
  const std::string t = trim(text);
  if (t.empty()) fail_input(path, "", "", "file is empty");
  if (looks_like_workload_file(t) && !looks_like_arch_file(t))
    fail_input(path, "", "", "this is a workload (network), not an architecture: give it as --workload");
  if (t.front() == '{') return parse_arch_json(text, path);
  if (is_scalesim_cfg(t)) return parse_scalesim_cfg(text, path);
  fail_input(path, "", "", "unknown architecture format: expected bitsys JSON or a SCALE-Sim .cfg");
}

nlohmann::json arch_to_json(const ArchConfig& a) {
  return {{"name", a.name},
          {"rows", a.rows},
          {"cols", a.cols},
          {"dataflow", dataflow_info(a.dataflow).name},
          {"clock_mhz", a.clock_mhz},
          {"schedule", schedule_name(a.schedule)},
          {"psum_policy", psum_policy_name(a.psum_policy)},
          {"conventions", conventions_name(a.conventions)},
          {"tech", a.tech},
          {"pe", {{"kind", a.pe_name()}, {"lanes", a.lanes}}},
          {"buffers",
           {{"ifmap_kib", a.ifmap_kib},
            {"filter_kib", a.filter_kib},
            {"ofmap_kib", a.ofmap_kib},
            {"port_bytes_per_cycle", a.sram_port_bytes_per_cycle > 0 ? nlohmann::json(a.sram_port_bytes_per_cycle)
                                                                     : nlohmann::json("unlimited")}}},
          {"dram",
           {{"bandwidth_bytes_per_cycle",
             a.dram_unlimited ? nlohmann::json("unlimited") : nlohmann::json(a.dram_bytes_per_cycle)},
            {"latency_cycles", a.dram_latency_cycles}}},
          {"output_stage", output_stage_to_json(a.output_stage)},
          {"vector_unit", {{"lanes", a.vector_lanes}, {"schedule", a.output_stage.beside ? "beside" : "turns"}}}};
}

const nlohmann::json* json_at_path(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* cur = &j;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

void set_json_path(nlohmann::json& j, const std::string& path, const nlohmann::json& v) {
  nlohmann::json* cur = &j;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      (*cur)[key] = v;
      return;
    }
    if (!cur->contains(key) || !(*cur)[key].is_object()) (*cur)[key] = nlohmann::json::object();
    cur = &(*cur)[key];
    start = dot + 1;
  }
}

}  // namespace bitsys
