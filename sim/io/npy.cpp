#include "sim/io/npy.h"

#include <cstring>

#include "sim/io/atomic_file.h"
#include "sim/io/input_error.h"

namespace bitsys {

namespace {

std::string field(const std::string& header, const std::string& key) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos) return {};
  auto v = header.find(':', k);
  if (v == std::string::npos) return {};
  ++v;
  while (v < header.size() && header[v] == ' ') ++v;
  if (header[v] == '\'') return header.substr(v + 1, header.find('\'', v + 1) - v - 1);
  if (header[v] == '(') return header.substr(v + 1, header.find(')', v) - v - 1);
  return header.substr(v, header.find_first_of(",}", v) - v);
}

}  // namespace

NpyArray read_npy(const std::string& path) {
  const std::string bytes = read_text_file(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    fail_input(path, "", "", "not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t hlen, hstart;
  if (major == 1) {
    hlen = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail_input(path, "", "", "truncated header");
    hlen = 0;
    for (int i = 0; i < 4; ++i) hlen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    fail_input(path, "", "version", "unsupported .npy version " + std::to_string(major));
  }
  if (hstart + hlen > bytes.size()) fail_input(path, "", "", "truncated header");
  const std::string header = bytes.substr(hstart, hlen);
  const std::string descr = field(header, "descr");
  if (field(header, "fortran_order") != "False") fail_input(path, "", "fortran_order", "only C-order arrays are read");
  int size = 0;
  bool is_signed = true;
  if (descr == "|i1" || descr == "<i1")
    size = 1;
  else if (descr == "|u1" || descr == "<u1")
    size = 1, is_signed = false;
  else if (descr == "<i2")
    size = 2;
  else if (descr == "<u2")
    size = 2, is_signed = false;
  else if (descr == "<i4")
    size = 4;
  else if (descr == "<i8")
    size = 8;
  else
    fail_input(path, "", "descr",
               "dtype '" + descr + "' is not a little-endian integer type (int8..int64, uint8, uint16)");
  NpyArray a;
  size_t count = 1;
  const std::string shape = field(header, "shape");
  for (size_t i = 0; i < shape.size();) {
    while (i < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
    if (i >= shape.size()) break;
    size_t used = 0;
    long long d;
    try {
      d = std::stoll(shape.substr(i), &used);
    } catch (const std::exception&) {
      fail_input(path, "", "shape", "cannot read (" + shape + ")");
    }
    if (d < 0 || d > (1LL << 40)) fail_input(path, "", "shape", "dimension out of range");
    a.shape.push_back(d);
    count *= static_cast<size_t>(d);
    i += used;
  }
  const size_t data_start = hstart + hlen;
  if (bytes.size() - data_start < count * static_cast<size_t>(size))
    fail_input(path, "", "",
               "holds " + std::to_string((bytes.size() - data_start) / size) + " elements, its shape needs " +
                   std::to_string(count));
  a.data.resize(count);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data()) + data_start;
  for (size_t i = 0; i < count; ++i, p += size) {
    uint64_t u = 0;
    for (int b = 0; b < size; ++b) u |= static_cast<uint64_t>(p[b]) << (8 * b);
    if (is_signed && size < 8 && (u >> (8 * size - 1)) & 1) u |= ~uint64_t{0} << (8 * size);  // sign-extend
    a.data[i] = static_cast<int64_t>(u);
  }
  return a;
}

void write_npy(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int64_t>& data) {
  std::string dims;
  for (int64_t d : shape) dims += std::to_string(d) + ", ";
  if (shape.size() > 1)
    dims.resize(dims.size() - 2);
  else if (!shape.empty())
    dims.resize(dims.size() - 1);
  std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64) header += ' ';  // the format aligns data to 64 bytes
  header += '\n';
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  const size_t at = out.size();
  out.resize(at + data.size() * 8);
  for (size_t i = 0; i < data.size(); ++i) {
    const uint64_t u = static_cast<uint64_t>(data[i]);
    for (int b = 0; b < 8; ++b) out[at + i * 8 + b] = static_cast<char>((u >> (8 * b)) & 0xff);
  }
  write_file_atomically(path, out);
}

}  // namespace bitsys
