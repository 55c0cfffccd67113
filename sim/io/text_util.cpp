#include "sim/io/text_util.h"

#include <filesystem>

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace bitsys {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\n') {
      std::string l = text.substr(start, i - start);
      if (!l.empty() && l.back() == '\r') l.pop_back();
      out.push_back(l);
      start = i + 1;
    }
  return out;
}

std::string resolve_relative(const std::string& base_file, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  const auto slash = base_file.find_last_of('/');
  const std::string joined = slash == std::string::npos ? path : base_file.substr(0, slash + 1) + path;
  // "plans/../../configs/x.json" reads as "configs/x.json" in every report.
  return std::filesystem::path(joined).lexically_normal().string();
}

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();  // the whole string: an embedded NUL is not the end
}

}  // namespace bitsys
