#pragma once
// Freed CPU buffers of 2 MiB and more, kept for reuse by the CPU allocator. A fresh buffer that size is
// huge-page backed, and its first touch costs a page fault and a zeroed 2 MiB page per 2 MiB: as much
// as an elementwise op's own work on it, so an op on a [64, 32, 26, 26] activation ran 5x slower than
// PyTorch's, whose buffers below glibc's 32 MiB mmap threshold come back from the heap already mapped.
// Blocks are matched by exact (2 MiB-rounded) size, the most recently freed first; the oldest go when
// the total would pass the limit. Under AddressSanitizer a cached block is poisoned, so a use after
// free is still reported.
#include <cstddef>
#include <mutex>
#include <vector>

namespace ember::core {

class LargeBlockCache {
 public:
  explicit LargeBlockCache(size_t limit_bytes) : limit_(limit_bytes) {}
  LargeBlockCache(const LargeBlockCache&) = delete;
  LargeBlockCache& operator=(const LargeBlockCache&) = delete;

  // A cached block of exactly `size` bytes, or null.
  void* take(size_t size);
  // Keeps `p` (`size` bytes, from std::aligned_alloc) for reuse, freeing older blocks to stay within
  // the limit; frees `p` itself when it alone is over a quarter of the limit.
  void give(void* p, size_t size);
  // Frees every cached block.
  void release();
  size_t bytes() const;
  // Held across fork() (pthread_atfork), so a child never inherits the lock taken by another thread.
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

 private:
  struct Block {
    void* p;
    size_t size;
  };
  const size_t limit_;
  mutable std::mutex mu_;
  std::vector<Block> blocks_;  // oldest first
  size_t bytes_ = 0;
};

}  // namespace ember::core
