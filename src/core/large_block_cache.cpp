#include "core/large_block_cache.h"

#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define EMBER_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define EMBER_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define EMBER_POISON(p, n) ((void)(p), (void)(n))
#define EMBER_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace ember::core {

namespace {
void free_block(void* p, size_t size) {
  EMBER_UNPOISON(p, size);
  std::free(p);
}
}  // namespace

void* LargeBlockCache::take(size_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = blocks_.size(); i-- > 0;) {
    if (blocks_[i].size != size) continue;
    void* p = blocks_[i].p;
    blocks_.erase(blocks_.begin() + std::ptrdiff_t(i));
    bytes_ -= size;
    EMBER_UNPOISON(p, size);
    return p;
  }
  return nullptr;
}

void LargeBlockCache::give(void* p, size_t size) {
  if (size > limit_ / 4) {
    std::free(p);
    return;
  }
  std::vector<Block> evicted;
  EMBER_POISON(p, size);
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t drop = 0;
    while (bytes_ + size > limit_) {
      bytes_ -= blocks_[drop].size;
      evicted.push_back(blocks_[drop++]);
    }
    blocks_.erase(blocks_.begin(), blocks_.begin() + std::ptrdiff_t(drop));
    blocks_.push_back({p, size});
    bytes_ += size;
  }
  for (const Block& b : evicted) free_block(b.p, b.size);
}

void LargeBlockCache::release() {
  std::vector<Block> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(blocks_);
    bytes_ = 0;
  }
  for (const Block& b : all) free_block(b.p, b.size);
}

size_t LargeBlockCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace ember::core
