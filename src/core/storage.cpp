// The CPU allocator (64-byte aligned, with live/peak byte counters, reusing freed large buffers) and
// Storage's lifetime.
#include <atomic>
#include <cstdlib>
#include <new>

#include <pthread.h>
#include <sys/mman.h>

#include <ember/core/error.h>
#include <ember/core/storage.h>

#include "core/cuda_hooks.h"
#include "core/large_block_cache.h"

namespace ember {

namespace {

struct Counters {
  std::atomic<int64_t> allocated{0}, peak{0}, allocs{0}, frees{0};
  void on_alloc(size_t n) {
    int64_t now = allocated.fetch_add(int64_t(n), std::memory_order_relaxed) + int64_t(n);
    int64_t p = peak.load(std::memory_order_relaxed);
    while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
    }
    allocs.fetch_add(1, std::memory_order_relaxed);
  }
  void on_free(size_t n) {
    allocated.fetch_sub(int64_t(n), std::memory_order_relaxed);
    frees.fetch_add(1, std::memory_order_relaxed);
  }
};
Counters g_counters[kNumDeviceTypes];

constexpr size_t kHugePage = size_t(2) << 20;

// `align` is a power of two.
constexpr size_t round_up(size_t n, size_t align) { return (n + align - 1) & ~(align - 1); }

constexpr size_t kLargeBlockCacheLimit = size_t(1) << 30;

// Never destroyed: tensors in other static objects may free their buffers after this file's statics die.
core::LargeBlockCache& large_blocks() {
  static core::LargeBlockCache* cache = [] {
    auto* c = new core::LargeBlockCache(kLargeBlockCacheLimit);
    pthread_atfork([] { large_blocks().lock(); }, [] { large_blocks().unlock(); }, [] { large_blocks().unlock(); });
    return c;
  }();
  return *cache;
}
// Created (and its fork handlers registered) when the library loads, before any user thread exists.
const bool g_large_blocks_ready = (large_blocks(), true);

class CPUAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes) override {
    if (nbytes == 0) return nullptr;
    // 64-byte alignment keeps AVX-512 loads within one cache line. Large buffers are 2 MiB aligned and
    // marked for transparent huge pages: where THP is in `madvise` mode (as on these machines), first
    // touching a fresh 64 MB output otherwise costs more page faults than the op's arithmetic. Freed
    // ones are reused (large_block_cache.h), which saves even the huge pages' faults.
    const bool huge = nbytes >= kHugePage;
    const size_t align = huge ? kHugePage : 64;
    const size_t rounded = round_up(nbytes, align);
    void* p = huge ? large_blocks().take(rounded) : nullptr;
    if (!p) p = fresh(align, rounded, huge);
    if (!p && huge) {
      large_blocks().release();
      p = fresh(align, rounded, huge);
    }
    if (!p)
      throw Error("DefaultCPUAllocator: not enough memory: you tried to allocate " + std::to_string(nbytes) +
                  " bytes.");
    g_counters[int(kCPU)].on_alloc(nbytes);
    return p;
  }
  void deallocate(void* p, size_t nbytes) override {
    if (!p) return;
    if (nbytes >= kHugePage) large_blocks().give(p, round_up(nbytes, kHugePage));
    else std::free(p);
    g_counters[int(kCPU)].on_free(nbytes);
  }

 private:
  static void* fresh(size_t align, size_t rounded, bool huge) {
    void* p = std::aligned_alloc(align, rounded);
    if (p && huge) madvise(p, rounded, MADV_HUGEPAGE);
    return p;
  }
};

CPUAllocator g_cpu_allocator;
Allocator* g_allocators[kNumDeviceTypes] = {&g_cpu_allocator, nullptr};

}  // namespace

Allocator* get_allocator(DeviceType t) {
  Allocator* a = g_allocators[int(t)];
  EMBER_CHECK(a, "no allocator for device type ", Device(t).str(), ": ember was built without that backend");
  return a;
}
void set_allocator(DeviceType t, Allocator* a) { g_allocators[int(t)] = a; }

MemoryStats memory_stats(DeviceType t) {
  auto& c = g_counters[int(t)];
  const int64_t cached = t == kCPU ? int64_t(large_blocks().bytes()) : 0;
  return {c.allocated.load(), c.peak.load(), c.allocs.load(), c.frees.load(), cached};
}
void reset_peak_memory_stats(DeviceType t) {
  auto& c = g_counters[int(t)];
  c.peak.store(c.allocated.load());
}

namespace {
// A CUDA device without an index means the current one, as in PyTorch; the index must name a GPU this
// process can use.
Device placed(Device d) {
  if (!d.is_cuda()) return d;
  core::CudaHooks* h = core::cuda_hooks();
  EMBER_CHECK(h, "Torch not compiled with CUDA enabled (ember was built without its CUDA backend)");
  EMBER_CHECK(h->device_count() > 0, "Found no NVIDIA driver on your system or no CUDA GPUs are available");
  const int current = h->current_device();
  const int index = d.has_index() ? d.index() : current;
  EMBER_CHECK(index < h->device_count(), "CUDA error: invalid device ordinal (", d, " on a machine with ",
              h->device_count(), " GPU(s))");
  EMBER_CHECK(index == current, "ember drives one GPU per process for now: cuda:", index,
              " is not the current device cuda:", current);
  return Device(kCUDA, index);
}
}  // namespace

StorageImpl::StorageImpl(size_t n, Device d) : nbytes(n), device(placed(d)), allocator(get_allocator(d.type())) {
  data = allocator->allocate(n);
}
StorageImpl::StorageImpl(void* borrowed, size_t n, Device d, std::function<void(void*)> del)
    : data(borrowed), nbytes(n), device(placed(d)), deleter(std::move(del)) {}
StorageImpl::~StorageImpl() {
  if (allocator) allocator->deallocate(data, nbytes);
  else if (deleter) deleter(data);
}

}  // namespace ember
