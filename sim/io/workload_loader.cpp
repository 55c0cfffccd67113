#include "sim/io/workload_loader.h"

#include <nlohmann/json.hpp>

#include "sim/io/arch_json.h"
#include "sim/io/input_error.h"
#include "sim/io/scalesim_topology.h"
#include "sim/io/text_util.h"
#include "sim/io/workload_json.h"

namespace bitsys {

bool looks_like_workload_file(const std::string& text) {
  const std::string t = trim(text);
  if (!t.empty() && t.front() == '{') {
    const nlohmann::json j = nlohmann::json::parse(t, nullptr, false);
    return j.is_object() && j.contains("layers");
  }
  return looks_like_scalesim_topology(t);
}

Network load_workload(const std::string& path) {
  const std::string text = read_text_file(path);
  const std::string t = trim(text);
  if (t.empty()) fail_input(path, "", "", "file is empty");
  if (looks_like_arch_file(t) && !looks_like_workload_file(t))
    fail_input(path, "", "", "this is an architecture, not a workload (network): give it as --arch");
  if (t.front() == '{' || t.front() == '[') return parse_workload_json(text, path);
  if (looks_like_scalesim_topology(text)) return parse_scalesim_topology(text, path);
  fail_input(path, "", "", "unknown workload format: expected bitsys JSON or a SCALE-Sim topology CSV");
}

}  // namespace bitsys
