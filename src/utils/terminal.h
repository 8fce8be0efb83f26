#pragma once
// The one terminal line a dynamic progress bar owns, shared with the logger so that a message never
// lands in the middle of a bar: both draw under terminal_mutex(), and the logger clears the active bar
// before writing and redraws it after.
#include <mutex>

namespace ember::utils {
class ProgressBar;
namespace detail {
std::mutex& terminal_mutex();
ProgressBar*& active_bar();  // the dynamic bar on stderr, if any; guarded by terminal_mutex()
}  // namespace detail
}  // namespace ember::utils
