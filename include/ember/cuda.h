#pragma once
// The CUDA runtime as torch::cuda and torch.cuda expose it. Everything here also works in a build
// without the CUDA backend or on a machine without a GPU: is_available() is false and device_count() 0
// there, the memory counters read 0, and synchronize() raises, as PyTorch's do.
#include <cstdint>
#include <string>
#include <utility>

namespace ember::cuda {

bool is_available();
int device_count();
// Waits for all work queued on the device (-1: the current one).
void synchronize(int device = -1);

// The device ember runs CUDA work on. ember drives one GPU per process for now: set_device accepts
// device 0 only (docs/DIFFERENCES.md); use CUDA_VISIBLE_DEVICES to pick a GPU.
int current_device();
void set_device(int device);

// cudaGetDeviceProperties' essentials, as torch.cuda.get_device_properties.
struct DeviceProperties {
  std::string name;
  int major = 0, minor = 0;
  int64_t total_memory = 0;  // bytes
  int multi_processor_count = 0;
};
DeviceProperties get_device_properties(int device = -1);
// Free and total device memory in bytes, from the driver (torch.cuda.mem_get_info).
std::pair<int64_t, int64_t> mem_get_info(int device = -1);

// The caching allocator's counters in bytes (torch.cuda.memory_allocated and friends). Allocated bytes
// are those of live tensors; reserved bytes are what the allocator holds from the driver, cached blocks
// included; empty_cache() returns the unused cached blocks to the driver.
int64_t memory_allocated(int device = -1);
int64_t max_memory_allocated(int device = -1);
int64_t memory_reserved(int device = -1);
int64_t max_memory_reserved(int device = -1);
void reset_peak_memory_stats(int device = -1);
void empty_cache();

// torch.backends.cuda.matmul.allow_tf32: float32 matrix products may use TF32 tensor cores (off by
// default, as in PyTorch since 1.12).
bool allow_tf32();
void set_allow_tf32(bool allow);

// CUDA streams with libtorch's names (c10::cuda::CUDAStream and friends). Each thread has a current
// stream, the default stream until set otherwise; every kernel and copy ember runs from that thread goes
// to it, and a user's own kernel launched on getCurrentCUDAStream().stream() runs in order with them.
// Streams from the pool are made on first use and live until the process exits, as PyTorch's, so a
// CUDAStream is a plain handle that may be copied freely.
class CUDAStream {
 public:
  // The cudaStream_t, for launching kernels: `kernel<<<grid, block, 0, (cudaStream_t)s.stream()>>>`.
  void* stream() const { return handle_; }
  // Waits for the work queued on this stream.
  void synchronize() const;
  // Whether all the work queued on this stream has finished.
  bool query() const;
  bool operator==(const CUDAStream& other) const { return handle_ == other.handle_; }
  bool operator!=(const CUDAStream& other) const { return handle_ != other.handle_; }

 private:
  explicit CUDAStream(void* handle) : handle_(handle) {}
  friend CUDAStream getStreamFromPool(bool);
  friend CUDAStream getDefaultCUDAStream();
  friend CUDAStream getCurrentCUDAStream();
  friend CUDAStream getStreamFromExternal(void*);
  void* handle_ = nullptr;
};

// One of a pool of streams (32 of each priority, handed out in turn).
CUDAStream getStreamFromPool(bool isHighPriority = false);
CUDAStream getDefaultCUDAStream();
CUDAStream getCurrentCUDAStream();
void setCurrentCUDAStream(const CUDAStream& stream);
// A stream the caller made and owns (a cudaStream_t), to run ember's ops on with CUDAStreamGuard.
CUDAStream getStreamFromExternal(void* stream);

// Makes `stream` the thread's current stream for a scope (c10::cuda::CUDAStreamGuard, torch.cuda.stream).
class CUDAStreamGuard {
 public:
  explicit CUDAStreamGuard(const CUDAStream& stream) : previous_(getCurrentCUDAStream()) {
    setCurrentCUDAStream(stream);
  }
  ~CUDAStreamGuard() { setCurrentCUDAStream(previous_); }
  CUDAStreamGuard(const CUDAStreamGuard&) = delete;
  CUDAStreamGuard& operator=(const CUDAStreamGuard&) = delete;

 private:
  CUDAStream previous_;
};

// cudaEventCreateWithFlags' flags, for CUDAEvent.
constexpr unsigned kEventDefault = 0;
constexpr unsigned kEventBlockingSync = 1;
constexpr unsigned kEventDisableTiming = 2;

// A CUDA event (at::cuda::CUDAEvent, torch.cuda.Event): a point in a stream's queue that other streams
// can wait for and the host can query, wait for or time. It is made on first record(); until then
// query() is true and block() does nothing. Move-only: it owns its cudaEvent_t.
class CUDAEvent {
 public:
  explicit CUDAEvent(unsigned flags = kEventDisableTiming) : flags_(flags) {}
  ~CUDAEvent();
  CUDAEvent(CUDAEvent&& other) noexcept;
  CUDAEvent& operator=(CUDAEvent&& other) noexcept;
  CUDAEvent(const CUDAEvent&) = delete;
  CUDAEvent& operator=(const CUDAEvent&) = delete;

  bool isCreated() const { return event_ != nullptr; }
  // The cudaEvent_t (null before the first record).
  void* event() const { return event_; }
  // Marks the current point of `stream` (the current stream when none is named).
  void record();
  void record(const CUDAStream& stream);
  // Makes the work queued on `stream` from now on wait until this event has passed.
  void block(const CUDAStream& stream);
  // Whether the work before the event has finished.
  bool query() const;
  // Waits on the host until the event has passed.
  void synchronize() const;
  // Milliseconds from this event to `end`; both need timing (flags without kEventDisableTiming) and
  // a record().
  float elapsed_time(const CUDAEvent& end) const;

 private:
  unsigned flags_;
  void* event_ = nullptr;
};

}  // namespace ember::cuda
