#pragma once
// Samplers, as torch.utils.data: each pass over a sampler (Python's iter(sampler)) is one call to
// indices(), which draws the whole pass at once; size() is Python's len(sampler). A sampler of index
// batches is a Sampler<std::vector<int64_t>>, which is what DataLoader's batch_sampler takes.
#include <memory>
#include <optional>
#include <vector>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::data {

template <class T = int64_t>
class Sampler {
 public:
  using IndexType = T;
  virtual ~Sampler() = default;
  virtual std::vector<T> indices() = 0;
  virtual int64_t size() const = 0;
};
using IndexBatch = std::vector<int64_t>;

// 0, 1, ..., num_samples - 1.
class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(int64_t num_samples);
  std::vector<int64_t> indices() override;
  int64_t size() const override { return n_; }

 private:
  int64_t n_;
};

// A random permutation of 0..data_size-1 (repeated and cut to num_samples when that is given), or
// num_samples indices drawn uniformly with replacement. Without a generator each pass seeds a fresh one
// from the default generator, as PyTorch does.
class RandomSampler : public Sampler<> {
 public:
  explicit RandomSampler(int64_t data_size, bool replacement = false, std::optional<int64_t> num_samples = std::nullopt,
                         std::optional<Generator> generator = std::nullopt);
  std::vector<int64_t> indices() override;
  int64_t size() const override { return num_samples_; }
  bool replacement() const { return replacement_; }
  const std::optional<Generator>& generator() const { return generator_; }

 private:
  int64_t n_;
  bool replacement_;
  int64_t num_samples_;
  std::optional<Generator> generator_;
};

// The given indices in a random order.
class SubsetRandomSampler : public Sampler<> {
 public:
  explicit SubsetRandomSampler(std::vector<int64_t> indices, std::optional<Generator> generator = std::nullopt);
  std::vector<int64_t> indices() override;
  int64_t size() const override { return int64_t(indices_.size()); }

 private:
  std::vector<int64_t> indices_;
  std::optional<Generator> generator_;
};

// num_samples indices drawn with probability proportional to `weights` (1-D), as torch.multinomial.
class WeightedRandomSampler : public Sampler<> {
 public:
  WeightedRandomSampler(const Tensor& weights, int64_t num_samples, bool replacement = true,
                        std::optional<Generator> generator = std::nullopt);
  WeightedRandomSampler(const std::vector<double>& weights, int64_t num_samples, bool replacement = true,
                        std::optional<Generator> generator = std::nullopt);
  std::vector<int64_t> indices() override;
  int64_t size() const override { return num_samples_; }

 private:
  Tensor weights_;
  int64_t num_samples_;
  bool replacement_;
  std::optional<Generator> generator_;
};

// The indices of `sampler` in batches of batch_size; the last batch is shorter unless drop_last.
class BatchSampler : public Sampler<IndexBatch> {
 public:
  BatchSampler(std::shared_ptr<Sampler<>> sampler, int64_t batch_size, bool drop_last);
  std::vector<IndexBatch> indices() override;
  int64_t size() const override;
  const std::shared_ptr<Sampler<>>& sampler() const { return sampler_; }
  int64_t batch_size() const { return batch_size_; }
  bool drop_last() const { return drop_last_; }

 private:
  std::shared_ptr<Sampler<>> sampler_;
  int64_t batch_size_;
  bool drop_last_;
};

}  // namespace ember::data
