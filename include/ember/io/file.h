#pragma once
// Writing a whole file so that no reader ever sees part of it (metrics, logs, configs next to a run).
#include <filesystem>
#include <string_view>

namespace ember::io {

// Replaces `path` with `contents` atomically: a temporary file in the same directory, fsync, rename, fsync
// of the directory. A crash leaves the old file or the new one, never a torn write.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

}  // namespace ember::io
