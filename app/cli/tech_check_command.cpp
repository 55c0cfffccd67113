// bitsys tech-check: the energy and area model against published silicon (README "Energy and area").
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/command.h"
#include "app/report/table.h"
#include "sim/cost/validation.h"

namespace po = boost::program_options;

namespace bitsys {

static int cmd_tech_check(const std::vector<std::string>& args) {
  std::string tech45, tech22, rule, gates;
  po::options_description d("bitsys tech-check options");
  // clang-format off
  d.add_options()
      ("tech", po::value(&tech45)->default_value("configs/tech/45nm.json"), "45 nm technology file")
      ("tech22", po::value(&tech22)->default_value("configs/tech/22nm.json"), "22 nm technology file")
      ("rule", po::value(&rule)->default_value("configs/tech/scaling.json"), "scaling rule (UNPU's 65 nm)")
      ("gates", po::value(&gates)->default_value("configs/tech/reference-gates.json"), "reference circuits' gate counts");
  // clang-format on
  po::variables_map vm;
  if (!parse_options(args, "usage: bitsys tech-check [options]", d, vm)) return 0;
  using T = TextTable;
  TextTable t({{"figure"},
               {"published", T::kRight},
               {"bitsys", T::kRight},
               {"unit"},
               {"ratio", T::kRight},
               {"verdict"},
               {"source"}});
  for (const auto& r : validation_rows(tech45, tech22, rule, gates))
    t.add_row({r.figure, strf("%.3g", r.published), strf("%.3g", r.model), r.unit, strf("%.2f", r.ratio()),
               r.calibration   ? "calibration"
               : r.within_2x() ? "within 2x"
                               : "outside 2x",
               r.source});
  t.print(std::cout);
  return 0;
}

BITSYS_REGISTER_COMMAND(tech_check, "tech-check", "compare the energy and area model with published silicon",
                        cmd_tech_check);

}  // namespace bitsys
