// The caching allocator (see caching_allocator.h). Sizes round up to 512 bytes. Requests up to 1 MiB
// come from 2 MiB segments shared by many blocks ("small" pool); larger ones from segments of their own
// size rounded to 2 MiB ("large" pool), so small tensors don't fragment the big buffers. A free block
// is reused for a request on its stream when it is the smallest that fits; what is left over becomes
// a free block of its own when it is worth keeping (512 bytes in the small pool, over 1 MiB in the
// large one).
//
// A block another stream uses (record_stream) is not reused when its tensor dies: the allocator records
// an event on each such stream and keeps the block out of the pools until every event has passed, as
// PyTorch's does; the next allocation looks at the pending blocks first. Its bytes stop counting as
// allocated at once, as in PyTorch's counters.
#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <ember/core/error.h>
#include <ember/core/storage.h>

#include "backend/cuda/caching_allocator.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"

namespace ember::cuda {
namespace {

constexpr size_t kRound = 512;
constexpr size_t kSmallRequest = size_t(1) << 20;
constexpr size_t kSmallSegment = size_t(2) << 20;
constexpr size_t kLargeRound = size_t(2) << 20;

struct Block {
  Block(char* p, size_t n, cudaStream_t s, bool sm) : ptr(p), size(n), stream(s), small(sm) {}
  char* ptr;
  size_t size;
  cudaStream_t stream;
  bool small;
  bool allocated = false;
  Block* prev = nullptr;  // neighbours inside the same segment
  Block* next = nullptr;
  std::vector<cudaStream_t> stream_uses;  // other streams that use it (record_stream)
};

// A freed block waiting for the work queued on the streams that used it.
struct PendingFree {
  Block* block;
  std::vector<cudaEvent_t> events;
};

struct BlockOrder {
  bool operator()(const Block* a, const Block* b) const {
    return std::make_tuple(a->stream, a->size, a->ptr) < std::make_tuple(b->stream, b->size, b->ptr);
  }
};
using Pool = std::set<Block*, BlockOrder>;

std::string mib(int64_t bytes) {
  char buf[64];
  if (bytes >= (int64_t(1) << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / double(1 << 30));
  else std::snprintf(buf, sizeof buf, "%.2f MiB", double(bytes) / double(1 << 20));
  return buf;
}

class CachingAllocator {
 public:
  void* malloc(size_t nbytes, cudaStream_t stream) {
    std::lock_guard<std::mutex> lock(mu_);
    reclaim_pending(false);
    const size_t size = (nbytes + kRound - 1) / kRound * kRound;
    const bool small = size <= kSmallRequest;
    Pool& pool = small ? small_ : large_;
    Block key{nullptr, size, stream, small};
    auto it = pool.lower_bound(&key);
    Block* b = nullptr;
    if (it != pool.end() && (*it)->stream == stream) {
      b = *it;
      pool.erase(it);
    } else {
      b = new_segment(small ? kSmallSegment : (size + kLargeRound - 1) / kLargeRound * kLargeRound, stream, small,
                      nbytes);
    }
    const size_t rest = b->size - size;
    if (rest >= (small ? kRound : kSmallRequest + 1)) {
      Block* tail = new Block{b->ptr + size, rest, stream, small};
      tail->prev = b;
      tail->next = b->next;
      if (b->next) b->next->prev = tail;
      b->next = tail;
      b->size = size;
      pool.insert(tail);
    }
    b->allocated = true;
    active_.emplace(b->ptr, b);
    c_.allocated += int64_t(b->size);
    if (c_.allocated > c_.peak_allocated) c_.peak_allocated = c_.allocated;
    return b->ptr;
  }

  void free(void* p) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(p);
    EMBER_CHECK(it != active_.end(), "CUDA caching allocator: free of a pointer it did not allocate");
    Block* b = it->second;
    active_.erase(it);
    c_.allocated -= int64_t(b->size);
    if (!b->stream_uses.empty()) {
      defer(b);
      return;
    }
    to_pool(b);
  }

  void record_stream(void* p, cudaStream_t stream) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = active_.find(p);
    EMBER_CHECK(it != active_.end(), "record_stream: the tensor's memory was not allocated by ember's CUDA allocator");
    Block* b = it->second;
    if (stream != b->stream && std::find(b->stream_uses.begin(), b->stream_uses.end(), stream) == b->stream_uses.end())
      b->stream_uses.push_back(stream);
  }

  void release_all() {
    std::lock_guard<std::mutex> lock(mu_);
    reclaim_pending(true);
    release_unused(small_);
    release_unused(large_);
  }

  core::CudaMemoryCounters counters() {
    std::lock_guard<std::mutex> lock(mu_);
    return c_;
  }
  void reset_peak() {
    std::lock_guard<std::mutex> lock(mu_);
    c_.peak_allocated = c_.allocated;
    c_.peak_reserved = c_.reserved;
  }

