#include "sim/io/data_paths.h"

#include <sys/stat.h>
#include <unistd.h>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/io/input_error.h"

namespace bitsys {

namespace {

bool is_data_dir(const std::string& d) {
  struct stat st {};
  return !d.empty() && stat((d + "/workloads").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string executable_dir() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.find_last_of('/'));
}

std::string find_data_dir() {
  if (const char* env = std::getenv("BITSYS_DATA_DIR"); env && *env) {
    if (!is_data_dir(env))
      fail_input("", "", "BITSYS_DATA_DIR", std::string("\"") + env + "\" holds no bitsys data (no workloads/)");
    return env;
  }
  const std::string bin = executable_dir();
  if (is_data_dir(bin + "/../share/bitsys")) return bin + "/../share/bitsys";
  // A built binary: CMake names the source tree in a file beside it (a test binary sits one
  // folder deeper).
  for (const std::string& marker : {bin + "/bitsys-data-dir", bin + "/../bitsys-data-dir"}) {
    std::ifstream in(marker);
    std::string dir;
    if (in && std::getline(in, dir) && is_data_dir(dir)) return dir;
  }
  fail_input("", "", "",
             "cannot find bitsys's data (workloads/, configs/, analysis/, rtl/) near " + bin +
                 "; set BITSYS_DATA_DIR to the folder that holds them");
}

}  // namespace

const std::string& data_dir() {
  static const std::string dir = find_data_dir();
  return dir;
}

std::string data_path(const std::string& relative) {
  return data_dir() + "/" + relative;
}

std::string display_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  std::string root;
  try {
    root = fs::weakly_canonical(data_dir(), ec).string();
  } catch (const InputError&) {
    return path;
  }
  const std::string a = abs.string();
  if (!root.empty() && a.size() > root.size() && a.compare(0, root.size(), root) == 0 && a[root.size()] == '/')
    return a.substr(root.size() + 1);
  return path;
}

}  // namespace bitsys
