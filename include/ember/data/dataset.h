#pragma once
// Datasets, as torch.utils.data: a map-style Dataset is a size and a get(index); an IterableDataset is a
// stream of examples. Both are templates over the example type; the default example is libtorch's
// (data, target) pair of tensors.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <ember/core/error.h>
#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::data {

// One (data, target) example, as libtorch's torch::data::Example.
template <class Data = Tensor, class Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;
  Data data;
  Target target;
};

// A map-style dataset: examples 0..size()-1 by index (Python's __getitem__ and __len__). A DataLoader
// calls get() concurrently from its worker threads, so get() must be safe to call concurrently; it is
// const to say so.
template <class E = Example<>>
class Dataset {
 public:
  using ExampleType = E;
  virtual ~Dataset() = default;
  virtual E get(int64_t index) const = 0;
  virtual int64_t size() const = 0;
};

// A stream of examples (Python's IterableDataset). iter() starts a fresh pass and returns the function
// that yields its next example, or nullopt at the end. With a DataLoader of num_workers > 0 each worker
// thread calls iter() on the same dataset, as each PyTorch worker iterates its own replica: shard the
// stream with get_worker_info() (ember/data/worker.h) or every worker yields every example.
template <class E = Example<>>
class IterableDataset {
 public:
  using ExampleType = E;
  virtual ~IterableDataset() = default;
  virtual std::function<std::optional<E>()> iter() const = 0;
};

namespace detail {
// Python's index rules: a negative index counts from the end; anything else out of range is an IndexError.
inline int64_t wrap_index(int64_t index, int64_t size, const char* what) {
  int64_t i = index < 0 ? index + size : index;
  EMBER_CHECK_INDEX(i >= 0 && i < size, what, ": index ", index, " is out of range for a dataset of size ", size);
  return i;
}
}  // namespace detail

// Examples are the index-th rows of each tensor, as torch.utils.data.TensorDataset(*tensors).
class TensorDataset : public Dataset<std::vector<Tensor>> {
 public:
  explicit TensorDataset(std::vector<Tensor> tensors);
  std::vector<Tensor> get(int64_t index) const override;
  int64_t size() const override;
  const std::vector<Tensor>& tensors() const { return tensors_; }

 private:
  std::vector<Tensor> tensors_;
};

// The examples of `dataset` at `indices`, in that order.
template <class E>
class Subset : public Dataset<E> {
 public:
  Subset(std::shared_ptr<const Dataset<E>> dataset, std::vector<int64_t> indices)
      : dataset_(std::move(dataset)), indices_(std::move(indices)) {
    EMBER_CHECK(dataset_ != nullptr, "Subset: dataset is null");
  }
  E get(int64_t index) const override {
    return dataset_->get(indices_[size_t(detail::wrap_index(index, size(), "Subset"))]);
  }
  int64_t size() const override { return int64_t(indices_.size()); }
  const std::shared_ptr<const Dataset<E>>& dataset() const { return dataset_; }
  const std::vector<int64_t>& indices() const { return indices_; }

 private:
  std::shared_ptr<const Dataset<E>> dataset_;
  std::vector<int64_t> indices_;
};

// The examples of several datasets one after another.
template <class E>
class ConcatDataset : public Dataset<E> {
 public:
  explicit ConcatDataset(std::vector<std::shared_ptr<const Dataset<E>>> datasets) : datasets_(std::move(datasets)) {
    EMBER_CHECK_VALUE(!datasets_.empty(), "datasets should not be an empty iterable");
    int64_t total = 0;
    for (const auto& d : datasets_) {
      EMBER_CHECK(d != nullptr, "ConcatDataset: dataset is null");
      total += d->size();
      cumulative_sizes_.push_back(total);
    }
  }
  E get(int64_t index) const override {
    EMBER_CHECK_VALUE(index >= 0 || -index <= size(), "absolute value of index should not exceed dataset length");
    int64_t i = detail::wrap_index(index, size(), "ConcatDataset");
    size_t d = size_t(std::upper_bound(cumulative_sizes_.begin(), cumulative_sizes_.end(), i) - cumulative_sizes_.begin());
    return datasets_[d]->get(d == 0 ? i : i - cumulative_sizes_[d - 1]);
  }
  int64_t size() const override { return cumulative_sizes_.back(); }
  const std::vector<int64_t>& cumulative_sizes() const { return cumulative_sizes_; }

 private:
  std::vector<std::shared_ptr<const Dataset<E>>> datasets_;
  std::vector<int64_t> cumulative_sizes_;
};

namespace detail {
// random_split's lengths from fractions, rounded as PyTorch does: floor(n * f) each, then the remainder
// handed out one by one from the first subset on.
std::vector<int64_t> split_lengths(int64_t n, const std::vector<double>& fractions);
// Python's test for fractions: the values sum to 1 (math.isclose) and not above it.
bool are_fractions(const std::vector<double>& lengths);
// A random permutation of 0..n-1 cut into consecutive pieces of the given lengths.
std::vector<std::vector<int64_t>> split_indices(int64_t n, const std::vector<int64_t>& lengths,
                                                std::optional<Generator> generator);
}  // namespace detail

// Non-overlapping random subsets of `dataset` (a shared_ptr to any Dataset<E>), as
// torch.utils.data.random_split. Lengths as integers must sum to the dataset's size; fractions summing to
// 1 give floor(size * fraction) each, the remainder handed out one by one from the first subset on. A
// braced list follows Python's rule: fractions if it sums to 1, else lengths.
template <class D, class E = typename D::ExampleType>
std::vector<std::shared_ptr<Subset<E>>> random_split(std::shared_ptr<D> dataset, const std::vector<int64_t>& lengths,
                                                     std::optional<Generator> generator = std::nullopt) {
  EMBER_CHECK(dataset != nullptr, "random_split: dataset is null");
  std::shared_ptr<const Dataset<E>> base(std::move(dataset));
  std::vector<std::shared_ptr<Subset<E>>> out;
  for (auto& idx : detail::split_indices(base->size(), lengths, generator))
    out.push_back(std::make_shared<Subset<E>>(base, std::move(idx)));
  return out;
}
template <class D, class E = typename D::ExampleType>
std::vector<std::shared_ptr<Subset<E>>> random_split(std::shared_ptr<D> dataset, const std::vector<double>& fractions,
                                                     std::optional<Generator> generator = std::nullopt) {
  EMBER_CHECK(dataset != nullptr, "random_split: dataset is null");
  std::vector<int64_t> lengths = detail::split_lengths(dataset->size(), fractions);
  return random_split(std::move(dataset), lengths, generator);
}
template <class D, class E = typename D::ExampleType>
std::vector<std::shared_ptr<Subset<E>>> random_split(std::shared_ptr<D> dataset, std::initializer_list<double> lengths,
                                                     std::optional<Generator> generator = std::nullopt) {
  std::vector<double> v(lengths);
  if (detail::are_fractions(v)) return random_split(std::move(dataset), v, generator);
  std::vector<int64_t> n;
  for (double x : v) {
    EMBER_CHECK_VALUE(x == std::floor(x), "random_split: lengths must be integers or fractions summing to 1, got ", x);
    n.push_back(int64_t(x));
  }
  return random_split(std::move(dataset), n, generator);
}

}  // namespace ember::data
