// The PE-kind registry. A kind is one .cpp file that implements PeKind and registers itself with
// BITSYS_REGISTER_PE_KIND; nothing else names concrete kinds (see sim/pe/README.md).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/ir/precision.h"
#include "sim/pe/beat.h"

namespace bitsys {

class Grid;
enum class Dataflow;

class PeKind {
 public:
  virtual ~PeKind() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;  ///< one line for --help and reports
  virtual int default_lanes() const = 0;
  virtual int max_lanes() const = 0;

  /// Empty when the kind computes this precision pair exactly; otherwise why not.
  virtual std::string check(const ActPrecision& a, const WeightPrecision& w) const = 0;
  /// Beats per chunk of `lanes` K-elements (1 for a full-precision product).
  virtual int passes(const ActPrecision& a, const WeightPrecision& w) const = 0;

  /// Encodes one K-vector of activation values into ceil(K/lanes)*passes words.
  virtual void encode_activations(const int32_t* a, int64_t K, int lanes, const ActPrecision& ap,
                                  const WeightPrecision& wp, uint64_t* out) const = 0;
  /// Encodes one K-vector of weight values into ceil(K/lanes)*passes beats.
  virtual void encode_weights(const int32_t* w, int64_t K, int lanes, const ActPrecision& ap, const WeightPrecision& wp,
                              Beat* out) const = 0;
  /// The contribution of one beat; what a PE adds to its accumulator.
  virtual int64_t product(uint64_t a, const Beat& w) const = 0;

  /// A grid of R x C PEs of this kind, stepping with this kind's inlined product; `overlapped`:
  /// the grid of the overlapped schedule (sim/pe/pipelined_grid.h), else folds one at a time.
  virtual std::unique_ptr<Grid> make_grid(int rows, int cols, bool overlapped = false) const = 0;
};

/// Beats per K-vector: ceil(K / lanes) * passes.
int64_t beats_for(const PeKind& kind, int64_t K, int lanes, const ActPrecision& a, const WeightPrecision& w);

void register_pe_kind(std::unique_ptr<PeKind> kind);
/// nullptr when unknown.
const PeKind* find_pe_kind(const std::string& name);
std::vector<const PeKind*> pe_kinds();
std::string pe_kind_names();

}  // namespace bitsys

#define BITSYS_REGISTER_PE_KIND(Class) \
  static const bool bitsys_registered_##Class = (::bitsys::register_pe_kind(std::make_unique<Class>()), true)
