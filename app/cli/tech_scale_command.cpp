// bitsys tech-scale: a technology description for another node, produced from a source one by a
// published scaling rule (configs/tech/README.md). The committed scaled sets are its output.
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/cost/tech.h"
#include "sim/cost/tech_scale.h"
#include "sim/io/atomic_file.h"
#include "sim/io/data_paths.h"
#include "sim/io/input_error.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_tech_scale(const std::vector<std::string>& args) {
  ScaleRequest r;
  std::string out;
  po::options_description d("bitsys tech-scale options");
  // clang-format off
  d.add_options()
      ("from", po::value(&r.from)->default_value("configs/tech/45nm.json"), "source technology file")
      ("rule", po::value(&r.rule)->default_value("configs/tech/scaling.json"), "scaling rule file")
      ("node", po::value(&r.node_nm)->required(), "target node in nm")
      ("vdd", po::value(&r.vdd_v)->required(), "target supply voltage in V")
      ("name", po::value(&r.name)->required(), "name of the produced set")
      ("out,o", po::value(&out), "write the produced file here (default: stdout)");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys tech-scale --node NM --vdd V --name NAME [--out FILE]", d, vm)) return 0;
  check_output_path(out);
  if (!(r.vdd_v >= 0.1 && r.vdd_v <= 5)) fail_input("", "", "--vdd", "must be in 0.1..5 V");
  const std::string text = scale_tech(r).dump(2) + "\n";
  parse_tech(text, out.empty() ? "(the produced file)" : out);  // never write a file run would refuse
  if (out.empty())
    std::cout << text;
  else
    write_file_atomically(out, text);
  return 0;
}

BITSYS_REGISTER_COMMAND(tech_scale, "tech-scale",
                        "produce a technology file for another node by a published scaling rule", cmd_tech_scale);

}  // namespace bitsys