 private:
  // Called from tensor destructors, so it does not throw: where an event cannot be recorded it waits
  // for the stream instead.
  void defer(Block* b) {
    PendingFree pending{b, {}};
    for (cudaStream_t s : b->stream_uses) {
      cudaEvent_t e = nullptr;
      if (cudaEventCreateWithFlags(&e, cudaEventDisableTiming) == cudaSuccess && cudaEventRecord(e, s) == cudaSuccess) {
        pending.events.push_back(e);
        continue;
      }
      cudaGetLastError();
      if (e) cudaEventDestroy(e);
      cudaStreamSynchronize(s);
    }
    b->stream_uses.clear();
    if (pending.events.empty()) to_pool(b);
    else pending_.push_back(std::move(pending));
  }

  // Returns the pending blocks whose events have all passed to the pools (waiting for them when `wait`).
  void reclaim_pending(bool wait) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      auto& events = it->events;
      while (!events.empty()) {
        cudaEvent_t e = events.back();
        const cudaError_t err = wait ? cudaEventSynchronize(e) : cudaEventQuery(e);
        cudaGetLastError();
        if (err == cudaErrorNotReady) break;
        cudaEventDestroy(e);
        events.pop_back();
      }
      if (!events.empty()) {
        ++it;
        continue;
      }
      to_pool(it->block);
      it = pending_.erase(it);
    }
  }

  // Marks a block free and merges it with free neighbours into its pool.
  void to_pool(Block* b) {
    b->allocated = false;
    Pool& pool = b->small ? small_ : large_;
    for (Block* n : {b->prev, b->next}) {
      if (!n || n->allocated) continue;
      pool.erase(n);
      if (n == b->prev) {
        b->ptr = n->ptr;
        b->prev = n->prev;
        if (n->prev) n->prev->next = b;
      } else {
        b->next = n->next;
        if (n->next) n->next->prev = b;
      }
      b->size += n->size;
      delete n;
    }
    pool.insert(b);
  }

  Block* new_segment(size_t size, cudaStream_t stream, bool small, size_t requested) {
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, size);
    if (err == cudaErrorMemoryAllocation) {
      // Give the cache back to the driver and try once more before reporting the failure.
      cudaGetLastError();
      reclaim_pending(true);
      release_unused(small_);
      release_unused(large_);
      err = cudaMalloc(&p, size);
    }
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      size_t free_b = 0, total_b = 0;
      cudaMemGetInfo(&free_b, &total_b);
      throw Error("CUDA out of memory. Tried to allocate " + mib(int64_t(requested)) + ". GPU has a total capacity of " +
                  mib(int64_t(total_b)) + " of which " + mib(int64_t(free_b)) + " is free. " + mib(c_.allocated) +
                  " is allocated by ember, and " + mib(c_.reserved - c_.allocated) +
                  " is reserved by ember but unallocated.");
    }
    EMBER_CUDA_CHECK(err, "CUDA caching allocator");
    c_.reserved += int64_t(size);
    if (c_.reserved > c_.peak_reserved) c_.peak_reserved = c_.reserved;
    return new Block{static_cast<char*>(p), size, stream, small};
  }

  // A segment is unused when it is one free block with no neighbours.
  void release_unused(Pool& pool) {
    for (auto it = pool.begin(); it != pool.end();) {
      Block* b = *it;
      if (b->prev || b->next) {
        ++it;
        continue;
      }
      cudaFree(b->ptr);
      c_.reserved -= int64_t(b->size);
      delete b;
      it = pool.erase(it);
    }
  }

  std::mutex mu_;
  Pool small_, large_;
  std::unordered_map<void*, Block*> active_;
  std::vector<PendingFree> pending_;
  core::CudaMemoryCounters c_;
};

CachingAllocator& allocator() {
  // Never destroyed: tensors freed during static destruction still return their blocks to it.
  static auto* a = new CachingAllocator;
  return *a;
}

class CudaAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes) override { return nbytes ? cached_alloc(nbytes, current_stream()) : nullptr; }
  void deallocate(void* p, size_t) override {
    if (p) cached_free(p);
  }
};

CudaAllocator g_allocator;
const bool g_registered = (set_allocator(kCUDA, &g_allocator), true);

}  // namespace

void* cached_alloc(size_t nbytes, cudaStream_t stream) { return allocator().malloc(nbytes, stream); }
void cached_free(void* p) { allocator().free(p); }
void record_stream(void* p, cudaStream_t stream) { allocator().record_stream(p, stream); }
core::CudaMemoryCounters memory_counters() { return allocator().counters(); }
void reset_peak_memory() { allocator().reset_peak(); }
void release_cached_memory() { allocator().release_all(); }

}  // namespace ember::cuda
