#include "sim/io/input_error.h"

#include <sys/stat.h>
#include <fstream>
#include <sstream>

namespace bitsys {

void fail_input(const std::string& file, const std::string& where, const std::string& field, const std::string& what) {
  std::string msg = file.empty() ? std::string() : file + ": ";
  if (!where.empty()) msg += where + ": ";
  if (!field.empty()) msg += "field '" + field + "': ";
  throw InputError(msg + what);
}

std::string read_text_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) fail_input(path, "", "", "no such file");
  if (S_ISDIR(st.st_mode)) fail_input(path, "", "", "is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_input(path, "", "", "cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace bitsys
