// The units a technology file may state its numbers in, by dimension, and the reading of one
// sourced number: {"value", "unit", "source", "status"}.
#pragma once
#include <string>

namespace bitsys {

class JsonFields;

enum class Dimension { Energy, EnergyPerByte, Area, Delay, PowerDensity, Ratio, Gates, FlipFlops };

/// "energy", "area", ... for messages and the scaling rule.
const char* dimension_name(Dimension d);
/// The factor turning `unit` into the dimension's own unit (pJ, pJ/B, um2, ps, mW/mm2, 1); 0 when
/// the unit is not one of the dimension's.
double unit_factor(Dimension d, const std::string& unit);
/// "fJ, pJ, nJ"
std::string unit_names(Dimension d);
/// The dimension a unit belongs to; false when no dimension has it.
bool dimension_of_unit(const std::string& unit, Dimension& d);

/// Reads "value" (>= 0), "unit" (one of the dimension's), "source" (non-empty) and "status"
/// (checked, to verify, derived, assumption) from `q`; the value in the dimension's own unit.
double sourced_value(JsonFields& q, Dimension d);

}  // namespace bitsys
