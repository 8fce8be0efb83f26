#include "io/atomic_file.h"

#include <ember/io/file.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include <ember/core/error.h>

namespace ember::io::detail {

namespace {
[[noreturn]] void throw_errno(std::string_view what, const std::filesystem::path& p) {
  throw Error(ember::detail::str(what, " '", p.string(), "': ", std::strerror(errno)));
}
}  // namespace

std::string unique_suffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return ember::detail::str(getpid(), '.', counter.fetch_add(1), '.', std::hex, rng() & 0xffffffu);
}

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("cannot open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw_errno("cannot fsync directory", dir);
}

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  std::filesystem::path dir = target_.parent_path();
  std::string name = target_.filename().string();
  name.insert(name.begin(), '.');  // `"." + string` trips GCC 12's false -Wrestrict
  temp_ = dir / (name + ".tmp." + unique_suffix());
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create", temp_);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
}

void AtomicFile::write(const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write", temp_);
    }
    p += w;
    n -= size_t(w);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) throw_errno("cannot fsync", temp_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temp_.c_str());
    throw_errno("cannot close", temp_);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    int e = errno;
    ::unlink(temp_.c_str());
    errno = e;
    throw_errno("cannot rename into", target_);
  }
  fsync_directory(target_.parent_path());
}

void write_file_atomic(const std::filesystem::path& target, std::string_view contents) {
  AtomicFile f(target);
  f.write(contents);
  f.commit();
}

std::string read_small_file(const std::filesystem::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ember::detail::str("cannot open '", path.string(), "': ", std::strerror(errno)));
  std::string s;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    s.append(buf, size_t(in.gcount()));
    if (s.size() > limit) throw Error(ember::detail::str("'", path.string(), "' is larger than ", limit, " bytes"));
  }
  return s;
}

}  // namespace ember::io::detail

namespace ember::io {
void write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  detail::write_file_atomic(path, contents);
}
}  // namespace ember::io
