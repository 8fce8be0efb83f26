// `ember`: the command-line front end (train, eval, predict, info). Every failure the user can cause —
// a bad argument, a missing data file, a corrupt checkpoint — ends in one line on stderr and a non-zero
// exit status, never a stack trace.
#include <ember/core/config.h>

#include <cstdio>
#include <exception>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"ember: train, evaluate and run models", "ember"};
  app.require_subcommand(1);
  app.set_version_flag("--version", ember::version);
  std::vector<ember::app::Command> commands{ember::app::add_train(app), ember::app::add_eval(app),
                                           ember::app::add_predict(app), ember::app::add_info(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "ember: error: %s (see `ember --help`)\n", e.what());
    return 2;
  }
  try {
    for (auto& c : commands)
      if (c.sub->parsed()) return c.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ember: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
