#include "app/sweep/constraint.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace bitsys {

struct Constraint::Node {
  enum Kind { Number, String, Field, Binary } kind = Number;
  double number = 0;
  std::string text;  ///< string literal or field path
  std::string op;    ///< Binary: + - * / < <= > >= == !=
  std::unique_ptr<Node> lhs, rhs;
};

namespace {

using Node = Constraint::Node;

class Parser {
 public:
  Parser(const std::string& s, std::vector<std::string>& fields) : s_(s), fields_(fields) {}

  std::unique_ptr<Node> parse() {
    auto lhs = sum();
    skip();
    static const char* cmps[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (const char* c : cmps)
      if (s_.compare(i_, std::string(c).size(), c) == 0) {
        i_ += std::string(c).size();
        auto n = binary(c, std::move(lhs), sum());
        skip();
        if (i_ != s_.size()) error("unexpected text");
        return n;
      }
    error("expected a comparison (<, <=, >, >=, ==, !=)");
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    throw std::invalid_argument(what + " at character " + std::to_string(i_ + 1) + " of \"" + s_ + "\"");
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  static std::unique_ptr<Node> binary(const std::string& op, std::unique_ptr<Node> l, std::unique_ptr<Node> r) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Binary;
    n->op = op;
    n->lhs = std::move(l);
    n->rhs = std::move(r);
    return n;
  }
  std::unique_ptr<Node> sum() {
    auto n = product();
    for (skip(); i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-'); skip()) {
      const std::string op(1, s_[i_++]);
      n = binary(op, std::move(n), product());
    }
    return n;
  }
  std::unique_ptr<Node> product() {
    auto n = atom();
    for (skip(); i_ < s_.size() && (s_[i_] == '*' || s_[i_] == '/'); skip()) {
      const std::string op(1, s_[i_++]);
      n = binary(op, std::move(n), atom());
    }
    return n;
  }
  std::unique_ptr<Node> atom() {
    skip();
    if (i_ >= s_.size()) error("expected a number, field or string");
    auto n = std::make_unique<Node>();
    const char c = s_[i_];
    if (c == '(') {
      ++i_;
      n = sum();
      skip();
      if (i_ >= s_.size() || s_[i_] != ')') error("expected ')'");
      ++i_;
    } else if (c == '\'' || c == '"') {
      const size_t end = s_.find(c, i_ + 1);
      if (end == std::string::npos) error("unterminated string");
      n->kind = Node::String;
      n->text = s_.substr(i_ + 1, end - i_ - 1);
      i_ = end + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* begin = s_.c_str() + i_;
      char* end = nullptr;
      errno = 0;
      n->number = std::strtod(begin, &end);
      if (end == begin) error("expected a number");
      if (errno == ERANGE || !std::isfinite(n->number)) error("number out of range");
      i_ += static_cast<size_t>(end - begin);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.'))
        ++i_;
      n->kind = Node::Field;
      n->text = s_.substr(start, i_ - start);
      fields_.push_back(n->text);
    } else {
      error(std::string("unexpected '") + c + "'");
    }
    return n;
  }

  const std::string& s_;
  std::vector<std::string>& fields_;
  size_t i_ = 0;
};

FieldValue eval(const Node& n, const FieldLookup& look) {
  switch (n.kind) {
    case Node::Number:
      return n.number;
    case Node::String:
      return n.text;
    case Node::Field:
      return look(n.text);
    case Node::Binary:
      break;
  }
  const FieldValue l = eval(*n.lhs, look), r = eval(*n.rhs, look);
  if (n.op == "==" || n.op == "!=") {
    const bool eq = l == r;
    return (n.op == "==") == eq ? 1.0 : 0.0;
  }
  if (!std::holds_alternative<double>(l) || !std::holds_alternative<double>(r))
    throw std::invalid_argument("'" + n.op + "' needs numbers; strings only compare with == and !=");
  const double a = std::get<double>(l), b = std::get<double>(r);
  if (n.op == "+") return a + b;
  if (n.op == "-") return a - b;
  if (n.op == "*") return a * b;
  if (n.op == "/") return b == 0 ? 0.0 : a / b;
  if (n.op == "<") return a < b ? 1.0 : 0.0;
  if (n.op == "<=") return a <= b ? 1.0 : 0.0;
  if (n.op == ">") return a > b ? 1.0 : 0.0;
  return a >= b ? 1.0 : 0.0;
}

}  // namespace

Constraint::Constraint(const std::string& text) : text_(text) {
  root_ = Parser(text_, fields_).parse();
}
Constraint::~Constraint() = default;
Constraint::Constraint(Constraint&&) noexcept = default;

bool Constraint::holds(const FieldLookup& lookup) const {
  const FieldValue v = eval(*root_, lookup);
  return std::holds_alternative<double>(v) && std::get<double>(v) != 0;
}

const std::vector<std::string>& Constraint::fields() const {
  return fields_;
}

}  // namespace bitsys
