// bitsys import-onnx: a quantized ONNX graph as a bitsys workload, with its integer weights and
// trained per-channel parameters as the .npy files `run --tensors` reads. The importer is Python
// (Debian's python3-onnx reads the protobuf; analysis/onnx_import.py has the mapping); this
// command starts it with an argument vector and a time limit and turns its one-line refusals
// into bitsys's (exit code 2, nothing written).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\n");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

static int cmd_import_onnx(const std::vector<std::string>& args) {
  std::string model, out, tensors, input;
  double timeout = 600;
  po::options_description d("bitsys import-onnx options");
  // clang-format off
  d.add_options()
      ("model", po::value(&model)->required(), "the quantized ONNX model (QDQ or integer ops)")
      ("out,o", po::value(&out)->required(), "the workload JSON to write")
      ("tensors", po::value(&tensors), "folder for <layer>.weights.npy and <layer>.{scale,bias,slope,shift}.npy")
      ("input", po::value(&input), "a float .npy for the graph's input, quantized as the graph does (needs --tensors)")
      ("timeout", po::value(&timeout)->default_value(600), "seconds the importer may take");
  // clang-format on
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys import-onnx MODEL.onnx --out NET.json [--tensors DIR] [--input X.npy]", d, vm,
                     pos))
    return 0;
  std::vector<std::string> argv = {"/usr/bin/python3", data_path("analysis/onnx_import.py"), model, "--out", out};
  if (!tensors.empty()) argv.insert(argv.end(), {"--tensors", tensors});
  if (!input.empty()) argv.insert(argv.end(), {"--input", input});
  char dir[] = "/tmp/bitsys-import-XXXXXX";
  if (!mkdtemp(dir)) throw std::runtime_error("cannot create a temporary folder");
  const std::string log = std::string(dir) + "/out.log", err = std::string(dir) + "/err.log";
  const ProgramRun run = run_program(argv, timeout, log, err);
  std::remove(log.c_str());
  std::remove(err.c_str());
  rmdir(dir);
  // Warnings (requantizations that are not exact) come before the result or the refusal.
  const std::string errors = run.errors;
  if (run.exit_code == 2) {
    const std::string line = last_line(errors);
    if (errors.size() > line.size() + 1) std::cerr << errors.substr(0, errors.size() - line.size() - 1) << "\n";
    throw InputError(line);
  }
  std::cerr << errors;
  if (!run.ok()) throw std::runtime_error(run.failure("the ONNX importer (analysis/onnx_import.py)"));
  std::cout << run.output;
  return 0;
}

BITSYS_REGISTER_COMMAND(import_onnx, "import-onnx",
                        "a quantized ONNX model as a workload with its weights and trained parameters",
                        cmd_import_onnx);

}  // namespace bitsys
