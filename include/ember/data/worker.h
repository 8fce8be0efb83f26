#pragma once
// DataLoader workers: threads that load batches ahead of the training loop.
//
// The loader draws the epoch's index batches on the calling thread and numbers them 0, 1, ...; batch k is
// sent to worker k mod num_workers (skipping finished workers of an iterable dataset), PyTorch's
// round-robin, and at most prefetch_factor * num_workers batches are in flight past the one the loop
// waits for. Each batch's random transforms draw from transform_generator(), seeded from the epoch's
// base seed and k alone, so a batch's contents do not depend on num_workers or on timing.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <ember/core/generator.h>

namespace ember::data {

// What torch.utils.data.get_worker_info() returns: on a worker thread its id (0..num_workers-1), the
// number of workers and its seed (the epoch's base seed + id); nullopt on any other thread.
struct WorkerInfo {
  int id = 0;
  int num_workers = 0;
  uint64_t seed = 0;
};
std::optional<WorkerInfo> get_worker_info();

// The generator random transforms use when they are given none: while a DataLoader loads a batch (on a
// worker or, with num_workers == 0, on the calling thread) one seeded from (base seed, batch number);
// elsewhere the default generator.
Generator transform_generator();

namespace detail {

// Sets transform_generator() for the current thread for one scope.
class BatchSeedGuard {
 public:
  BatchSeedGuard(uint64_t base_seed, int64_t batch);
  ~BatchSeedGuard();
  BatchSeedGuard(const BatchSeedGuard&) = delete;
  BatchSeedGuard& operator=(const BatchSeedGuard&) = delete;

 private:
  std::optional<Generator> previous_;
};

// A fixed set of worker threads, each with its own task queue. Tasks are numbered by the caller; wait(k)
// blocks until task k has run and rethrows what it threw. The pool does not own the results: tasks write
// them where the caller keeps them, and the destructor (or cancel) waits for running tasks to return, so
// a task never outlives what it writes to.
class WorkerPool {
 public:
  using Task = std::function<void()>;
  WorkerPool(int num_workers, uint64_t base_seed, std::function<void(int)> worker_init_fn);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int num_workers() const { return int(threads_.size()); }
  void submit(int64_t id, int worker, Task task);
  // Waits for task `id` (timeout_s > 0: at most that long, then returns false and the task stays
  // pending). Rethrows the task's exception; a finished task is forgotten either way.
  bool wait(int64_t id, double timeout_s);
  // Drops queued tasks and waits until no task is running; the pool stays usable.
  void cancel();

 private:
  struct Pending {
    int64_t id;
    Task task;
  };
  void run(int worker, uint64_t seed);

  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<std::deque<Pending>> queues_;
  std::vector<std::pair<int64_t, std::exception_ptr>> done_;
  int running_ = 0;
  bool stop_ = false;
  std::vector<std::exception_ptr> init_errors_;  // a worker whose worker_init_fn threw fails its tasks with it
  std::function<void(int)> worker_init_fn_;
  std::vector<std::thread> threads_;
};

}  // namespace detail
}  // namespace ember::data
