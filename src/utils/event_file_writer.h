#pragma once
// One TensorBoard event file: TFRecord records (length, masked CRC of the length, data, masked CRC of
// the data), buffered in memory and appended to the file on flush.
#include <chrono>
#include <optional>
#include <string>

namespace ember::utils::tensorboard {

class EventFileWriter {
 public:
  EventFileWriter(const std::string& logdir, int max_queue, double flush_secs, const std::string& filename_suffix);
  ~EventFileWriter();
  EventFileWriter(const EventFileWriter&) = delete;
  EventFileWriter& operator=(const EventFileWriter&) = delete;

  void add_event(const std::string& event);
  void flush();
  void close();
  const std::string& path() const { return path_; }
  const std::string& logdir() const { return logdir_; }

 private:
  std::string logdir_, path_, pending_;
  int fd_ = -1;
  int queued_ = 0, max_queue_;
  double flush_secs_;
  std::chrono::steady_clock::time_point last_flush_;
};

double now_seconds();
// Event {wall_time = 1, step = 2, <field> = <bytes>}: file_version is 3, summary 5, session_log 7.
std::string encode_event(double wall_time, std::optional<int64_t> step, int field, const std::string& bytes);

}  // namespace ember::utils::tensorboard
