#pragma once
// DataLoader, as torch.utils.data.DataLoader: batches of a dataset, loaded ahead by worker threads.
//
// Order and contents. The loader draws all of an epoch's index batches when the epoch starts, on the
// calling thread (from batch_sampler, or BatchSampler over sampler, or over a RandomSampler when
// shuffle, or a SequentialSampler), together with the epoch's base seed. Workers only fill batches,
// and batches are handed out in order, so the batches are the same whatever num_workers is (random
// transforms included: see transform_generator() in ember/data/worker.h).
//
// Resuming. state_dict() records the epoch's index batches, how many of them the loop has received,
// the base seed and the loader generator's state; after load_state_dict() the next iteration continues
// that epoch from the first batch not yet received, with the same batches and transforms as if it had
// never stopped (an epoch that had ended starts a fresh one). The epoch's order is also readable
// directly: epoch_batches() and batches_consumed(). An IterableDataset has no position the loader can
// restore; its state_dict() raises.
//   for (auto& batch : loader) { step(batch); if (time_to_save) save(model, opt, loader.state_dict()); }
//   ... after a restart:
//   loader.load_state_dict(saved);  for (auto& batch : loader) ...  // continues after the saved batch
//
// Iteration. `for (auto& batch : loader)` runs one epoch; a loader runs one epoch at a time, and a new
// begin() abandons the previous one. Destroying the loader or abandoning an epoch mid-way cancels the
// queued batches and joins the workers, waiting only for the batches being loaded at that moment. An
// exception thrown while loading a batch (in get(), a transform or collate_fn) is rethrown, as it was
// thrown, when the loop reaches that batch; the loop may continue past it. With timeout > 0, waiting
// longer than that for a batch raises "DataLoader timed out after ... seconds".
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <ember/core/error.h>
#include <ember/core/generator.h>
#include <ember/data/collate.h>
#include <ember/data/dataset.h>
#include <ember/data/sampler.h>
#include <ember/data/worker.h>
#include <ember/tensor.h>

namespace ember::data {

namespace detail {
template <class T, class = void>
struct has_collate : std::false_type {};
template <class T>
struct has_collate<T, std::void_t<typename Collate<T>::type>> : std::true_type {};
template <class E, bool = has_collate<E>::value>
struct default_batch {
  using type = void;
};
template <class E>
struct default_batch<E, true> {
  using type = collate_t<E>;
};

// The parts of DataLoader that do not depend on the example type.
struct LoaderCore {
  uint64_t draw_base_seed(const std::optional<Generator>& generator);
  std::map<std::string, Tensor> state_dict(const std::optional<Generator>& generator) const;
  void load_state_dict(const std::map<std::string, Tensor>& state, std::optional<Generator>& generator);

  std::vector<IndexBatch> plan;  // the epoch's index batches
  uint64_t base_seed = 0;
  int64_t consumed = 0;          // batches handed to the loop this epoch
  bool resume = false;           // load_state_dict set plan, consumed and base_seed for the next begin()
};
void check_loader_args(bool iterable, int64_t batch_size, bool shuffle, bool has_sampler, bool has_batch_sampler,
                       bool drop_last, int num_workers, double timeout, std::optional<int64_t> prefetch_factor,
                       bool persistent_workers);
}  // namespace detail

template <class E, class B = typename detail::default_batch<E>::type>
class DataLoader {
 public:
  using ExampleType = E;
  using BatchType = B;
  using CollateFn = std::function<B(std::vector<E>)>;

