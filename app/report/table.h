// Text output for people: one table printer (columns sized to their content, never cut) and one
// number formatter, shared by run, compare and the study.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace bitsys {

/// printf into a std::string.
std::string strf(const char* format, ...) __attribute__((format(printf, 1, 2)));
/// 3893047 -> "3,893,047".
std::string with_commas(uint64_t v);
/// A count as a person writes it: 23550 -> "23,550", 1.81e9 -> "1.81 G", 4.2e6 -> "4.2 M".
std::string human_count(double v);
/// Bytes as a person reads them: "4,096 B" below a megabyte, "31.13 MB" above.
std::string human_bytes(double bytes);
/// "1 thread", "2 threads".
std::string plural(uint64_t n, const std::string& one, const std::string& many = "");

class TextTable {
 public:
  enum Align { kLeft, kRight };
  struct Column {
    std::string header;
    Align align = kLeft;
  };
  explicit TextTable(std::vector<Column> columns);
  /// A row of cells, one per column (missing cells are blank).
  void add_row(std::vector<std::string> cells);
  /// A row whose text spans the whole table from its `from`-th column (a note under a layer).
  void add_spanning_row(std::vector<std::string> leading, std::string rest);
  /// Columns separated by two spaces, each as wide as its widest cell.
  void print(std::ostream& os, const std::string& indent = "") const;
  /// A GitHub-flavoured Markdown table.
  std::string markdown() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    std::string span;  ///< spanning text after the cells, when set
  };
  std::vector<Column> columns_;
  std::vector<Row> rows_;
};

}  // namespace bitsys
