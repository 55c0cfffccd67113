// bitsys command-line entry: main() silences SystemC's banner (it would land in the report on
// stdout), then SystemC's own start-up runs sc_main.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <boost/program_options/errors.hpp>
#include <systemc>  // declares sc_main extern "C"

#include "app/cli/command.h"
#include "sim/io/input_error.h"
#include "sim/io/text_util.h"

namespace {

void usage(std::ostream& os) {
  os << "usage: bitsys <command> [options]\n\ncommands:\n";
  for (const auto& c : bitsys::commands()) {
    char line[200];
    std::snprintf(line, sizeof line, "  %-11s %s\n", c.name.c_str(), c.summary.c_str());
    os << line;
  }
  os << "\n'bitsys <command> --help' lists a command's options.\n";
}

/// SystemC prints its reports on stdout, where they would land in a piped table or JSON: stderr.
void report_to_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (actions & sc_core::SC_DISPLAY) std::cerr << sc_core::sc_report_compose_message(report) << "\n";
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

}  // namespace

int sc_main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    usage(std::cout);
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  if (const bitsys::Command* c = bitsys::find_command(name)) {
    try {
      return c->main(args);
    } catch (const bitsys::InputError& e) {
      std::cerr << "bitsys: error: " << e.what() << "\n";
      return 2;
    } catch (const boost::program_options::error& e) {
      std::cerr << "bitsys " << name << ": error: " << e.what() << " (see 'bitsys " << name << " --help')\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "bitsys: error: out of memory (the run is too large for this machine)\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "bitsys: error: " << e.what() << "\n";
      return 1;
    }
  }
  std::string known;
  for (const auto& c : bitsys::commands()) known += (known.empty() ? "" : ", ") + c.name;
  std::cerr << "bitsys: error: " << bitsys::unknown_name("command", name, known) << "; 'bitsys --help' lists them\n";
  return 2;
}

int main(int argc, char** argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_handler(report_to_stderr);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);  // "(I703) tracing timescale" and the like
  return sc_core::sc_elab_and_sim(argc, argv);
}
