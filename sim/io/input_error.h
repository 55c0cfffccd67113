// One kind of error for every bad input: a single line naming the file, the place and the field.
#pragma once
#include <stdexcept>
#include <string>

namespace bitsys {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "file: layer 'conv1': field 'kernel': must be >= 1 (got 0)"; empty parts are left out.
[[noreturn]] void fail_input(const std::string& file, const std::string& where, const std::string& field,
                             const std::string& what);

/// Reads a whole file; InputError when it is missing or unreadable.
std::string read_text_file(const std::string& path);

}  // namespace bitsys
