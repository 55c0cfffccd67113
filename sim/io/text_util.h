// Small text helpers for the line-based formats (SCALE-Sim CSV and .cfg).
#pragma once
#include <string>
#include <vector>

namespace bitsys {

std::string trim(const std::string& s);
std::string lower(std::string s);
std::vector<std::string> split(const std::string& s, char sep);
std::vector<std::string> lines(const std::string& text);
/// A path written inside `base_file` (a plan, a spec): relative to that file's directory.
std::string resolve_relative(const std::string& base_file, const std::string& path);
/// The candidate closest to `word` by edit distance when it is close enough to be a typo
/// ("out_channel" -> "out_channels"); "" otherwise.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);
/// 'unknown PE kind "binray" (did you mean "binary"? known: int8, binary, bitserial)'.
std::string unknown_name(const std::string& what, const std::string& name, const std::string& known_comma_list);
/// Parses a whole decimal integer; false on anything else.
bool parse_int(const std::string& s, long long& out);

}  // namespace bitsys