  // A map-style dataset. Arguments in torch's order (multiprocessing_context has no counterpart);
  // pin_memory is accepted and does nothing on the CPU.
  explicit DataLoader(std::shared_ptr<const Dataset<E>> dataset, int64_t batch_size = 1, bool shuffle = false,
                      std::shared_ptr<Sampler<>> sampler = nullptr,
                      std::shared_ptr<Sampler<IndexBatch>> batch_sampler = nullptr, int num_workers = 0,
                      CollateFn collate_fn = nullptr, bool pin_memory = false, bool drop_last = false,
                      double timeout = 0, std::function<void(int)> worker_init_fn = nullptr,
                      std::optional<Generator> generator = std::nullopt,
                      std::optional<int64_t> prefetch_factor = std::nullopt, bool persistent_workers = false)
      : dataset_(std::move(dataset)) {
    EMBER_CHECK_VALUE(dataset_ != nullptr, "DataLoader: dataset is null");
    detail::check_loader_args(false, batch_size, shuffle, sampler != nullptr, batch_sampler != nullptr, drop_last,
                              num_workers, timeout, prefetch_factor, persistent_workers);
    if (!batch_sampler) {
      if (!sampler) {
        if (shuffle) sampler = std::make_shared<RandomSampler>(dataset_->size(), false, std::nullopt, generator);
        else sampler = std::make_shared<SequentialSampler>(dataset_->size());
      }
      batch_sampler = std::make_shared<BatchSampler>(sampler, batch_size, drop_last);
    }
    batch_sampler_ = std::move(batch_sampler);
    init(batch_size, num_workers, std::move(collate_fn), pin_memory, drop_last, timeout, std::move(worker_init_fn),
         std::move(generator), prefetch_factor, persistent_workers);
  }

  // An iterable dataset: batches of batch_size consecutive examples of each worker's stream, taken from
  // the workers in turn (PyTorch's order); shuffle, sampler and batch_sampler are not allowed.
  explicit DataLoader(std::shared_ptr<const IterableDataset<E>> dataset, int64_t batch_size = 1, bool shuffle = false,
                      std::shared_ptr<Sampler<>> sampler = nullptr,
                      std::shared_ptr<Sampler<IndexBatch>> batch_sampler = nullptr, int num_workers = 0,
                      CollateFn collate_fn = nullptr, bool pin_memory = false, bool drop_last = false,
                      double timeout = 0, std::function<void(int)> worker_init_fn = nullptr,
                      std::optional<Generator> generator = std::nullopt,
                      std::optional<int64_t> prefetch_factor = std::nullopt, bool persistent_workers = false)
      : iterable_(std::move(dataset)) {
    EMBER_CHECK_VALUE(iterable_ != nullptr, "DataLoader: dataset is null");
    detail::check_loader_args(true, batch_size, shuffle, sampler != nullptr, batch_sampler != nullptr, drop_last,
                              num_workers, timeout, prefetch_factor, persistent_workers);
    init(batch_size, num_workers, std::move(collate_fn), pin_memory, drop_last, timeout, std::move(worker_init_fn),
         std::move(generator), prefetch_factor, persistent_workers);
  }

  ~DataLoader() { pool_.reset(); }
  DataLoader(const DataLoader&) = delete;
  DataLoader& operator=(const DataLoader&) = delete;

  struct Sentinel {};
  class Iterator {
   public:
    explicit Iterator(DataLoader* loader) : loader_(loader) {}
    B& operator*() const { return *loader_->current_; }
    B* operator->() const { return &*loader_->current_; }
    Iterator& operator++() {
      loader_->advance();
      return *this;
    }
    bool operator==(Sentinel) const { return !loader_->current_.has_value(); }
    bool operator!=(Sentinel s) const { return !(*this == s); }

   private:
    DataLoader* loader_;
  };
  // Starts an epoch (or resumes the one load_state_dict restored) and loads its first batch.
  Iterator begin() {
    start_epoch();
    advance();
    return Iterator(this);
  }
  Sentinel end() const { return {}; }

  // The number of batches of an epoch (Python's len(loader)); an IterableDataset has none.
  int64_t size() const {
    EMBER_CHECK_TYPE(batch_sampler_ != nullptr, "DataLoader: an IterableDataset has no len()");
    return batch_sampler_->size();
  }
  int64_t batch_size() const { return batch_size_; }
  int num_workers() const { return num_workers_; }
  int64_t prefetch_factor() const { return prefetch_factor_; }
  bool drop_last() const { return drop_last_; }
  bool pin_memory() const { return pin_memory_; }
  double timeout() const { return timeout_; }
  bool persistent_workers() const { return persistent_workers_; }
  const std::optional<Generator>& generator() const { return generator_; }
  const std::shared_ptr<Sampler<IndexBatch>>& batch_sampler() const { return batch_sampler_; }

