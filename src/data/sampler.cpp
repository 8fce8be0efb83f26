#include <ember/data/sampler.h>

#include <numeric>

#include <ember/ops/factory.h>
#include <ember/ops/random.h>

namespace ember::data {

namespace {
std::vector<int64_t> to_vector(const Tensor& t) {
  Tensor c = t.to(kInt64).cpu().contiguous();
  const int64_t* p = c.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}

// PyTorch's RandomSampler without a generator: a fresh generator seeded from the default one, per pass.
Generator pass_generator(const std::optional<Generator>& g) {
  if (g) return *g;
  int64_t seed = empty({}, kInt64).random_().item<int64_t>();
  return Generator(uint64_t(seed));
}
}  // namespace

SequentialSampler::SequentialSampler(int64_t num_samples) : n_(num_samples) {
  EMBER_CHECK_VALUE(num_samples >= 0, "SequentialSampler: num_samples should be non-negative, but got ", num_samples);
}

std::vector<int64_t> SequentialSampler::indices() {
  std::vector<int64_t> out(static_cast<size_t>(n_));
  std::iota(out.begin(), out.end(), int64_t(0));
  return out;
}

RandomSampler::RandomSampler(int64_t data_size, bool replacement, std::optional<int64_t> num_samples,
                             std::optional<Generator> generator)
    : n_(data_size), replacement_(replacement), num_samples_(num_samples.value_or(data_size)),
      generator_(std::move(generator)) {
  EMBER_CHECK_VALUE(num_samples_ > 0, "num_samples should be a positive integer value, but got num_samples=",
                    num_samples_);
}

std::vector<int64_t> RandomSampler::indices() {
  Generator g = pass_generator(generator_);
  std::vector<int64_t> out;
  out.reserve(size_t(num_samples_));
  if (replacement_) {
    // PyTorch draws in chunks of 32; one draw of num_samples has the same distribution.
    return to_vector(randint(n_, {num_samples_}, g));
  }
  for (int64_t left = num_samples_; left > 0; left -= n_) {
    std::vector<int64_t> perm = to_vector(randperm(n_, g));
    out.insert(out.end(), perm.begin(), perm.begin() + std::min(left, n_));
  }
  return out;
}

SubsetRandomSampler::SubsetRandomSampler(std::vector<int64_t> indices, std::optional<Generator> generator)
    : indices_(std::move(indices)), generator_(std::move(generator)) {}

std::vector<int64_t> SubsetRandomSampler::indices() {
  std::vector<int64_t> perm = to_vector(randperm(int64_t(indices_.size()), generator_));
  std::vector<int64_t> out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = indices_[size_t(perm[i])];
  return out;
}

WeightedRandomSampler::WeightedRandomSampler(const Tensor& weights, int64_t num_samples, bool replacement,
                                             std::optional<Generator> generator)
    : weights_(weights.to(kFloat64).contiguous()), num_samples_(num_samples), replacement_(replacement),
      generator_(std::move(generator)) {
  EMBER_CHECK_VALUE(num_samples > 0, "num_samples should be a positive integer value, but got num_samples=",
                    num_samples);
  EMBER_CHECK_VALUE(weights_.dim() == 1, "weights should be a 1d sequence but given weights have shape ",
                    weights_.sizes());
}

WeightedRandomSampler::WeightedRandomSampler(const std::vector<double>& weights, int64_t num_samples, bool replacement,
                                             std::optional<Generator> generator)
    : WeightedRandomSampler(tensor(weights, kFloat64), num_samples, replacement, std::move(generator)) {}

std::vector<int64_t> WeightedRandomSampler::indices() {
  return to_vector(multinomial(weights_, num_samples_, replacement_, generator_));
}

BatchSampler::BatchSampler(std::shared_ptr<Sampler<>> sampler, int64_t batch_size, bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size), drop_last_(drop_last) {
  EMBER_CHECK_VALUE(batch_size > 0, "batch_size should be a positive integer value, but got batch_size=", batch_size);
  EMBER_CHECK_VALUE(sampler_ != nullptr, "BatchSampler: sampler is null");
}

std::vector<IndexBatch> BatchSampler::indices() {
  std::vector<int64_t> all = sampler_->indices();
  std::vector<IndexBatch> out;
  out.reserve(all.size() / size_t(batch_size_) + 1);
  for (size_t i = 0; i < all.size(); i += size_t(batch_size_)) {
    size_t end = std::min(all.size(), i + size_t(batch_size_));
    if (drop_last_ && end - i < size_t(batch_size_)) break;
    out.emplace_back(all.begin() + int64_t(i), all.begin() + int64_t(end));
  }
  return out;
}

int64_t BatchSampler::size() const {
  int64_t n = sampler_->size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace ember::data
