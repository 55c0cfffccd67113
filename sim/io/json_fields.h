// Strict reading of one JSON object: typed getters with ranges, errors that name file, place and
// field, and unknown keys refused (a typo must not silently fall back to a default).
#pragma once
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace bitsys {

/// Parses text as JSON; InputError naming the file and the position on malformed input.
nlohmann::json parse_json(const std::string& text, const std::string& file);

class JsonFields {
 public:
  /// where: "layer 'conv1'", "arch" ... used in messages.
  JsonFields(const nlohmann::json& obj, std::string file, std::string where);

  bool has(const std::string& key) const;
  int64_t integer(const std::string& key, int64_t lo, int64_t hi);
  int64_t integer(const std::string& key, int64_t lo, int64_t hi, int64_t fallback);
  double number(const std::string& key, double lo, double hi, double fallback);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key);
  std::string string(const std::string& key, const std::string& fallback);
  /// The raw value (marks the key as known); throws when required and absent.
  const nlohmann::json& raw(const std::string& key);
  /// Marks a key as known without reading it.
  void accept(const std::string& key) { seen_.insert(key); }
  /// Refuses every key no getter asked for.
  void finish() const;

  [[noreturn]] void fail(const std::string& field, const std::string& what) const;
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& obj_;
  std::string file_, where_;
  std::set<std::string> seen_;
};

}  // namespace bitsys
