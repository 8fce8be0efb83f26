#include "utils/event_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ember/core/error.h>
#include <ember/utils/crc32c.h>
#include <filesystem>

#include "utils/proto_writer.h"

namespace ember::utils::tensorboard {

namespace {
std::atomic<uint64_t> g_file_counter{0};  // tensorboard's _global_uid: distinct names within a process

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}
}  // namespace

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string encode_event(double wall_time, std::optional<int64_t> step, int field, const std::string& bytes) {
  detail::ProtoWriter e;
  e.double_field(1, wall_time);
  if (step) e.varint_field(2, uint64_t(*step));
  e.bytes_field(field, bytes);
  return e.bytes();
}

EventFileWriter::EventFileWriter(const std::string& logdir, int max_queue, double flush_secs,
                                 const std::string& filename_suffix)
    : logdir_(logdir), max_queue_(max_queue), flush_secs_(flush_secs) {
  std::error_code ec;
  std::filesystem::create_directories(logdir, ec);
  if (ec) throw Error(ember::detail::str("SummaryWriter: cannot create the log directory '", logdir, "': ", ec.message()));
  char name[512];
  std::snprintf(name, sizeof name, "events.out.tfevents.%010lld.%s.%d.%llu", (long long)now_seconds(),
                hostname().c_str(), int(::getpid()), (unsigned long long)g_file_counter.fetch_add(1));
  path_ = (std::filesystem::path(logdir) / (name + filename_suffix)).string();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(ember::detail::str("SummaryWriter: cannot create '", path_, "': ", std::strerror(errno)));
  last_flush_ = std::chrono::steady_clock::now();
  add_event(encode_event(now_seconds(), std::nullopt, 3, "brain.Event:2"));
  flush();
}

EventFileWriter::~EventFileWriter() {
  try {
    close();
  } catch (const Error&) {
    // A destructor cannot report a full disk; close() called explicitly does.
  }
}

void EventFileWriter::add_event(const std::string& event) {
  EMBER_CHECK(fd_ >= 0, "SummaryWriter: the event file '", path_, "' is closed");
  uint64_t len = event.size();
  char header[12];
  std::memcpy(header, &len, 8);
  uint32_t c = masked_crc32c(header, 8);
  std::memcpy(header + 8, &c, 4);
  pending_.append(header, 12);
  pending_ += event;
  c = masked_crc32c(event.data(), event.size());
  pending_.append(reinterpret_cast<const char*>(&c), 4);
  ++queued_;
  auto now = std::chrono::steady_clock::now();
  if (queued_ >= max_queue_ || std::chrono::duration<double>(now - last_flush_).count() >= flush_secs_) flush();
}

void EventFileWriter::flush() {
  if (fd_ < 0) return;
  const char* p = pending_.data();
  size_t n = pending_.size();
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw Error(ember::detail::str("SummaryWriter: cannot write '", path_, "': ", std::strerror(errno)));
    }
    p += w;
    n -= size_t(w);
  }
  pending_.clear();
  queued_ = 0;
  last_flush_ = std::chrono::steady_clock::now();
}

void EventFileWriter::close() {
  if (fd_ < 0) return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace ember::utils::tensorboard
