#include <ember/data/worker.h>

#include <chrono>

#include <ember/core/error.h>
#include <ember/core/parallel.h>

namespace ember::data {

namespace {
thread_local std::optional<WorkerInfo> t_worker_info;
thread_local std::optional<Generator> t_transform_generator;

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
}  // namespace

std::optional<WorkerInfo> get_worker_info() { return t_worker_info; }

Generator transform_generator() { return t_transform_generator ? *t_transform_generator : default_generator(); }

namespace detail {

BatchSeedGuard::BatchSeedGuard(uint64_t base_seed, int64_t batch) : previous_(std::move(t_transform_generator)) {
  t_transform_generator = Generator(splitmix64(base_seed ^ splitmix64(uint64_t(batch))));
}

BatchSeedGuard::~BatchSeedGuard() { t_transform_generator = std::move(previous_); }

WorkerPool::WorkerPool(int num_workers, uint64_t base_seed, std::function<void(int)> worker_init_fn)
    : queues_(size_t(num_workers)), init_errors_(size_t(num_workers)), worker_init_fn_(std::move(worker_init_fn)) {
  threads_.reserve(size_t(num_workers));
  for (int w = 0; w < num_workers; ++w) threads_.emplace_back([this, w, base_seed] { run(w, base_seed + uint64_t(w)); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    for (auto& q : queues_) q.clear();
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::run(int worker, uint64_t seed) {
  t_worker_info = WorkerInfo{worker, int(queues_.size()), seed};
  // Batches are loaded in parallel already; ops inside one must not each start a team of threads.
  set_num_threads(1);
  if (worker_init_fn_) {
    try {
      worker_init_fn_(worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      init_errors_[size_t(worker)] = std::current_exception();
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  auto& queue = queues_[size_t(worker)];
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !queue.empty(); });
    if (stop_) return;
    Pending p = std::move(queue.front());
    queue.pop_front();
    ++running_;
    std::exception_ptr error = init_errors_[size_t(worker)];
    lock.unlock();
    if (!error) {
      try {
        p.task();
      } catch (...) {
        error = std::current_exception();
      }
    }
    p.task = nullptr;  // release what the task holds before reporting it done
    lock.lock();
    --running_;
    done_.emplace_back(p.id, error);
    done_cv_.notify_all();
  }
}

void WorkerPool::submit(int64_t id, int worker, Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queues_[size_t(worker)].push_back({id, std::move(task)});
  }
  work_cv_.notify_all();
}

bool WorkerPool::wait(int64_t id, double timeout_s) {
  std::unique_lock<std::mutex> lock(mu_);
  auto finished = [&] {
    for (auto& d : done_)
      if (d.first == id) return true;
    return false;
  };
  if (timeout_s > 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    if (!done_cv_.wait_until(lock, deadline, finished)) return false;
  } else {
    done_cv_.wait(lock, finished);
  }
  for (size_t i = 0; i < done_.size(); ++i) {
    if (done_[i].first != id) continue;
    std::exception_ptr error = done_[i].second;
    done_.erase(done_.begin() + int64_t(i));
    if (error) std::rethrow_exception(error);
    return true;
  }
  return true;
}

void WorkerPool::cancel() {
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& q : queues_) q.clear();
  done_cv_.wait(lock, [&] { return running_ == 0; });
  done_.clear();
}

}  // namespace detail
}  // namespace ember::data
