// bitsys merge: the results of a sweep's shards (a cluster job array) combined into one file.
#include <cstdio>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/sweep/sweep_runner.h"
#include "sim/io/input_error.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_merge(const std::vector<std::string>& args) {
  std::string spec_path, out;
  std::vector<std::string> inputs;
  po::options_description d("bitsys merge options");
  // clang-format off
  d.add_options()
      ("spec", po::value(&spec_path)->required(), "the sweep spec the shards ran")
      ("out,o", po::value(&out)->required(), "merged results file")
      ("inputs", po::value(&inputs)->multitoken(), "shard results files");
  // clang-format on
  po::positional_options_description pos;
  pos.add("inputs", -1);
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys merge --spec SPEC --out FILE SHARD.jsonl...", d, vm, pos)) return 0;
  if (inputs.empty()) fail_input("", "", "inputs", "name the shard results files to merge");
  const SweepSpec spec = SweepSpec::load(spec_path);
  const uint64_t n = merge_sweep(spec, inputs, out);
  std::printf("merged %llu points from %zu file(s) into %s\n", static_cast<unsigned long long>(n), inputs.size(),
              out.c_str());
  return 0;
}

BITSYS_REGISTER_COMMAND(merge, "merge",
                        "combine the results of a sweep's shards, refusing duplicated or missing points", cmd_merge);

}  // namespace bitsys