  // The current (or last) epoch's index batches, and how many of them the loop has received.
  const std::vector<IndexBatch>& epoch_batches() const { return core_.plan; }
  int64_t batches_consumed() const { return core_.consumed; }
  // Tensors: indices (int64, the epoch's index batches one after another), batch_sizes (int64),
  // batches_consumed and base_seed (int64, 0-dim), and generator (the loader generator's state) when the
  // loader has one.
  std::map<std::string, Tensor> state_dict() const {
    EMBER_CHECK(!iterable_, "DataLoader.state_dict: the position in an IterableDataset cannot be saved");
    return core_.state_dict(generator_);
  }
  void load_state_dict(const std::map<std::string, Tensor>& state) {
    EMBER_CHECK(!iterable_, "DataLoader.load_state_dict: the position in an IterableDataset cannot be restored");
    abandon_epoch();
    core_.load_state_dict(state, generator_);
  }

 private:
  void init(int64_t batch_size, int num_workers, CollateFn collate_fn, bool pin_memory, bool drop_last,
            double timeout, std::function<void(int)> worker_init_fn, std::optional<Generator> generator,
            std::optional<int64_t> prefetch_factor, bool persistent_workers) {
    batch_size_ = batch_size;
    num_workers_ = num_workers;
    pin_memory_ = pin_memory;
    drop_last_ = drop_last;
    timeout_ = timeout;
    worker_init_fn_ = std::move(worker_init_fn);
    generator_ = std::move(generator);
    prefetch_factor_ = num_workers > 0 ? prefetch_factor.value_or(2) : 0;
    persistent_workers_ = persistent_workers;
    if (collate_fn) {
      collate_ = std::move(collate_fn);
    } else {
      if constexpr (detail::has_collate<E>::value && std::is_same_v<B, collate_t<E>>) {
        collate_ = [](std::vector<E> batch) { return default_collate(std::move(batch)); };
      } else {
        throw TypeError("DataLoader: this example type has no default_collate; pass a collate_fn");
      }
    }
  }

  int64_t capacity() const { return std::max<int64_t>(1, prefetch_factor_ * num_workers_); }

  // Stops the epoch in progress: no task runs after this returns.
  void abandon_epoch() {
    if (pool_) {
      pool_->cancel();
      if (!persistent_workers_) pool_.reset();
    }
    current_.reset();
    slots_.clear();
    streams_.clear();
  }

  void start_epoch() {
    abandon_epoch();
    if (core_.resume && core_.consumed < int64_t(core_.plan.size())) {
      core_.resume = false;
    } else {
      core_.resume = false;
      core_.base_seed = core_.draw_base_seed(generator_);
      if (batch_sampler_) core_.plan = batch_sampler_->indices();
      core_.consumed = 0;
    }
    next_ = dispatched_ = core_.consumed;
    slots_.assign(size_t(capacity()), std::nullopt);
    slot_worker_.assign(size_t(capacity()), 0);
    if (iterable_) {
      streams_.assign(size_t(std::max(num_workers_, 1)), nullptr);
      stream_ended_.assign(size_t(std::max(num_workers_, 1)), 0);
      worker_active_.assign(size_t(std::max(num_workers_, 1)), true);
      cursor_ = 0;
    }
    if (num_workers_ > 0 && !pool_)
      pool_ = std::make_unique<detail::WorkerPool>(num_workers_, core_.base_seed, worker_init_fn_);
  }

  // Loads batch k of a map-style epoch.
  B load(int64_t k) {
    detail::BatchSeedGuard seed(core_.base_seed, k);
    const IndexBatch& idx = core_.plan[size_t(k)];
    std::vector<E> examples;
    examples.reserve(idx.size());
    for (int64_t i : idx) examples.push_back(dataset_->get(i));
    return collate_(std::move(examples));
  }

  // The next batch of worker w's stream of an iterable dataset (batch k of the epoch), or nullopt at its end.
  std::optional<B> load_stream(int w, int64_t k) {
    detail::BatchSeedGuard seed(core_.base_seed, k);
    auto& stream = streams_[size_t(w)];
    if (!stream) stream = iterable_->iter();
    std::vector<E> examples;
    examples.reserve(size_t(batch_size_));
    // A stream is not called again once it has ended (a batch for this worker may already be queued).
    while (int64_t(examples.size()) < batch_size_ && !stream_ended_[size_t(w)]) {
      std::optional<E> e = stream();
      if (!e) {
        stream_ended_[size_t(w)] = 1;
        break;
      }
      examples.push_back(std::move(*e));
    }
    if (examples.empty() || (drop_last_ && int64_t(examples.size()) < batch_size_)) return std::nullopt;
    return collate_(std::move(examples));
  }

