#include <ember/data/dataset.h>

#include <cmath>

#include <ember/ops/random.h>

namespace ember::data {

TensorDataset::TensorDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  EMBER_CHECK_VALUE(!tensors_.empty(), "TensorDataset: expected at least one tensor");
  for (const Tensor& t : tensors_) {
    EMBER_CHECK_VALUE(t.defined() && t.dim() > 0, "TensorDataset: every tensor needs a first dimension");
    EMBER_CHECK_VALUE(t.size(0) == tensors_[0].size(0), "Size mismatch between tensors");
  }
}

std::vector<Tensor> TensorDataset::get(int64_t index) const {
  int64_t i = detail::wrap_index(index, size(), "TensorDataset");
  std::vector<Tensor> out;
  out.reserve(tensors_.size());
  for (const Tensor& t : tensors_) out.push_back(t.select(0, i));
  return out;
}

int64_t TensorDataset::size() const { return tensors_[0].size(0); }

namespace detail {

bool are_fractions(const std::vector<double>& lengths) {
  double sum = 0;
  for (double x : lengths) sum += x;
  // math.isclose(sum, 1) with its default rel_tol of 1e-9.
  return std::abs(sum - 1) <= 1e-9 * std::max(std::abs(sum), 1.0) && sum <= 1;
}

std::vector<int64_t> split_lengths(int64_t n, const std::vector<double>& fractions) {
  EMBER_CHECK_VALUE(are_fractions(fractions), "random_split: fractions must sum to 1");
  std::vector<int64_t> lengths;
  for (size_t i = 0; i < fractions.size(); ++i) {
    EMBER_CHECK_VALUE(fractions[i] >= 0 && fractions[i] <= 1, "Fraction at index ", i, " is not between 0 and 1");
    lengths.push_back(int64_t(std::floor(double(n) * fractions[i])));
  }
  int64_t remainder = n;
  for (int64_t l : lengths) remainder -= l;
  for (int64_t i = 0; i < remainder; ++i) lengths[size_t(i) % lengths.size()] += 1;
  return lengths;
}

std::vector<std::vector<int64_t>> split_indices(int64_t n, const std::vector<int64_t>& lengths,
                                                std::optional<Generator> generator) {
  int64_t total = 0;
  for (int64_t l : lengths) {
    EMBER_CHECK_VALUE(l >= 0, "random_split: lengths must be non-negative, got ", l);
    total += l;
  }
  EMBER_CHECK_VALUE(total == n, "Sum of input lengths does not equal the length of the input dataset!");
  Tensor perm = randperm(n, std::move(generator)).contiguous();
  const int64_t* p = perm.data_ptr<int64_t>();
  std::vector<std::vector<int64_t>> out;
  int64_t offset = 0;
  for (int64_t l : lengths) {
    out.emplace_back(p + offset, p + offset + l);
    offset += l;
  }
  return out;
}

}  // namespace detail
}  // namespace ember::data
