// A one-line progress indicator on a terminal's stderr; silent when stderr is not a terminal.
#pragma once
#include <string>

#include "sim/engine/runner.h"

namespace bitsys {

/// A Progress callback that redraws "label [done/total] layer" in place.
Progress terminal_progress(const std::string& label, bool enabled);

}  // namespace bitsys