  bool any_worker_active() const {
    for (bool a : worker_active_)
      if (a) return true;
    return false;
  }

  // Sends batches to the workers until `capacity` are in flight or there are no more.
  void dispatch() {
    while (dispatched_ - next_ < capacity()) {
      int64_t k = dispatched_;
      size_t slot = size_t(k % capacity());
      if (iterable_) {
        if (!any_worker_active()) return;
        while (!worker_active_[size_t(cursor_)]) cursor_ = (cursor_ + 1) % num_workers_;
        int w = cursor_;
        cursor_ = (cursor_ + 1) % num_workers_;
        slot_worker_[slot] = w;
        pool_->submit(k, w, [this, w, k, slot] { slots_[slot] = load_stream(w, k); });
      } else {
        if (k >= int64_t(core_.plan.size())) return;
        pool_->submit(k, int(k % num_workers_), [this, k, slot] { slots_[slot] = load(k); });
      }
      ++dispatched_;
    }
  }

  // Moves the next batch into current_, or clears it at the end of the epoch.
  void advance() {
    current_.reset();
    for (;;) {
      if (!iterable_ && next_ >= int64_t(core_.plan.size())) return finish_epoch();
      if (num_workers_ == 0) {
        ++next_;
        if (iterable_) {
          std::optional<B> b = load_stream(0, next_ - 1);
          if (!b) return finish_epoch();
          current_ = std::move(b);
          ++core_.consumed;
        } else {
          core_.consumed = next_;
          current_ = load(next_ - 1);
        }
        return;
      }
      dispatch();
      if (next_ == dispatched_) return finish_epoch();  // an iterable dataset whose workers have all ended
      size_t slot = size_t(next_ % capacity());
      int64_t k = next_;
      bool arrived;
      try {
        arrived = pool_->wait(k, timeout_);
      } catch (...) {  // the batch failed: it counts as received, and the loop may go on past it
        ++next_;
        if (!iterable_) core_.consumed = next_;
        dispatch();
        throw;
      }
      // The batch may still arrive: waiting again waits for the same batch.
      EMBER_CHECK(arrived, "DataLoader timed out after ", timeout_, " seconds");
      ++next_;
      std::optional<B> b = std::move(slots_[slot]);
      slots_[slot].reset();
      if (iterable_ && !b) {
        worker_active_[size_t(slot_worker_[slot])] = false;
        continue;
      }
      current_ = std::move(b);
      if (iterable_) ++core_.consumed;
      else core_.consumed = next_;
      dispatch();
      return;
    }
  }

  void finish_epoch() {
    current_.reset();
    if (pool_ && !persistent_workers_) {
      pool_->cancel();
      pool_.reset();
    }
    streams_.clear();
  }

  std::shared_ptr<const Dataset<E>> dataset_;
  std::shared_ptr<const IterableDataset<E>> iterable_;
  std::shared_ptr<Sampler<IndexBatch>> batch_sampler_;
  CollateFn collate_;
  int64_t batch_size_ = 1;
  int num_workers_ = 0;
  int64_t prefetch_factor_ = 0;
  bool pin_memory_ = false, drop_last_ = false, persistent_workers_ = false;
  double timeout_ = 0;
  std::function<void(int)> worker_init_fn_;
  std::optional<Generator> generator_;

  detail::LoaderCore core_;
  int64_t next_ = 0;        // the next batch to hand out
  int64_t dispatched_ = 0;  // batches sent to workers
  std::vector<std::optional<B>> slots_;  // batch k lands in slot k % capacity()
  std::vector<int> slot_worker_;         // the worker each slot's batch was sent to (iterable datasets)
  std::vector<std::function<std::optional<E>()>> streams_;  // per worker (iterable datasets)
  std::vector<char> stream_ended_;  // per worker, written only by that worker (not vector<bool>: no shared words)
  std::vector<bool> worker_active_;
  int cursor_ = 0;
  std::optional<B> current_;
  std::unique_ptr<detail::WorkerPool> pool_;  // last: destroyed (threads joined) before what tasks write to
};

template <class D, class... Args>
DataLoader(std::shared_ptr<D>, Args&&...) -> DataLoader<typename D::ExampleType>;

}  // namespace ember::data
