// Dataflows: which GEMM dimension maps to array rows, columns and time (SCALE-Sim's convention).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bitsys {

enum class Dataflow { OS, WS, IS };

/// (Sr, Sc, T): spatial rows, spatial columns, temporal length of a GEMM in beats.
struct FoldSpace {
  int64_t Sr = 0, Sc = 0, T = 0;
};

struct DataflowInfo {
  Dataflow dataflow;
  const char* name;         ///< "os", "ws", "is"
  const char* description;  ///< what stays in the PEs
  FoldSpace (*map)(int64_t M, int64_t Kb, int64_t N);
};

/// Every dataflow, in the order of the table.
const std::vector<DataflowInfo>& dataflows();
const DataflowInfo& dataflow_info(Dataflow d);
/// nullptr when unknown.
const DataflowInfo* find_dataflow(const std::string& name);
std::string dataflow_names();

}  // namespace bitsys
