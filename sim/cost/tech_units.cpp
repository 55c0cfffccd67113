#include "sim/cost/tech_units.h"

#include <cmath>
#include <utility>
#include <vector>

#include "sim/io/json_fields.h"

namespace bitsys {

namespace {

struct UnitRow {
  Dimension dim;
  const char* unit;
  double factor;
};

const std::vector<UnitRow>& units() {
  static const std::vector<UnitRow> rows = {
      {Dimension::Energy, "fJ", 1e-3},
      {Dimension::Energy, "pJ", 1},
      {Dimension::Energy, "nJ", 1e3},
      {Dimension::EnergyPerByte, "pJ/B", 1},
      {Dimension::EnergyPerByte, "pJ/bit", 8},
      {Dimension::EnergyPerByte, "nJ/B", 1e3},
      {Dimension::Area, "um2", 1},
      {Dimension::Area, "mm2", 1e6},
      {Dimension::Delay, "ps", 1},
      {Dimension::Delay, "ns", 1e3},
      {Dimension::PowerDensity, "mW/mm2", 1},
      {Dimension::PowerDensity, "W/mm2", 1e3},
      {Dimension::Ratio, "1", 1},
      {Dimension::Gates, "NAND2-eq", 1},
      {Dimension::FlipFlops, "flip-flops", 1},
  };
  return rows;
}

}  // namespace

const char* dimension_name(Dimension d) {
  switch (d) {
    case Dimension::Energy:
      return "energy";
    case Dimension::EnergyPerByte:
      return "energy per byte";
    case Dimension::Area:
      return "area";
    case Dimension::Delay:
      return "delay";
    case Dimension::PowerDensity:
      return "power density";
    case Dimension::Ratio:
      return "ratio";
    case Dimension::Gates:
      return "gate count";
    case Dimension::FlipFlops:
      return "flip-flop count";
  }
  return "?";
}

double unit_factor(Dimension d, const std::string& unit) {
  for (const auto& r : units())
    if (r.dim == d && unit == r.unit) return r.factor;
  return 0;
}

std::string unit_names(Dimension d) {
  std::string s;
  for (const auto& r : units())
    if (r.dim == d) s += (s.empty() ? "" : ", ") + std::string(r.unit);
  return s;
}

bool dimension_of_unit(const std::string& unit, Dimension& d) {
  for (const auto& r : units())
    if (unit == r.unit) {
      d = r.dim;
      return true;
    }
  return false;
}

double sourced_value(JsonFields& q, Dimension d) {
  const nlohmann::json& v = q.raw("value");
  if (!v.is_number() || !std::isfinite(v.get<double>())) q.fail("value", "must be a number (got " + v.dump() + ")");
  const double x = v.get<double>();
  if (x < 0) q.fail("value", "must not be negative (got " + v.dump() + ")");
  const std::string unit = q.string("unit");
  const double f = unit_factor(d, unit);
  if (f == 0)
    q.fail("unit", "unknown unit \"" + unit + "\" for " + dimension_name(d) + " (known: " + unit_names(d) + ")");
  if (x == 0 && d != Dimension::Ratio) q.fail("value", "must be more than 0 (a free action or a part of no size)");
  if (q.string("source").empty()) q.fail("source", "must say where the number comes from");
  const std::string status = q.string("status");
  if (status != "checked" && status != "to verify" && status != "derived" && status != "assumption")
    q.fail("status", "must be \"checked\", \"to verify\", \"derived\" or \"assumption\" (got \"" + status + "\")");
  return x * f;
}

}  // namespace bitsys
