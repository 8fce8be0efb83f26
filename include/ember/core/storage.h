#pragma once
// Storage: a ref-counted byte buffer on one device with the allocator that owns it. Views share it; the
// version counter lives here too, so every view of a buffer sees in-place writes through any other.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include <ember/core/device.h>

namespace ember {

// Allocators own device memory. Each device type registers one (CPU in core, CUDA in its backend).
class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual void* allocate(size_t nbytes) = 0;
  virtual void deallocate(void* p, size_t nbytes) = 0;
};
Allocator* get_allocator(DeviceType t);
void set_allocator(DeviceType t, Allocator* a);

// Byte counts of live and peak allocations per device, as torch.cuda.memory_allocated reports them.
// cached_bytes: freed CPU buffers of 2 MiB and more that the CPU allocator keeps for reuse (at most
// 1 GiB). They count as freed in the other fields.
struct MemoryStats {
  int64_t allocated_bytes = 0;
  int64_t peak_allocated_bytes = 0;
  int64_t num_allocs = 0;
  int64_t num_frees = 0;
  int64_t cached_bytes = 0;
};
MemoryStats memory_stats(DeviceType t = kCPU);
void reset_peak_memory_stats(DeviceType t = kCPU);

struct StorageImpl {
  void* data = nullptr;
  size_t nbytes = 0;
  Device device;
  Allocator* allocator = nullptr;          // null when the memory is borrowed (from_blob)
  std::function<void(void*)> deleter;      // from_blob's optional deleter
  std::atomic<uint32_t> version{0};

  StorageImpl(size_t n, Device d);  // allocates through the device's allocator
  StorageImpl(void* borrowed, size_t n, Device d, std::function<void(void*)> del);
  ~StorageImpl();
  StorageImpl(const StorageImpl&) = delete;
  StorageImpl& operator=(const StorageImpl&) = delete;
};

}  // namespace ember
