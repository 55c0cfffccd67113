#include "rtl/cosim/synthesis.h"

#include <cctype>
#include <sstream>
#include <stdexcept>

#include "rtl/cosim/rtl_kinds.h"
#include "rtl/cosim/yosys.h"
#include "sim/io/data_paths.h"
#include "sim/io/subprocess.h"
#include "sim/pe/pe_kind.h"

namespace bitsys {

namespace {

int kind_id(const std::string& kind) {
  const int id = rtl_kind_id(kind);
  if (id < 0) throw std::invalid_argument("no RTL for PE kind " + kind);
  return id;
}

std::map<std::string, int> cells_by_type(const std::string& stat_json, const std::string& log) {
  const auto j = nlohmann::json::parse(stat_json, nullptr, false);
  if (j.is_discarded() || !j.contains("design")) throw std::runtime_error("Yosys wrote no statistics (" + log + ")");
  std::map<std::string, int> out;
  for (const auto& [type, n] : j["design"]["num_cells_by_type"].items()) out[type] = n.get<int>();
  return out;
}

int count_matching(const std::map<std::string, int>& cells, const std::string& needle) {
  int n = 0;
  for (const auto& [type, count] : cells) {
    std::string lower = type;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower.find(needle) != std::string::npos) n += count;
  }
  return n;
}

/// The number in Yosys's "N objects." (select -count) or "(length=N)" (ltp).
int number_after(const std::string& text, const std::string& marker, const std::string& log) {
  const auto at = text.find(marker);
  const std::string rest = at == std::string::npos ? "" : text.substr(at + marker.size());
  if (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest[0])))
    throw std::runtime_error("Yosys wrote no count after '" + marker + "' (" + log + ")");
  return std::stoi(rest);
}

}  // namespace

std::string SynthDesign::name() const {
  return (rows
              ? "array_" + kind + "_" + std::to_string(rows) + "x" + std::to_string(cols) + "_L" + std::to_string(lanes)
              : "pe_" + kind + "_L" + std::to_string(lanes)) +
         (overlapped ? "_overlapped" : "");
}

std::vector<SynthDesign> default_synth_designs() {
  std::vector<SynthDesign> out;
  for (const char* k : kRtlKinds) {
    const PeKind& kind = *find_pe_kind(k);
    const int d = kind.default_lanes(), m = kind.max_lanes();
    // The default, and two others spread over the kind's range.
    const int others[2] = {d == 1 ? 2 : std::max(1, d / 4), d == m ? std::max(1, d / 2) : m};
    for (bool overlapped : {false, true}) {
      out.push_back({k, d, 0, 0, "", overlapped});
      for (int l : others) out.push_back({k, l, 0, 0, "", overlapped});
    }
  }
  out.push_back({"int8", 1, 4, 4});
  out.push_back({"int8", 1, 4, 4, "", true});
  return out;
}

