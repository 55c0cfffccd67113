// Option handling shared by the bitsys subcommands.
#pragma once
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sim/fidelity/fidelity.h"

namespace bitsys {

/// Parses args into vm (adding --help); prints the usage and returns false when --help was given.
bool parse_options(const std::vector<std::string>& args, const char* usage,
                   boost::program_options::options_description& desc, boost::program_options::variables_map& vm,
                   const boost::program_options::positional_options_description& positional = {});
/// --fidelity, --verify, --seed, --max-pe-updates.
void add_run_options(boost::program_options::options_description& d, RunOptions& opt);
/// Fails (InputError) when an output path cannot be written, so a bad path fails before any work.
void check_output_path(const std::string& path);

}  // namespace bitsys
