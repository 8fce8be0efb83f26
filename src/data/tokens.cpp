// Token blocks for language models, from a memory-mapped file of tokens.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <ember/data/datasets.h>
#include <ember/ops/factory.h>

#include "data/file_util.h"

namespace ember::data {

TokenDataset::TokenDataset(const std::string& path, int64_t block_size, int token_bytes)
    : block_size_(block_size), token_bytes_(token_bytes), path_(path) {
  EMBER_CHECK_VALUE(block_size > 0, "TokenDataset: block_size must be positive, got ", block_size);
  EMBER_CHECK_VALUE(token_bytes == 1 || token_bytes == 2 || token_bytes == 4,
                    "TokenDataset: token_bytes must be 1, 2 or 4, got ", token_bytes);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) detail::file_error(path, "cannot open: ", std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    detail::file_error(path, "cannot stat: ", std::strerror(e));
  }
  const size_t size = size_t(st.st_size);
  if (size % size_t(token_bytes) != 0) {
    ::close(fd);
    detail::file_error(path, "size mismatch: ", size, " bytes is not a whole number of ", token_bytes, "-byte tokens");
  }
  num_tokens_ = int64_t(size) / token_bytes;
  if (num_tokens_ < block_size + 1) {
    ::close(fd);
    detail::file_error(path, "too short: ", num_tokens_, " tokens, a block of ", block_size, " needs ", block_size + 1);
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  ::close(fd);
  if (p == MAP_FAILED) detail::file_error(path, "cannot map: ", std::strerror(e));
  tokens_ = std::shared_ptr<const uint8_t>(static_cast<const uint8_t*>(p), [size](const uint8_t* q) {
    ::munmap(const_cast<uint8_t*>(q), size);
  });
  num_blocks_ = (num_tokens_ - 1) / block_size;
}

Example<> TokenDataset::get(int64_t index) const {
  const int64_t start = detail::wrap_index(index, size(), "TokenDataset") * block_size_;
  // x and y overlap in all but one token: read block_size + 1 tokens once.
  Tensor both = empty({block_size_ + 1}, kInt64);
  int64_t* out = both.data_ptr<int64_t>();
  const uint8_t* src = tokens_.get() + start * token_bytes_;
  for (int64_t i = 0; i <= block_size_; ++i) {
    const uint8_t* t = src + i * token_bytes_;
    switch (token_bytes_) {
      case 1: out[i] = t[0]; break;
      case 2: out[i] = int64_t(t[0]) | int64_t(t[1]) << 8; break;
      default: out[i] = int64_t(t[0]) | int64_t(t[1]) << 8 | int64_t(t[2]) << 16 | int64_t(t[3]) << 24; break;
    }
  }
  return {both.narrow(0, 0, block_size_), both.narrow(0, 1, block_size_)};
}

}  // namespace ember::data
