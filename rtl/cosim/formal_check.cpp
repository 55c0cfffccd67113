#include "rtl/cosim/formal_check.h"

#include <chrono>
#include <sstream>
#include <vector>

#include "rtl/cosim/yosys.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"

namespace bitsys {

namespace {

std::string quoted(const std::string& s) {
  return yosys_word(s, "--formal");
}

/// Both designs read, renamed gold (the reference) and gate (the user's), at LANES, in a miter.
std::string miter_of(const PeKind& kind, int lanes, const std::string& verilog, const std::string& top) {
  const std::string rtl = data_path("rtl");
  const std::string ref = "bitsys_pe_" + kind.name();
  std::ostringstream s;
  s << "read_verilog -sv -I " << quoted(rtl) << " " << quoted(rtl + "/" + ref + ".v") << "\n"
    << "rename " << ref << " gold\n"
    << "read_verilog -sv -I " << quoted(folder_of(verilog)) << " -I " << quoted(rtl) << " " << quoted(verilog) << "\n"
    << "rename " << top << " gate\n"
    << "chparam -set LANES " << lanes << " gold gate\n"
    << "proc\nopt_clean\n"
    // One module comparing every output, with the logic both designs share merged.
    << "miter -equiv -flatten -make_outputs gold gate miter\nhierarchy -top miter\nflatten\nopt -fast\n";
  return s.str();
}

/// Yosys's table of a SAT model, reduced to the inputs of each cycle: "cycle 1: h_in=0x... en=1 ...".
std::string inputs_per_cycle(const std::string& log) {
  std::istringstream in(log);
  std::string line, out, cycle;
  for (std::string l; std::getline(in, l);) {
    std::istringstream f(l);
    std::string step, name, dec, hex, bin;
    if (!(f >> step >> name >> dec >> hex >> bin) || name.rfind("\\in_", 0) != 0 || name == "\\in_clk") continue;
    if (step != cycle) {
      if (!cycle.empty()) out += line + "\n";
      cycle = step;
      line = "  cycle " + step + ":";
    }
    // Binary digits to hex: Yosys prints "--" in the hex column of wide signals.
    std::string hexd;
    unsigned acc = 0;
    const size_t lead = (4 - bin.size() % 4) % 4;
    std::string padded = std::string(lead, '0') + bin;
    for (size_t i = 0; i < padded.size(); ++i) {
      acc = acc * 2 + (padded[i] == '1');
      if (i % 4 == 3) {
        hexd += "0123456789abcdef"[acc];
        acc = 0;
      }
    }
    const size_t nz = hexd.find_first_not_of('0');
    line +=
        " " + name.substr(4) + "=" + (bin.size() == 1 ? bin : "0x" + (nz == std::string::npos ? "0" : hexd.substr(nz)));
  }
  if (!cycle.empty()) out += line + "\n";
  return out;
}

}  // namespace

FormalResult prove_pe_equivalent(const PeKind& kind, int lanes, const std::string& verilog, const std::string& top,
                                 const FormalOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  FormalResult r;
  const std::string vcd = opt.vcd.empty() ? opt.workdir + "/" + top + "-counterexample.vcd" : opt.vcd;
  auto run_yosys = [&](const std::string& name, const std::string& script) {
    return run_yosys_script(opt.workdir, name, script, opt.timeout_s);
  };

  // 1. A counterexample within bmc_cycles of reset: both designs start with every register 0
  //    (what reset gives), every input is free on every cycle.
  const std::string sat_log = opt.workdir + "/bmc-model.log";
  std::ostringstream bmc;
  bmc << miter_of(kind, lanes, verilog, top) << "tee -o " << quoted(sat_log) << " sat -seq " << opt.bmc_cycles
      << " -prove trigger 0 -set-init-zero -show-inputs -dump_vcd " << quoted(vcd) << " miter\n";
  const ProgramRun b = run_yosys("bmc", bmc.str());
  if (b.timed_out) {
    r.detail = "after " + std::to_string(static_cast<int>(elapsed())) + " s: the search for a counterexample within " +
               std::to_string(opt.bmc_cycles) + " cycles did not finish";
    r.seconds = elapsed();
    return r;
  }
  const std::string model = read_file_or_empty(sat_log);
  if (model.find("SAT proof finished - model found") != std::string::npos) {
    r.verdict = FormalResult::kDiffers;
    r.counterexample = inputs_per_cycle(model);
    r.vcd = vcd;
    r.detail = "a counterexample within " + std::to_string(opt.bmc_cycles) + " cycles of reset";
    r.seconds = elapsed();
    return r;
  }
  if (!b.ok() || model.find("SAT proof finished - no model found") == std::string::npos) {
    r.detail = b.failure("yosys") + " (log: " + opt.workdir + "/bmc.log)";
    r.seconds = elapsed();
    return r;
  }

  // 2. Equal on every cycle: k-induction on the same miter (outputs equal for k cycles from any
  //    state imply equal on the next), after structural hashing merges the logic the two share.
  const std::string proof_log = opt.workdir + "/proof-model.log";
  std::ostringstream proof;
  proof << miter_of(kind, lanes, verilog, top) << "tee -o " << quoted(proof_log)
        << " sat -tempinduct -prove trigger 0 -set-init-zero -maxsteps " << opt.bmc_cycles << " miter\n";
  const ProgramRun p = run_yosys("proof", proof.str());
  const std::string status = read_file_or_empty(proof_log);
  r.seconds = elapsed();
  const std::string no_cex = "no counterexample within " + std::to_string(opt.bmc_cycles) + " cycles of reset";
  if (p.timed_out) {
    r.detail = "after " + std::to_string(static_cast<int>(r.seconds)) + " s: " + no_cex + "; the proof did not finish";
  } else if (status.find("Induction step proven: SUCCESS!") != std::string::npos) {
    r.verdict = FormalResult::kEqual;
    r.detail = no_cex + ", and equality on every later cycle proven by induction";
  } else {
    r.detail = "after " + std::to_string(static_cast<int>(r.seconds)) + " s: " + no_cex + ", but induction up to " +
               std::to_string(opt.bmc_cycles) + " steps did not prove the rest" +
               (p.ok() || status.find("proof failed") != std::string::npos ? "" : " (" + p.failure("yosys") + ")");
  }
  return r;
}

}  // namespace bitsys
