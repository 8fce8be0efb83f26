#pragma once
// Crash-safe file replacement: data goes to a temporary file in the target's directory, is fsynced, and
// is renamed over the target; the directory is fsynced so the rename itself survives a power cut.
// A reader therefore sees either the old file or the complete new one, never a torn write.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ember::io::detail {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();  // a file not committed is removed: a failed save leaves the target untouched
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  // fsync, rename over the target, fsync the directory.
  void commit();
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  std::filesystem::path target_, temp_;
  int fd_ = -1;
};

// A name no other writer uses at the same time (pid, a process-wide counter and a random number).
std::string unique_suffix();
void fsync_directory(const std::filesystem::path& dir);
// Replaces `target` with `contents` atomically.
void write_file_atomic(const std::filesystem::path& target, std::string_view contents);
std::string read_small_file(const std::filesystem::path& path, size_t limit);

}  // namespace ember::io::detail
