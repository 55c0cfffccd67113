// The SystemC fidelity: the network's tile plan replayed on the cycle-accurate system
// (controller, DRAM channel, buffers, array, vector unit) with real values (systemc_fidelity.cpp).
// Open for one kind of extension: which grids the array module steps (the RTL fidelity runs the
// same system around the verilated array).
#pragma once
#include "models/array/array_module.h"
#include "sim/fidelity/fidelity.h"

namespace bitsys {

class SystemCFidelity : public Fidelity {
 public:
  std::string name() const override;
  std::string summary() const override;
  bool computes_values() const override { return true; }
  NetworkTiming run(const ArchConfig& arch, const LoweredNetwork& net, const RunOptions& opt) override;

 protected:
  /// The array's grids: null for the PE kind's own C++ grid.
  virtual const GridSource* grid_source() const { return nullptr; }
  /// An InputError naming arch.file and the field when this system cannot run `arch`.
  virtual void check_arch(const ArchConfig&) const {}
};

}  // namespace bitsys
