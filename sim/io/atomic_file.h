// Output files appear whole or not at all: written to a temporary beside the target, renamed.
#pragma once
#include <string>

namespace bitsys {

/// InputError naming the path when the directory is missing or not writable.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace bitsys
