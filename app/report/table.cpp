#include "app/report/table.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <sstream>

namespace bitsys {

std::string strf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string s(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, format, args);
  va_end(args);
  return s;
}

std::string with_commas(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string human_count(double v) {
  const double a = std::fabs(v);
  if (a < 1e6) return a == std::floor(a) ? with_commas(static_cast<uint64_t>(a)) : strf("%.3g", v);
  if (a < 1e9) return strf("%.3g M", v / 1e6);
  if (a < 1e12) return strf("%.3g G", v / 1e9);
  return strf("%.3g T", v / 1e12);
}

std::string human_bytes(double bytes) {
  return bytes < 1e6 ? with_commas(static_cast<uint64_t>(bytes)) + " B" : strf("%.2f MB", bytes / 1e6);
}

std::string plural(uint64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many.empty() ? one + "s" : many);
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back({std::move(cells), ""});
}

void TextTable::add_spanning_row(std::vector<std::string> leading, std::string rest) {
  rows_.push_back({std::move(leading), std::move(rest)});
}

void TextTable::print(std::ostream& os, const std::string& indent) const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) width[c] = columns_[c].header.size();
  for (const auto& r : rows_)
    if (r.span.empty())
      for (size_t c = 0; c < r.cells.size(); ++c) width[c] = std::max(width[c], r.cells[c].size());
  auto line = [&](const std::vector<std::string>& cells, const std::string& span) {
    std::string s = indent;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string& v = cells[c];
      const std::string pad(width[c] > v.size() ? width[c] - v.size() : 0, ' ');
      const bool last = c + 1 == cells.size() && span.empty();
      s += columns_[c].align == kRight ? pad + v : (last ? v : v + pad);
      if (!last) s += "  ";
    }
    s += span;
    while (!s.empty() && s.back() == ' ') s.pop_back();
    os << s << "\n";
  };
  std::vector<std::string> headers;
  for (const auto& c : columns_) headers.push_back(c.header);
  line(headers, "");
  for (const auto& r : rows_) line(r.cells, r.span);
}

std::string TextTable::markdown() const {
  std::ostringstream os;
  os << "|";
  for (const auto& c : columns_) os << " " << c.header << " |";
  os << "\n|";
  for (const auto& c : columns_) os << (c.align == kRight ? " ---: |" : " --- |");
  os << "\n";
  for (const auto& r : rows_) {
    os << "|";
    for (size_t c = 0; c < columns_.size(); ++c) {
      std::string v = c < r.cells.size() ? r.cells[c] : "";
      if (c == r.cells.size() && !r.span.empty()) v = r.span;
      os << " " << v << " |";
    }
    os << "\n";
  }
  return os.str();
}

}  // namespace bitsys