SynthFigures synthesize(const SynthDesign& d, const std::string& workdir, double timeout_s) {
  const std::string rtl = yosys_word(data_path("rtl"), "synth");
  std::string pe_file = rtl + "/bitsys_pe_" + d.kind + ".v", pe = "bitsys_pe_" + d.kind;
  if (!d.verilog.empty()) {
    pe_file = yosys_word(d.verilog, "synth");
    pe = pe_file.substr(pe_file.find_last_of('/') + 1);
    pe.resize(pe.size() - 2);  // ".v"
  }
  const std::string top = d.rows ? "bitsys_systolic_array" : pe;
  const std::string dir = workdir + "/" + d.name();
  if (!make_directories(dir)) throw std::runtime_error("cannot create " + dir);
  const std::string word_json = dir + "/word.json", mul9 = dir + "/mul9.txt", gate_json = dir + "/gates.json",
                    ltp = dir + "/ltp.txt";
  std::ostringstream s;
  s << "read_verilog " << (d.overlapped ? "-DBITSYS_OVERLAP " : "") << "-I " << rtl << " " << pe_file;
  if (d.rows) s << " " << rtl << "/bitsys_systolic_array.v";
  s << "\nchparam -set LANES " << d.lanes;
  if (d.rows) s << " -set KIND " << kind_id(d.kind) << " -set ROWS " << d.rows << " -set COLS " << d.cols;
  s << " " << top << "\n"
    << "hierarchy -check -top " << top
    << "\n"
    // Word level: what the RTL asks for, before any cell is mapped to gates.
    << "proc\nflatten\nopt\nwreduce\n"
    << "tee -q -o " << word_json << " stat -json\n"
    << "tee -q -o " << mul9
    << " select -count t:$mul r:A_WIDTH<=9 %i r:B_WIDTH<=9 %i\n"
    // Gate level: Yosys's generic synthesis, mapped by ABC to 2-input CMOS gates.
    << "synth -top " << top << " -flatten -run coarse:\n"
    << "abc -g cmos2\nopt_clean\n"
    << "tee -q -o " << gate_json << " stat -json -tech cmos\n"
    << "tee -q -o " << ltp << " ltp -noff\n";
  const ProgramRun run = run_yosys_script(dir, "synth", s.str(), timeout_s);
  const std::string log = dir + "/synth.log";
  if (!run.ok()) throw std::runtime_error(d.name() + ": " + run.failure("yosys") + " (log: " + log + ")");

  SynthFigures f;
  f.design = d;
  f.word_cells = cells_by_type(read_file_or_empty(word_json), log);
  f.gate_cells = cells_by_type(read_file_or_empty(gate_json), log);
  f.multipliers = f.word_cells.count("$mul") ? f.word_cells.at("$mul") : 0;
  f.multipliers_9x9 = number_after(read_file_or_empty(mul9), "", log);
  f.latches = count_matching(f.word_cells, "latch") + count_matching(f.gate_cells, "latch");
  f.flip_flops = count_matching(f.gate_cells, "dff");
  const auto gates = nlohmann::json::parse(read_file_or_empty(gate_json), nullptr, false);
  f.transistors = std::stol(gates["design"]["estimated_num_transistors"].get<std::string>());
  f.tool = gates.value("creator", "Yosys");
  f.longest_path = number_after(read_file_or_empty(ltp), "(length=", log);
  return f;
}

std::vector<std::string> synth_check_failures(const SynthFigures& f) {
  std::vector<std::string> out;
  const std::string n = f.design.name();
  if (f.latches) out.push_back(n + ": " + std::to_string(f.latches) + " latch cells");
  if (f.design.kind != "int8" && f.multipliers)
    out.push_back(n + ": " + std::to_string(f.multipliers) + " multipliers in a " + f.design.kind + " PE");
  if (f.design.kind == "int8" && f.multipliers != f.multipliers_9x9)
    out.push_back(n + ": " + std::to_string(f.multipliers - f.multipliers_9x9) + " multipliers wider than 9 x 9");
  return out;
}

nlohmann::json to_json(const std::vector<SynthFigures>& figures) {
  nlohmann::json designs = nlohmann::json::array();
  for (const auto& f : figures) {
    nlohmann::json j;
    j["name"] = f.design.name();
    j["kind"] = f.design.kind;
    j["lanes"] = f.design.lanes;
    j["rows"] = f.design.rows ? f.design.rows : 1;
    j["cols"] = f.design.cols ? f.design.cols : 1;
    j["overlapped"] = f.design.overlapped;
    j["word_cells"] = f.word_cells;
    j["multipliers"] = f.multipliers;
    j["multipliers_9x9"] = f.multipliers_9x9;
    j["latches"] = f.latches;
    j["gate_cells"] = f.gate_cells;
    j["flip_flops"] = f.flip_flops;
    j["logic_transistors"] = f.transistors;
    j["logic_nand2_equivalents"] = f.transistors / 4;  // a 2-input NAND is 4 transistors
    j["longest_path_levels"] = f.longest_path;
    designs.push_back(j);
  }
  return {{"tool", figures.empty() ? "" : figures.front().tool},
          {"flow",
           "proc; flatten; opt; wreduce (word level) | synth -flatten -run coarse:; abc -g cmos2; opt_clean (gates) | "
           "stat -tech cmos; ltp -noff"},
          {"command", "bitsys synth --out rtl/synth.json"},
          {"designs", designs}};
}

}  // namespace bitsys
