#include "sim/io/atomic_file.h"

#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"

namespace bitsys {

void write_file_atomically(const std::string& path, const std::string& content) {
  if (!make_parent_directories(path)) fail_input(path, "", "", "cannot create its folder");
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail_input(path, "", "", std::string("cannot write: ") + std::strerror(errno));
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      fail_input(path, "", "", "write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail_input(path, "", "", std::string("cannot write: ") + std::strerror(errno));
  }
}

}  // namespace bitsys
