#include "sim/io/scalesim_topology.h"

#include <algorithm>

#include "sim/io/input_error.h"
#include "sim/io/text_util.h"

namespace bitsys {
namespace {

const std::vector<std::string> kConvColumns = {"ifmap height", "ifmap width", "filter height", "filter width",
                                               "channels",     "num filter",  "strides"};
const std::vector<std::string> kGemmColumns = {"m", "n", "k"};

std::vector<std::string> header_of(const std::string& text) {
  for (const auto& l : lines(text))
    if (!trim(l).empty()) {
      auto cols = split(l, ',');
      for (auto& c : cols) c = lower(c);
      return cols;
    }
  return {};
}

bool has_columns(const std::vector<std::string>& header, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return std::find(header.begin(), header.end(), w) != header.end(); });
}

enum class Form { Conv, Gemm, Unknown };

Form form_of(const std::vector<std::string>& header) {
  if (has_columns(header, kConvColumns)) return Form::Conv;
  if (has_columns(header, kGemmColumns)) return Form::Gemm;
  // A header that names some conv columns but not all is a conv CSV with a column missing.
  for (const auto& c : kConvColumns)
    if (std::find(header.begin(), header.end(), c) != header.end()) return Form::Conv;
  return Form::Unknown;
}

}  // namespace

bool looks_like_scalesim_topology(const std::string& text) {
  return form_of(header_of(text)) != Form::Unknown;
}

Network parse_scalesim_topology(const std::string& text, const std::string& file) {
  const auto all = lines(text);
  const auto header = header_of(text);
  const Form form = form_of(header);
  if (form == Form::Unknown)
    fail_input(file, "header", "",
               "not a SCALE-Sim topology: expected columns 'Layer name, IFMAP Height, ...' or 'Layer Name, M, N, K'");
  const auto& wanted = form == Form::Conv ? kConvColumns : kGemmColumns;
  std::vector<size_t> col;
  for (const auto& w : wanted) {
    auto it = std::find(header.begin(), header.end(), w);
    if (it == header.end()) fail_input(file, "header", w, "missing column");
    col.push_back(static_cast<size_t>(it - header.begin()));
  }

  Network n;
  n.file = file;
  n.name = file.substr(file.find_last_of('/') + 1);
  n.source = "SCALE-Sim topology " + std::string(form == Form::Conv ? "(conv)" : "(GEMM)");
  bool header_seen = false;
  for (size_t li = 0; li < all.size(); ++li) {
    const auto cells = split(all[li], ',');
    const bool blank = std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
    if (blank) continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    const std::string where = "line " + std::to_string(li + 1);
    const std::string name = cells[0].empty() ? "row" + std::to_string(li + 1) : cells[0];
    std::vector<long long> v;
    for (size_t i = 0; i < col.size(); ++i) {
      if (col[i] >= cells.size() || cells[col[i]].empty())
        fail_input(file, where + " ('" + name + "')", wanted[i], "missing value");
      long long x = 0;
      if (!parse_int(cells[col[i]], x))
        fail_input(file, where + " ('" + name + "')", wanted[i], "not an integer: \"" + cells[col[i]] + "\"");
      if (x < 1 || x > (1LL << 40))
        fail_input(file, where + " ('" + name + "')", wanted[i], "must be in 1..2^40 (got " + std::to_string(x) + ")");
      v.push_back(x);
    }
    NetworkInput in;
    in.name = name + ".ifmap";
    Layer l;
    l.name = name;
    l.type = LayerType::Conv2d;
    l.inputs = {in.name};
    if (form == Form::Conv) {
      in.shape = {v[4], v[0], v[1]};
      l.kernel_h = v[2];
      l.kernel_w = v[3];
      l.out_channels = v[5];
      l.stride = v[6];
    } else {
      // SCALE-Sim's own GEMM mapping: IFMAP M x K, filter 1 x K, one channel, N filters.
      in.shape = {1, v[0], v[2]};
      l.kernel_h = 1;
      l.kernel_w = v[2];
      l.out_channels = v[1];
    }
    n.inputs.push_back(in);
    n.layers.push_back(l);
  }
  if (n.layers.empty()) fail_input(file, "", "", "no layer rows after the header");
  return n;
}

}  // namespace bitsys
