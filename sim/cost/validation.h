// bitsys's energy and area model against published silicon (README "Energy and area"): each row a
// published figure, what the model gives for the same thing, and their ratio. `bitsys tech-check`
// prints them; a test holds them.
#pragma once
#include <string>
#include <vector>

namespace bitsys {

struct ValidationRow {
  std::string figure;    ///< what is compared
  std::string source;    ///< where the published number comes from
  double published = 0;  ///< in `unit`
  double model = 0;      ///< bitsys's number for the same thing, in `unit`
  std::string unit;
  bool calibration = false;  ///< the model was fitted to this row: equal by construction
  double ratio() const { return published != 0 ? model / published : 0; }
  bool within_2x() const { return ratio() >= 0.5 && ratio() <= 2.0; }
};

/// The rows for a 45 nm technology file, the scaled 22 nm one and a scaling rule (for UNPU's
/// 65 nm), with the reference circuits' gate counts.
std::vector<ValidationRow> validation_rows(const std::string& tech45, const std::string& tech22,
                                           const std::string& rule, const std::string& reference_gates);

}  // namespace bitsys
