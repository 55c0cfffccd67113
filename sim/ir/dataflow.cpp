#include "sim/ir/dataflow.h"

namespace bitsys {
namespace {

// OS: output pixels on rows, filters on columns, the reduction streams in time.
FoldSpace map_os(int64_t M, int64_t Kb, int64_t N) {
  return {M, N, Kb};
}
// WS: the reduction on rows, filters on columns, output pixels stream in time.
FoldSpace map_ws(int64_t M, int64_t Kb, int64_t N) {
  return {Kb, N, M};
}
// IS: the reduction on rows, output pixels on columns, filters stream in time.
FoldSpace map_is(int64_t M, int64_t Kb, int64_t N) {
  return {Kb, M, N};
}

const std::vector<DataflowInfo> kDataflows = {
    {Dataflow::OS, "os", "output stationary: accumulators stay, activations and weights stream", map_os},
    {Dataflow::WS, "ws", "weight stationary: weights preloaded, activations stream, partial sums flow down", map_ws},
    {Dataflow::IS, "is", "input stationary: activations preloaded, weights stream, partial sums flow down", map_is},
};

}  // namespace

const std::vector<DataflowInfo>& dataflows() {
  return kDataflows;
}

const DataflowInfo& dataflow_info(Dataflow d) {
  for (const auto& i : kDataflows)
    if (i.dataflow == d) return i;
  return kDataflows[0];
}

const DataflowInfo* find_dataflow(const std::string& name) {
  for (const auto& i : kDataflows)
    if (name == i.name) return &i;
  return nullptr;
}

std::string dataflow_names() {
  std::string s;
  for (const auto& i : kDataflows) s += (s.empty() ? "" : ", ") + std::string(i.name);
  return s;
}

}  // namespace bitsys
