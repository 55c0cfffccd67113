// Architecture files: bitsys JSON (configs/README.md) or SCALE-Sim .cfg, told apart by content.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "sim/ir/arch_config.h"

namespace bitsys {

ArchConfig load_arch(const std::string& path);
/// Whether text reads as an architecture (bitsys JSON with array fields, or a SCALE-Sim .cfg),
/// so a workload loader can say the file was given in the wrong place.
bool looks_like_arch_file(const std::string& text);
ArchConfig parse_arch_json(const std::string& text, const std::string& file);
ArchConfig parse_scalesim_cfg(const std::string& text, const std::string& file);

/// Every field of a configuration as bitsys JSON, defaults included: parse_arch_json reads it
/// back to the same configuration. Sweeps and the study's sensitivity change fields by path.
nlohmann::json arch_to_json(const ArchConfig& a);
/// The value at a dotted path ("pe.lanes"); nullptr when absent.
const nlohmann::json* json_at_path(const nlohmann::json& j, const std::string& path);
/// Sets the value at a dotted path, creating objects on the way.
void set_json_path(nlohmann::json& j, const std::string& path, const nlohmann::json& v);

}  // namespace bitsys
