// bitsys list: what the registries hold.
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "sim/fidelity/fidelity.h"
#include "sim/ir/dataflow.h"
#include "sim/ir/layer.h"
#include "sim/pe/pe_kind.h"

namespace po = boost::program_options;

namespace bitsys {

namespace {

int cmd_list(const std::vector<std::string>& args) {
  po::options_description d("bitsys list options");
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys list   (PE kinds, dataflows, fidelities, layer types)", d, vm)) return 0;
  std::printf("PE kinds:\n");
  for (const PeKind* k : pe_kinds())
    std::printf("  %-10s lanes %d (max %d): %s\n", k->name().c_str(), k->default_lanes(), k->max_lanes(),
                k->summary().c_str());
  std::printf("dataflows:\n");
  for (const auto& df : dataflows()) std::printf("  %-10s %s\n", df.name, df.description);
  std::printf("fidelities: %s\nlayer types: %s\n", fidelity_names().c_str(), layer_type_names().c_str());
  return 0;
}

}  // namespace

BITSYS_REGISTER_COMMAND(list, "list", "list PE kinds, dataflows, fidelities and layer types", cmd_list);

}  // namespace bitsys
