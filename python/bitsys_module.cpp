// The C++ half of `import bitsys` (python/bitsys/__init__.py is the other): architectures and
// workloads as objects, a run at any fidelity returning the JSON report's text (the Python side
// turns its layers into a DataFrame, so the fields are the report's own), sweeps with a progress
// callback. InputError becomes bitsys.InputError carrying the same one-line message.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdlib>
#include <iostream>
#include <systemc>

#include "app/report/report.h"
#include "app/sweep/sweep_runner.h"
#include "app/sweep/sweep_spec.h"
#include "sim/engine/runner.h"
#include "sim/io/arch_json.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/workload_json.h"
#include "sim/io/workload_loader.h"
#include "sim/lowering/lower.h"

namespace py = pybind11;
using namespace bitsys;

// libsystemc's own main() would call this; the module never runs it, but the library refers to it.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char**) {
  return 0;
}

namespace {

struct Workload {
  Network network;
  LoweredNetwork lowered;
};

Workload make_workload(Network n) {
  Workload w;
  w.lowered = lower(n);
  w.network = std::move(n);
  return w;
}

/// SystemC's reports go to stderr, as in the bitsys binary (stdout may be a notebook's output).
void report_to_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (actions & sc_core::SC_DISPLAY) std::cerr << sc_core::sc_report_compose_message(report) << "\n";
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

}  // namespace

PYBIND11_MODULE(_bitsys, m) {
  m.doc() = "bitsys: cycle-accurate systolic-array simulator (C++ core)";
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_handler(report_to_stderr);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      input_error(e.what());
    }
  });

  py::class_<ArchConfig>(m, "Arch")
      .def_static("load", &load_arch, py::arg("path"), "a bitsys JSON architecture or a SCALE-Sim .cfg")
      .def_static(
          "from_json", [](const std::string& text, const std::string& name) { return parse_arch_json(text, name); },
          py::arg("text"), py::arg("name") = "<python>")
      .def(
          "to_json", [](const ArchConfig& a) { return arch_to_json(a).dump(); }, "the configuration as JSON text")
      .def(
          "with_value",
          [](const ArchConfig& a, const std::string& path, const std::string& json_value) {
            nlohmann::json j = arch_to_json(a);
            set_json_path(j, path, nlohmann::json::parse(json_value));
            ArchConfig b = parse_arch_json(j.dump(), a.file + " with " + path);
            b.file = a.file;
            return b;
          },
          py::arg("path"), py::arg("json_value"), "a copy with one field (a sweep's path, e.g. 'pe.kind') set")
      .def_readonly("rows", &ArchConfig::rows)
      .def_readonly("cols", &ArchConfig::cols)
      .def_readonly("file", &ArchConfig::file)
      .def("summary", &ArchConfig::summary)
      .def("__repr__", [](const ArchConfig& a) { return "<bitsys.Arch " + a.summary() + ">"; });

  py::class_<Workload>(m, "Workload")
      .def_static(
          "load", [](const std::string& path) { return make_workload(load_workload(path)); }, py::arg("path"),
          "a bitsys JSON workload or a SCALE-Sim topology CSV")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& name) {
            return make_workload(parse_workload_json(text, name));
          },
          py::arg("text"), py::arg("name") = "<python>")
      .def_property_readonly("name", [](const Workload& w) { return w.lowered.name; })
      .def_property_readonly("total_macs", [](const Workload& w) { return w.lowered.total_macs; })
      .def_property_readonly("layers",
                             [](const Workload& w) {
                               std::vector<std::string> names;
                               for (const auto& op : w.lowered.ops) names.push_back(op.name);
                               return names;
                             })
      .def("__repr__", [](const Workload& w) {
        return "<bitsys.Workload " + w.lowered.name + ": " + std::to_string(w.lowered.ops.size()) + " layers>";
      });

  m.def(
      "_run",
      [](const ArchConfig& arch, const Workload& w, const std::string& fidelity, bool verify, uint64_t seed,
         const std::string& tensors, bool write_outputs,
         const std::function<void(size_t, size_t, const std::string&)>& progress) {
        RunOptions opt;
        opt.fidelity = fidelity;
        opt.verify = verify;
        opt.seed = seed;
        opt.tensors_dir = tensors;
        opt.write_outputs = write_outputs;
        Progress p;
        if (progress)
          p = [&progress](size_t done, size_t total, const std::string& layer) {
            py::gil_scoped_acquire gil;
            progress(done, total, layer);
          };
        std::string json;
        {
          py::gil_scoped_release release;
          // Lowered for this architecture's output stage and conventions when they are not the defaults.
          LoweredNetwork relowered;
          const LoweredNetwork* net = &w.lowered;
          if (!lowered_for(*net, arch)) net = &(relowered = lower_for(w.network, arch));
          const RunResult r = run_network(arch, *net, opt, p);
          Report rep;
          rep.run = &r;
          json = render_json(rep);
        }
        return json;
      },
      py::arg("arch"), py::arg("workload"), py::arg("fidelity"), py::arg("verify"), py::arg("seed"), py::arg("tensors"),
      py::arg("write_outputs"), py::arg("progress"));

  m.def(
      "_sweep",
      [](const std::string& spec_path, const std::string& out, int jobs,
         const std::function<void(uint64_t, uint64_t, double)>& progress) {
        const SweepSpec spec = SweepSpec::load(spec_path);
        SweepOptions opt;
        opt.out = out;
        opt.jobs = jobs;
        SweepProgress p;
        if (progress)
          p = [&progress](uint64_t done, uint64_t total, double seconds) {
            py::gil_scoped_acquire gil;
            progress(done, total, seconds);
          };
        SweepSummary s;
        {
          py::gil_scoped_release release;
          s = run_sweep(spec, opt, p);
        }
        py::dict d;
        d["points"] = s.points;
        d["resumed"] = s.resumed;
        d["run"] = s.run;
        d["errors"] = s.errors;
        d["seconds"] = s.seconds;
        return d;
      },
      py::arg("spec"), py::arg("out"), py::arg("jobs"), py::arg("progress"));

  m.def("data_dir", &data_dir, "the folder holding bitsys's configs/, workloads/ and analysis/");
}
