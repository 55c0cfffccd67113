// NumPy .npy files (format 1.0/2.0): integer arrays in, int64 arrays out. Used for tensors a
// user supplies to the SystemC model and for the outputs it computes from them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bitsys {

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<int64_t> data;  ///< C order, widened to int64
};

/// Reads a little-endian (or byte-sized) signed/unsigned integer array in C order; InputError
/// naming the file and the header field otherwise.
NpyArray read_npy(const std::string& path);
/// Writes an int64 array atomically.
void write_npy(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int64_t>& data);

}  // namespace bitsys
