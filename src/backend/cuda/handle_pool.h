#pragma once
// Library handles (cuBLASLt, cuDNN) per thread and per device: the libraries' handles are not meant to
// be shared between threads, and creating one loads kernels and takes milliseconds, so a thread's
// handles go back to a pool when it exits, for the next thread to reuse. The pool is never destroyed:
// destroying handles during static destruction may run after the driver has shut down.
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

namespace ember::cuda {

// `create(Handle*)` makes a new handle (and raises if it cannot).
template <class Handle, class Create>
Handle thread_handle(int device, const Create& create) {
  struct Pool {
    std::mutex mu;
    std::vector<std::pair<int, Handle>> idle;
  };
  static auto* pool = new Pool;
  struct Held {
    std::vector<std::pair<int, Handle>> handles;
    ~Held() {
      std::lock_guard<std::mutex> lock(pool->mu);
      pool->idle.insert(pool->idle.end(), handles.begin(), handles.end());
    }
  };
  thread_local Held mine;
  for (const auto& [d, h] : mine.handles)
    if (d == device) return h;
  Handle handle{};
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(pool->mu);
    for (size_t i = 0; i < pool->idle.size() && !found; ++i)
      if (pool->idle[i].first == device) {
        handle = pool->idle[i].second;
        pool->idle.erase(pool->idle.begin() + std::ptrdiff_t(i));
        found = true;
      }
  }
  if (!found) create(&handle);
  mine.handles.emplace_back(device, handle);
  return handle;
}

}  // namespace ember::cuda
