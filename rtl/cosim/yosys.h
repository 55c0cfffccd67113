// Running Yosys on a generated script: the one place that quotes paths into Yosys's script
// language and starts it (formal equivalence, synthesis figures).
#pragma once
#include <string>

#include "sim/io/subprocess.h"

namespace bitsys {

/// A path as one word of a Yosys script. Yosys's own quoting does not reach every option (-I),
/// so a path with blanks or quotes is an InputError naming it (`what` says which use refused it).
std::string yosys_word(const std::string& path, const std::string& what);

/// Writes `script` to workdir/name.ys and runs `yosys -q -s` on it, its output in workdir/name.log.
ProgramRun run_yosys_script(const std::string& workdir, const std::string& name, const std::string& script,
                            double timeout_s);

/// The folder a path is in ("." for a bare name).
std::string folder_of(const std::string& path);

}  // namespace bitsys
