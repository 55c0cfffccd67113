// Sweeps: constraint expressions, deterministic expansion with stable ids, clear errors for bad
// specs, shards that merge into exactly the local sweep, and a real sweep killed with SIGKILL
// and resumed without losing, repeating or tearing a line.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/sweep/sweep_runner.h"
#include "test_util.h"

namespace bitsys {
namespace {

const std::string kSrc = BITSYS_SOURCE_DIR;
const std::string kSmall = kSrc + "/workloads/sweeps/resnet20-small.json";

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::map<std::string, std::string> by_id(const std::string& path) {
  std::map<std::string, std::string> m;
  for (const auto& l : lines_of(path)) {
    const auto j = nlohmann::json::parse(l);
    EXPECT_TRUE(m.emplace(j["id"].get<std::string>(), l).second) << "duplicated " << j["id"];
  }
  return m;
}

TEST(Sweep, ConstraintExpressions) {
  auto holds = [](const std::string& expr, std::map<std::string, FieldValue> f) {
    return Constraint(expr).holds([&](const std::string& p) {
      auto it = f.find(p);
      if (it == f.end()) throw std::invalid_argument("unknown field '" + p + "'");
      return it->second;
    });
  };
  EXPECT_TRUE(holds("rows * cols <= 4096", {{"rows", 64.0}, {"cols", 64.0}}));
  EXPECT_FALSE(holds("rows * cols <= 4096", {{"rows", 64.0}, {"cols", 65.0}}));
  EXPECT_TRUE(holds("(rows + 2) * 3 == 12", {{"rows", 2.0}}));
  EXPECT_TRUE(holds("pe.kind != 'int8'", {{"pe.kind", std::string("binary")}}));
  EXPECT_FALSE(holds("pe.kind == \"int8\"", {{"pe.kind", std::string("binary")}}));
  EXPECT_THROW(Constraint("rows * "), std::invalid_argument);
  EXPECT_THROW(Constraint("rows"), std::invalid_argument);  // no comparison
  // Found by the fuzzer: literals beyond a double's range, and a lone dot, are syntax errors.
  EXPECT_THROW(Constraint("rows < 1e99999"), std::invalid_argument);
  EXPECT_THROW(Constraint("rows < ."), std::invalid_argument);
  EXPECT_THROW(holds("rowz < 3", {{"rows", 1.0}}), std::invalid_argument);
  EXPECT_EQ(Constraint("a.b + c < 1").fields(), (std::vector<std::string>{"a.b", "c"}));
}

TEST(Sweep, ExpansionIsDeterministicAndIdsAreStable) {
  const SweepSpec s = SweepSpec::load(kSmall);
  EXPECT_EQ(s.combinations(), 3u * 4 * 3 * 2 * 2);
  const auto p = s.points();
  EXPECT_EQ(p, SweepSpec::load(kSmall).points());
  std::set<std::string> ids;
  for (uint64_t c : p) {
    EXPECT_LE(s.params_of(c)["rows"].get<int>() * s.params_of(c)["cols"].get<int>(), 128);
    ids.insert(s.id_of(c));
  }
  EXPECT_EQ(ids.size(), p.size());
  // Reordering the values changes indexes, never ids.
  std::string text;
  {
    std::ifstream in(kSmall);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  const std::string moved = std::regex_replace(text, std::regex("\\[4, 8, 16\\]"), "[16, 8, 4]");
  ASSERT_NE(moved, text);
  test::TempFile other("moved.json", moved);
  // The spec's relative paths resolve against its directory: keep it there.
  const std::string copy = kSrc + "/workloads/sweeps/.sweep-moved-" + std::to_string(getpid()) + ".json";
  std::ofstream(copy) << moved;
  const SweepSpec r = SweepSpec::load(copy);
  std::remove(copy.c_str());
  std::set<std::string> ids2;
  for (uint64_t c : r.points()) ids2.insert(r.id_of(c));
  EXPECT_EQ(ids, ids2);
  EXPECT_NE(r.points().front(), p.front() + 1);  // and the order did change
}

TEST(Sweep, BadSpecsFailBeforeAnythingRuns) {
  auto bad = [](const std::string& vary_and_more, std::initializer_list<std::string> fragments) {
    const std::string path = kSrc + "/tests/data/.sweep-bad-" + std::to_string(getpid()) + ".json";
    std::ofstream(path) << R"({"name": "b", "base": "../../configs/int8-32x32.json", )" + vary_and_more + "}";
    test::expect_input_error([&] { SweepSpec::load(path); }, fragments);
    std::remove(path.c_str());
  };
  const std::string w = R"("workloads": ["../../workloads/resnet20-int8.json"])";
  bad(R"("vary": {"rowz": [4]}, )" + w, {"vary 'rowz' = 4", "'rowz'", "unknown field"});
  bad(R"("vary": {"pe.lanes": [1, 65]}, )" + w, {"vary 'pe.lanes' = 65", "'lanes'", "1..4"});
  bad(R"("vary": {"dataflow": ["rs"]}, )" + w, {"vary 'dataflow' = rs", "unknown dataflow"});
  bad(R"("vary": {"rows": {"from": 4, "to": 8}}, )" + w, {"'step'", "either"});
  bad(R"("vary": {"rows": [4]}, "constraints": ["rows * "], )" + w, {"'constraints'", "character"});
  bad(R"("vary": {"rows": [4]}, "constraints": ["rowz < 3"], )" + w, {"'constraints'", "unknown field 'rowz'"});
  bad(R"("vary": {"rows": [4]}, "workloads": ["nope.json"])", {"nope.json", "no such file"});
  bad(R"("vary": {"rows": [0]}, )" + w, {"vary 'rows' = 0", "'rows'"});
}

TEST(Sweep, ShardsMergeIntoExactlyTheLocalSweep) {
  const SweepSpec s = SweepSpec::load(kSmall);
  const std::string dir = test::TempFile::dir();
  SweepOptions whole;
  whole.out = dir + "/whole.jsonl";
  whole.jobs = 2;
  std::remove(whole.out.c_str());
  const SweepSummary ws = run_sweep(s, whole);
  EXPECT_EQ(ws.points, s.points().size());
  EXPECT_GT(ws.errors, 0u);  // a 64-byte ofmap buffer never fits: recorded, not fatal
  std::vector<std::string> shards;
  for (int i = 0; i < 4; ++i) {
    SweepOptions o;
    o.out = dir + "/shard" + std::to_string(i) + ".jsonl";
    o.shard = i;
    o.shards = 4;
    std::remove(o.out.c_str());
    run_sweep(s, o);
    shards.push_back(o.out);
  }
  const std::string merged = dir + "/merged.jsonl";
  EXPECT_EQ(merge_sweep(s, shards, merged), s.points().size());
  EXPECT_EQ(by_id(merged), by_id(whole.out));
  // Refusals: a shard twice, a shard missing; nothing written either time.
  std::remove(merged.c_str());
  test::expect_input_error(
      [&] {
        merge_sweep(s, {shards[0], shards[0], shards[1], shards[2], shards[3]}, merged);
      },
      {"duplicated point", "nothing written"});
  test::expect_input_error(
      [&] {
        merge_sweep(s, {shards[0], shards[1], shards[2]}, merged);
      },
      {"missing", "nothing written"});
  EXPECT_TRUE(lines_of(merged).empty());
}

TEST(Sweep, KilledWithSigkillAndResumedLosesAndRepeatsNothing) {
  const std::string dir = test::TempFile::dir();
  const std::string spec = kSrc + "/workloads/sweeps/resnet18-arrays.json";
  const std::string out = dir + "/killed.jsonl";
  std::remove(out.c_str());
  const pid_t pid = fork();
  if (pid == 0) {
    execl(BITSYS_EXE, BITSYS_EXE, "sweep", spec.c_str(), "--out", out.c_str(), "-q", "-j", "2",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Let it write a few hundred lines, then kill it without warning.
  for (int i = 0; i < 600 && lines_of(out).size() < 300; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const size_t before = lines_of(out).size();
  ASSERT_GT(before, 0u);
  // Resume, but only a small shard of the rest would take long: resume the whole spec's first
  // 1 % by running shard 0 of 100 over the same file, then check what it holds.
  const SweepSpec s = SweepSpec::load(spec);
  SweepOptions o;
  o.out = out;
  o.jobs = 2;
  o.shard = 0;
  o.shards = 100;
  const SweepSummary sum = run_sweep(s, o);
  const auto lines = lines_of(out);
  std::set<std::string> ids;
  for (const auto& l : lines) {
    const auto j = nlohmann::json::parse(l);  // no torn line
    EXPECT_TRUE(ids.insert(j["id"].get<std::string>()).second) << "point run twice: " << j["id"];
  }
  // Every point of shard 0/100 is there, whether run before the kill or now.
  const auto pts = s.points();
  for (uint64_t i = 0; i < pts.size(); i += 100) EXPECT_TRUE(ids.count(s.id_of(pts[i]))) << i;
  EXPECT_EQ(lines.size(), before + sum.run);
  EXPECT_GT(sum.resumed, 0u);  // the killed run had done some of shard 0's points
}

TEST(Sweep, ResumeDropsATornLastLine) {
  const SweepSpec s = SweepSpec::load(kSmall);
  const std::string out = test::TempFile::dir() + "/torn.jsonl";
  std::remove(out.c_str());
  SweepOptions o;
  o.out = out;
  run_sweep(s, o);
  auto lines = lines_of(out);
  const size_t n = lines.size();
  // Cut the file in the middle of its last line, as a crash during a write could.
  {
    std::ofstream f(out, std::ios::trunc);
    for (size_t i = 0; i + 1 < n; ++i) f << lines[i] << "\n";
    f << lines[n - 1].substr(0, lines[n - 1].size() / 2);
  }
  const SweepSummary r = run_sweep(s, o);
  EXPECT_EQ(r.run, 1u);
  EXPECT_EQ(r.resumed, n - 1);
  EXPECT_EQ(lines_of(out).size(), n);
  for (const auto& l : lines_of(out)) EXPECT_NO_THROW(nlohmann::json::parse(l));
}

}  // namespace
}  // namespace bitsys
