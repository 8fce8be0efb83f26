// `ember info`: version, build options, CPU features and threads, devices.
#include <ember/core/config.h>
#include <ember/core/parallel.h>

#include <cstdio>
#include <thread>

#include "commands.h"

namespace ember::app {

Command add_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Print version, build options, CPU features, threads and devices");
  auto threads = std::make_shared<int>(0);
  cmd->add_option("--threads", *threads, "Intra-op threads to report with (default: all cores)")
      ->check(CLI::Range(0, 4096));
  return {cmd, [threads] {
    if (*threads > 0) set_num_threads(*threads);
    std::fputs(show_config().c_str(), stdout);
    std::printf("  hardware threads: %u\n", std::thread::hardware_concurrency());
    return 0;
  }};
}

}  // namespace ember::app
