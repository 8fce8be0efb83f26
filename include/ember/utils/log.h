#pragma once
// Logging with levels. The level comes from EMBER_LOG_LEVEL (debug, info, warning/warn, error, off;
// default info) or set_level(). Messages are built from their pieces as a stream would print them, and
// only when the level is enabled:
//
//   ember::utils::log::info("epoch ", epoch, ": loss ", loss);
//   -> [2026-11-30 13:22:53.123] [info] epoch 3: loss 0.31       (on stderr)
//
// A progress bar drawn on the terminal is cleared before a message and redrawn after it.
#include <functional>
#include <string>
#include <string_view>

#include <ember/core/error.h>

namespace ember::utils::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, off = 4 };

Level level();
void set_level(Level l);
// "debug", "info", "warning" or "warn", "error", "off" (any case); ValueError otherwise.
Level parse_level(std::string_view name);
std::string_view level_name(Level l);
inline bool enabled(Level l) { return l != Level::off && l >= level(); }

// Where messages go: stderr by default; a sink receives the level and the message without decoration.
using Sink = std::function<void(Level, std::string_view)>;
void set_sink(Sink sink);  // an empty function restores stderr

void write(Level l, std::string_view message);

template <class... Args>
void log(Level l, const Args&... args) {
  if (enabled(l)) write(l, ember::detail::str(args...));
}
template <class... Args>
void debug(const Args&... args) { log(Level::debug, args...); }
template <class... Args>
void info(const Args&... args) { log(Level::info, args...); }
template <class... Args>
void warn(const Args&... args) { log(Level::warning, args...); }
template <class... Args>
void warning(const Args&... args) { log(Level::warning, args...); }
template <class... Args>
void error(const Args&... args) { log(Level::error, args...); }

}  // namespace ember::utils::log
