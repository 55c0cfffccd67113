#include "sim/io/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace bitsys {

std::string ProgramRun::failure(const std::string& what) const {
  std::string last;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) last = line;
  std::string s = what;
  if (timed_out)
    s += " did not finish in time and was stopped";
  else if (exit_code < 0)
    s += " could not be started or was killed";
  else
    s += " exited with status " + std::to_string(exit_code);
  return last.empty() ? s : s + ": " + last;
}

ProgramRun run_program(const std::vector<std::string>& argv, double timeout_s, const std::string& capture_to,
                       const std::string& stderr_to) {
  ProgramRun r;
  if (argv.empty()) return r;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!capture_to.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, capture_to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (stderr_to.empty()) posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  if (!stderr_to.empty())
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    r.output = argv[0] + ": " + std::strerror(err);
    return r;
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int status = 0;
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, std::chrono::milliseconds(100))) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return r;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(pause);
  }
  if (!r.timed_out && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (!capture_to.empty()) r.output = read_file_or_empty(capture_to);
  if (!stderr_to.empty()) r.errors = read_file_or_empty(stderr_to);
  return r;
}

std::string read_file_or_empty(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool make_parent_directories(const std::string& file) {
  const size_t slash = file.find_last_of('/');
  return slash == std::string::npos || slash == 0 || make_directories(file.substr(0, slash));
}

bool make_directories(const std::string& path) {
  if (path.empty()) return true;
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    const std::string prefix = path.substr(0, i);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace bitsys
