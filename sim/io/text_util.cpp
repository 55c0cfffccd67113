#include "sim/io/text_util.h"

#include <filesystem>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
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

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: insertions, deletions, substitutions, transpositions.
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t cost =
            std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]))
                ? 0
                : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[a.size()][b.size()];
  };
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    if (c == word) continue;
    const size_t dist = distance(word, c);
    if (dist < best_d) best_d = dist, best = c;
  }
  // A third of the word, at least one and at most three edits: "lanez" -> "lanes", not "rows" -> "cols".
  const size_t limit = std::min<size_t>(3, std::max<size_t>(1, word.size() / 3));
  return best_d <= limit ? best : "";
}

std::string unknown_name(const std::string& what, const std::string& name, const std::string& known_comma_list) {
  std::vector<std::string> known;
  for (const auto& k : split(known_comma_list, ',')) known.push_back(trim(k));
  const std::string guess = nearest_name(name, known);
  return "unknown " + what + " \"" + name + "\" (" + (guess.empty() ? "" : "did you mean \"" + guess + "\"? ") +
         "known: " + known_comma_list + ")";
}

bool parse_int(const std::string& s, long long& out) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();  // the whole string: an embedded NUL is not the end
}

}  // namespace bitsys
