// Helpers shared by tests: temporary files and checks of one-line input errors.
#pragma once
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>

#include "sim/io/input_error.h"
#include "sim/io/subprocess.h"

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
  static void mkdir_p(const std::string& p) { (void)make_directories(p); }
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

/// Runs the bitsys executable with an argument vector; returns its exit code, its stdout and
/// stderr in *out (and stderr alone in *err, when given, *out then holding only stdout).
inline int run_bitsys(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
  args.insert(args.begin(), BITSYS_EXE);
  static int calls = 0;
  const std::string base = TempFile::dir() + "/run-" + std::to_string(++calls);
  // Five minutes is far beyond any test run; a hang fails instead of blocking ctest.
  const ProgramRun r = run_program(args, 300, base + ".out", err ? base + ".err" : "");
  if (out) *out = r.output;
  if (err) *err = r.errors;
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r.timed_out ? 124 : r.exit_code < 0 ? 128 : r.exit_code;
}

/// The same with the arguments as one space-separated string (tests use no paths with spaces).
inline int run_bitsys(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
  std::vector<std::string> v;
  std::istringstream in(args);
  for (std::string w; in >> w;) v.push_back(w);
  return run_bitsys(v, out, err);
}

inline std::string slurp(const std::string& path) {
  return read_file_or_empty(path);
}

}  // namespace bitsys::test
