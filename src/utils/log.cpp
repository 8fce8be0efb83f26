#include <ember/utils/log.h>
#include <ember/utils/progress.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "utils/terminal.h"

namespace ember::utils::log {

namespace {

Level initial_level() {
  const char* env = std::getenv("EMBER_LOG_LEVEL");
  if (!env || !*env) return Level::info;
  try {
    return parse_level(env);
  } catch (const ValueError&) {
    std::fprintf(stderr, "ember: ignoring EMBER_LOG_LEVEL='%s' (use debug, info, warning, error or off)\n", env);
    return Level::info;
  }
}

std::atomic<Level>& current() {
  static std::atomic<Level> l{initial_level()};
  return l;
}

Sink& sink() {
  static Sink s;
  return s;
}

}  // namespace

Level level() { return current().load(std::memory_order_relaxed); }
void set_level(Level l) { current().store(l, std::memory_order_relaxed); }

Level parse_level(std::string_view name) {
  std::string s(name);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (s == "debug") return Level::debug;
  if (s == "info") return Level::info;
  if (s == "warning" || s == "warn") return Level::warning;
  if (s == "error") return Level::error;
  if (s == "off" || s == "none") return Level::off;
  throw ValueError(ember::detail::str("unknown log level '", name, "' (use debug, info, warning, error or off)"));
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
    default: return "off";
  }
}

void set_sink(Sink s) {
  std::lock_guard<std::mutex> lock(utils::detail::terminal_mutex());
  sink() = std::move(s);
}

void write(Level l, std::string_view message) {
  std::lock_guard<std::mutex> lock(utils::detail::terminal_mutex());
  if (sink()) {
    sink()(l, message);
    return;
  }
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  int ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  ProgressBar* bar = utils::detail::active_bar();
  if (bar) bar->clear_line();
  std::fprintf(stderr, "[%s.%03d] [%.*s] %.*s\n", when, ms, int(level_name(l).size()), level_name(l).data(),
               int(message.size()), message.data());
  std::fflush(stderr);
  if (bar) bar->redraw();
}

}  // namespace ember::utils::log
