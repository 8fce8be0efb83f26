#pragma once
// The subcommands of the `ember` command. Each adds itself to the CLI11 app and returns its subcommand
// with the function that runs it once the command line has parsed.
#include <CLI/CLI.hpp>

#include <functional>

namespace ember::app {

struct Command {
  CLI::App* sub;
  std::function<int()> run;
};

Command add_info(CLI::App& app);
Command add_train(CLI::App& app);
Command add_eval(CLI::App& app);
Command add_predict(CLI::App& app);

}  // namespace ember::app
