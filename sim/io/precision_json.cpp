#include "sim/io/precision_json.h"

namespace bitsys {

ActPrecision parse_act_precision(const nlohmann::json& j, const std::string& file, const std::string& where,
                                 ActPrecision base) {
  JsonFields f(j, file, where);
  ActPrecision p = base;
  p.bits = static_cast<int>(f.integer("bits", 1, 8, base.bits));
  p.is_signed = f.boolean("signed", base.is_signed);
  f.finish();
  return p;
}

namespace {

uint8_t parse_mask(JsonFields& f) {
  const auto& m = f.raw("mask");
  std::string bits;
  if (m.is_string()) {
    bits = m.get<std::string>();
  } else if (m.is_array()) {
    for (const auto& e : m) {
      if (!e.is_number_integer() || (e.get<int64_t>() != 0 && e.get<int64_t>() != 1))
        f.fail("mask", "array entries must be 0 or 1 (got " + e.dump() + ")");
      bits += e.get<int64_t>() ? '1' : '0';
    }
  } else {
    f.fail("mask", "must be a string like \"01101000\" or an array of 8 zeros and ones, MSB first");
  }
  if (bits.size() != 8 || bits.find_first_not_of("01") != std::string::npos)
    f.fail("mask", "must have exactly 8 planes of 0/1, MSB first (got \"" + bits + "\")");
  uint8_t mask = 0;
  for (int i = 0; i < 8; ++i)
    if (bits[i] == '1') mask |= static_cast<uint8_t>(1u << (7 - i));
  if (mask == 0) f.fail("mask", "keeps no bit plane; a layer needs at least one");
  return mask;
}

}  // namespace

WeightPrecision parse_weight_precision(const nlohmann::json& j, const std::string& file, const std::string& where,
                                       WeightPrecision base) {
  JsonFields f(j, file, where);
  const std::string fmt =
      f.string("format", base.format == WeightFormat::SignMagnitude ? "sign_magnitude" : "twos_complement");
  WeightPrecision p;
  if (fmt == "twos_complement") {
    if (f.has("mask")) f.fail("mask", "only sign_magnitude weights have a plane mask");
    p = WeightPrecision::twos(
        static_cast<int>(f.integer("bits", 1, 8, base.format == WeightFormat::TwosComplement ? base.bits : 8)));
  } else if (fmt == "sign_magnitude") {
    if (f.has("mask") && f.has("bits")) f.fail("bits", "give either bits or mask, not both");
    if (f.has("mask")) {
      p = WeightPrecision::sign_magnitude(parse_mask(f));
    } else if (f.has("bits")) {
      const int b = static_cast<int>(f.integer("bits", 1, 8));
      p = WeightPrecision::sign_magnitude(static_cast<uint8_t>((1u << b) - 1));
    } else {
      p = base.format == WeightFormat::SignMagnitude ? base : WeightPrecision::sign_magnitude(0xff);
    }
  } else {
    f.fail("format", "must be twos_complement or sign_magnitude (got \"" + fmt + "\")");
  }
  f.finish();
  return p;
}

}  // namespace bitsys
