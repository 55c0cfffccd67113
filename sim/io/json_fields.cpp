#include "sim/io/json_fields.h"

#include <cmath>

#include "sim/io/input_error.h"
#include "sim/io/text_util.h"

namespace bitsys {

nlohmann::json parse_json(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse errors, and numbers too large for a double
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] "; keep the human part.
    const auto pos = what.find("] ");
    fail_input(file, "", "", "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

JsonFields::JsonFields(const nlohmann::json& obj, std::string file, std::string where)
    : obj_(obj), file_(std::move(file)), where_(std::move(where)) {
  if (!obj_.is_object()) fail_input(file_, where_, "", "expected a JSON object");
}

bool JsonFields::has(const std::string& key) {
  seen_.insert(key);
  return obj_.contains(key);
}

std::string JsonFields::typo_of(const std::string& key) const {
  std::vector<std::string> unknown;
  for (auto it = obj_.begin(); it != obj_.end(); ++it)
    if (!seen_.count(it.key())) unknown.push_back(it.key());
  return nearest_name(key, unknown);
}

void JsonFields::fail(const std::string& field, const std::string& what) const {
  fail_input(file_, where_, field, what);
}

const nlohmann::json& JsonFields::raw(const std::string& key) {
  seen_.insert(key);
  if (!obj_.contains(key)) {
    // A typo of the key is the likelier mistake: name it rather than the key it hides.
    const std::string typo = typo_of(key);
    if (!typo.empty()) fail(typo, "unknown field (did you mean '" + key + "'?)");
    fail(key, "missing");
  }
  return obj_.at(key);
}

int64_t JsonFields::integer(const std::string& key, int64_t lo, int64_t hi) {
  const auto& v = raw(key);
  int64_t x = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) fail(key, "too large");
    x = v.get<int64_t>();
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) != d) fail(key, "must be an integer (got " + v.dump() + ")");
    if (d > 9.2e18 || d < -9.2e18) fail(key, "out of range (got " + v.dump() + ")");
    x = static_cast<int64_t>(d);
  } else {
    fail(key, "must be an integer (got " + v.dump() + ")");
  }
  if (x < lo || x > hi)
    fail(key, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + " (got " + std::to_string(x) + ")");
  return x;
}

int64_t JsonFields::integer(const std::string& key, int64_t lo, int64_t hi, int64_t fallback) {
  if (!has(key)) return fallback;
  return integer(key, lo, hi);
}

double JsonFields::number(const std::string& key, double lo, double hi, double fallback) {
  seen_.insert(key);
  if (!has(key)) return fallback;
  const auto& v = obj_.at(key);
  if (!v.is_number()) fail(key, "must be a number (got " + v.dump() + ")");
  const double d = v.get<double>();
  if (!(d >= lo && d <= hi))
    fail(key, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + " (got " + v.dump() + ")");
  return d;
}

bool JsonFields::boolean(const std::string& key, bool fallback) {
  seen_.insert(key);
  if (!has(key)) return fallback;
  const auto& v = obj_.at(key);
  if (!v.is_boolean()) fail(key, "must be true or false (got " + v.dump() + ")");
  return v.get<bool>();
}

std::string JsonFields::string(const std::string& key) {
  const auto& v = raw(key);
  if (!v.is_string()) fail(key, "must be a string (got " + v.dump() + ")");
  return v.get<std::string>();
}

std::string JsonFields::string(const std::string& key, const std::string& fallback) {
  seen_.insert(key);
  if (!has(key)) return fallback;
  return string(key);
}

void JsonFields::finish() const {
  const std::vector<std::string> known(seen_.begin(), seen_.end());
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    if (seen_.count(it.key())) continue;
    const std::string guess = nearest_name(it.key(), known);
    fail(it.key(), guess.empty() ? "unknown field" : "unknown field (did you mean '" + guess + "'?)");
  }
}

JsonDocument::JsonDocument(const std::string& text, const std::string& file, const std::string& where,
                           bool name_required)
    : root_(parse_json(text, file)), fields_(root_, file, where) {
  name_ = name_required ? fields_.string("name") : fields_.string("name", "");
  fields_.accept("notes");  // free text for people: sources, assumptions, choices
}

JsonDocument JsonDocument::load(const std::string& path, const std::string& where, bool name_required) {
  return JsonDocument(read_text_file(path), path, where, name_required);
}

}  // namespace bitsys
