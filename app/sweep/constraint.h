// Constraint expressions of sweep specs: "rows * cols <= 4096", "pe.kind != 'int8'",
// "buffers.ifmap_kib >= 2 * buffers.filter_kib". Numbers, field paths, quoted strings,
// + - * / and parentheses, one comparison (< <= > >= == !=).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace bitsys {

using FieldValue = std::variant<double, std::string>;
/// Looks a field path up in a point; throws std::invalid_argument for an unknown path.
using FieldLookup = std::function<FieldValue(const std::string& path)>;

class Constraint {
 public:
  /// Parses `text`; std::invalid_argument with the position on a syntax error.
  explicit Constraint(const std::string& text);
  ~Constraint();
  Constraint(Constraint&&) noexcept;
  bool holds(const FieldLookup& lookup) const;
  /// Every field path the expression reads.
  const std::vector<std::string>& fields() const;
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::unique_ptr<Node> root_;
  std::vector<std::string> fields_;
};

}  // namespace bitsys
