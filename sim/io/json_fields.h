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

  /// Whether the key is present (and, either way, a key this format knows).
  bool has(const std::string& key);
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
  /// Refuses every key no getter asked for, suggesting the known key it may be a typo of.
  void finish() const;

  [[noreturn]] void fail(const std::string& field, const std::string& what) const;
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& obj_;
  std::string file_, where_;
  std::set<std::string> seen_;  ///< keys the format asked about, present or not

  /// A present key nobody asked about that looks like a typo of `key`; "" when none.
  std::string typo_of(const std::string& key) const;
};

/// A bitsys JSON file: an object with a "name" (required unless told otherwise) and free-text
/// "notes"; every format (architectures, workloads, plans, sweep specs) opens this way.
class JsonDocument {
 public:
  /// Parses `text` read from `file`; `where` names the top level in messages ("arch", "study").
  JsonDocument(const std::string& text, const std::string& file, const std::string& where, bool name_required = true);
  /// Reads and parses a file.
  static JsonDocument load(const std::string& path, const std::string& where, bool name_required = true);
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  const nlohmann::json& root() const { return root_; }
  JsonFields& fields() { return fields_; }
  const std::string& name() const { return name_; }

 private:
  nlohmann::json root_;
  JsonFields fields_;
  std::string name_;
};

}  // namespace bitsys
