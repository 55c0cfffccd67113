#include "app/cli/progress.h"

#include <unistd.h>
#include <cstdio>

namespace bitsys {

Progress terminal_progress(const std::string& label, bool enabled) {
  if (!enabled || !isatty(STDERR_FILENO)) return {};
  return [label](size_t done, size_t total, const std::string& layer) {
    if (done == total) {
      std::fprintf(stderr, "\r\033[K");
    } else {
      std::fprintf(stderr, "\r\033[K%s [%zu/%zu] %s", label.c_str(), done + 1, total, layer.c_str());
    }
    std::fflush(stderr);
  };
}

}  // namespace bitsys
