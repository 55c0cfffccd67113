// bitsys's own data (plans, configs, plot scripts, RTL sources), found from where the running
// binary is, so `bitsys` works from any directory, built or installed.
#pragma once
#include <string>

namespace bitsys {

/// The folder holding analysis/, configs/, rtl/ and workloads/: $BITSYS_DATA_DIR when set; else
/// <bin>/../share/bitsys for an installed binary; else the source tree named in the
/// bitsys-data-dir file CMake writes beside a built one. InputError when none exists.
const std::string& data_dir();
/// data_dir() + "/" + relative.
std::string data_path(const std::string& relative);
/// A path as a report shows it: relative to bitsys's data folder when inside it
/// ("configs/int8-32x32.json"), unchanged otherwise.
std::string display_path(const std::string& path);

}  // namespace bitsys
