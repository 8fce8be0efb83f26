// ember/cuda.h: forwards to the CUDA backend's hooks when it is built in.
#include <atomic>
#include <mutex>
#include <vector>

#include <ember/core/error.h>
#include <ember/cuda.h>
#include <ember/tensor.h>

#include "core/cuda_hooks.h"

namespace ember {
namespace core {
namespace {
CudaHooks* g_hooks = nullptr;
}
CudaHooks* cuda_hooks() { return g_hooks; }
void set_cuda_hooks(CudaHooks* hooks) { g_hooks = hooks; }
}  // namespace core

namespace cuda {
namespace {
std::atomic<bool> g_allow_tf32{false};

core::CudaMemoryCounters counters(int device) {
  core::CudaHooks* h = core::cuda_hooks();
  if (!h || h->device_count() == 0) return {};
  return h->memory(device < 0 ? h->current_device() : device);
}
}  // namespace

int device_count() {
  core::CudaHooks* h = core::cuda_hooks();
  return h ? h->device_count() : 0;
}
bool is_available() { return device_count() > 0; }

namespace {
// The hooks of a machine where CUDA work can run, or the error PyTorch gives where it cannot.
core::CudaHooks& usable_hooks(const char* op) {
  core::CudaHooks* h = core::cuda_hooks();
  EMBER_CHECK(h, "Torch not compiled with CUDA enabled (ember was built without its CUDA backend)");
  EMBER_CHECK(h->device_count() > 0, op, ": no CUDA GPUs are available");
  return *h;
}
}  // namespace

void synchronize(int device) {
  core::CudaHooks& h = usable_hooks("synchronize");
  h.synchronize(device < 0 ? h.current_device() : device);
}

namespace {
// A device index the runtime can be asked about: -1 is the current device; ember drives device 0 only.
int checked_device(core::CudaHooks& h, int device, const char* op) {
  const int d = device < 0 ? h.current_device() : device;
  EMBER_CHECK(d < h.device_count(), op, ": Invalid device id ", d, " (", h.device_count(), " CUDA devices)");
  return d;
}
}  // namespace

int current_device() { return usable_hooks("current_device").current_device(); }

void set_device(int device) {
  core::CudaHooks& h = usable_hooks("set_device");
  checked_device(h, device, "set_device");
  EMBER_CHECK(device < 0 || device == h.current_device(), "set_device(", device,
              "): ember drives one GPU per process for now (cuda:", h.current_device(),
              "); choose the GPU with CUDA_VISIBLE_DEVICES");
}

DeviceProperties get_device_properties(int device) {
  core::CudaHooks& h = usable_hooks("get_device_properties");
  const core::CudaDeviceInfo info = h.device_info(checked_device(h, device, "get_device_properties"));
  return {info.name, info.major, info.minor, info.total_memory, info.multi_processor_count};
}

std::pair<int64_t, int64_t> mem_get_info(int device) {
  core::CudaHooks& h = usable_hooks("mem_get_info");
  EMBER_CHECK(checked_device(h, device, "mem_get_info") == h.current_device(), "mem_get_info: cuda:", device,
              " is not the current device (ember drives one GPU per process for now)");
  int64_t free = 0, total = 0;
  h.mem_get_info(&free, &total);
  return {free, total};
}

int64_t memory_allocated(int device) { return counters(device).allocated; }
int64_t max_memory_allocated(int device) { return counters(device).peak_allocated; }
int64_t memory_reserved(int device) { return counters(device).reserved; }
int64_t max_memory_reserved(int device) { return counters(device).peak_reserved; }

void reset_peak_memory_stats(int device) {
  core::CudaHooks* h = core::cuda_hooks();
  if (h && h->device_count() > 0) h->reset_peak_memory(device < 0 ? h->current_device() : device);
}
void empty_cache() {
  core::CudaHooks* h = core::cuda_hooks();
  if (h && h->device_count() > 0) h->empty_cache();
}

void CUDAStream::synchronize() const { usable_hooks("synchronize").synchronize_stream(handle_); }
bool CUDAStream::query() const { return usable_hooks("query").query_stream(handle_); }

CUDAStream getStreamFromPool(bool isHighPriority) {
  constexpr int kPoolSize = 32;
  core::CudaHooks& h = usable_hooks("getStreamFromPool");
  static std::mutex mutex;
  static std::vector<void*> pools[2];
  static int next[2] = {0, 0};
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<void*>& pool = pools[isHighPriority];
  int& at = next[isHighPriority];
  if (int(pool.size()) < kPoolSize) pool.push_back(h.create_stream(isHighPriority ? -1 : 0));
  void* s = pool[size_t(at)];
  at = (at + 1) % kPoolSize;
  return CUDAStream(s);
}
CUDAStream getDefaultCUDAStream() {
  usable_hooks("getDefaultCUDAStream");
  return CUDAStream(nullptr);
}
CUDAStream getCurrentCUDAStream() { return CUDAStream(usable_hooks("getCurrentCUDAStream").current_stream()); }
void setCurrentCUDAStream(const CUDAStream& stream) {
  usable_hooks("setCurrentCUDAStream").set_current_stream(stream.stream());
}

CUDAStream getStreamFromExternal(void* stream) {
  usable_hooks("getStreamFromExternal");
  return CUDAStream(stream);
}

CUDAEvent::~CUDAEvent() {
  if (event_) core::cuda_hooks()->destroy_event(event_);
}
CUDAEvent::CUDAEvent(CUDAEvent&& other) noexcept : flags_(other.flags_), event_(other.event_) { other.event_ = nullptr; }
CUDAEvent& CUDAEvent::operator=(CUDAEvent&& other) noexcept {
  if (this != &other) {
    if (event_) core::cuda_hooks()->destroy_event(event_);
    flags_ = other.flags_;
    event_ = other.event_;
    other.event_ = nullptr;
  }
  return *this;
}
void CUDAEvent::record() { record(getCurrentCUDAStream()); }
void CUDAEvent::record(const CUDAStream& stream) {
  core::CudaHooks& h = usable_hooks("Event.record");
  if (!event_) event_ = h.create_event(flags_);
  h.record_event(event_, stream.stream());
}
void CUDAEvent::block(const CUDAStream& stream) {
  if (event_) usable_hooks("Event.wait").stream_wait_event(stream.stream(), event_);
}
bool CUDAEvent::query() const { return !event_ || usable_hooks("Event.query").query_event(event_); }
void CUDAEvent::synchronize() const {
  if (event_) usable_hooks("Event.synchronize").synchronize_event(event_);
}
float CUDAEvent::elapsed_time(const CUDAEvent& end) const {
  EMBER_CHECK(!(flags_ & kEventDisableTiming) && !(end.flags_ & kEventDisableTiming),
              "Both events must be created with argument 'enable_timing=True'.");
  EMBER_CHECK(event_ && end.event_, "Both events must be recorded before calculating elapsed time.");
  return usable_hooks("Event.elapsed_time").elapsed_ms(event_, end.event_);
}

bool allow_tf32() { return g_allow_tf32.load(std::memory_order_relaxed); }
void set_allow_tf32(bool allow) { g_allow_tf32.store(allow, std::memory_order_relaxed); }

}  // namespace cuda

void Tensor::record_stream(const cuda::CUDAStream& stream) const {
  EMBER_CHECK_T(NotImplementedError, is_cuda(),
                "Could not run 'aten::record_stream' with arguments from the 'CPU' backend.");
  const StorageImpl& s = *storage();
  // Memory the caching allocator did not hand out (from_blob) is the caller's to keep alive, as in PyTorch.
  if (s.allocator && s.data) cuda::usable_hooks("record_stream").record_stream(s.data, stream.stream());
}

}  // namespace ember
