// Helpers shared by tests: temporary files and checks of one-line input errors.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/io/input_error.h"

namespace bitsys::test {

/// A file in a per-process temporary directory, removed at destruction.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content) : path_(dir() + "/" + name) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

  static std::string dir() {
    static const std::string d = [] {
      std::string t = "/tmp/bitsys-test-" + std::to_string(getpid());
      mkdir_p(t);
      return t;
    }();
    return d;
  }

 private:
  static void mkdir_p(const std::string& p) { (void)std::system(("mkdir -p '" + p + "'").c_str()); }
  std::string path_;
};

/// Runs fn, expects an InputError of one line containing every fragment.
inline void expect_input_error(const std::function<void()>& fn, std::initializer_list<std::string> fragments) {
  try {
    fn();
    ADD_FAILURE() << "no InputError thrown";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "'" << f << "' missing from: " << msg;
  }
}

/// Runs the bitsys executable with `args`; returns its exit code, its stdout and stderr in *out.
inline int run_bitsys(const std::string& args, std::string* out = nullptr) {
  FILE* p = popen((std::string(BITSYS_EXE) + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf;
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) text.append(buf.data(), n);
  const int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace bitsys::test
