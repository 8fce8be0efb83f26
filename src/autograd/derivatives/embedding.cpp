// embedding, embedding_renorm_ and F.embedding_bag. The lookups are index_select; embedding records
// PyTorch's dense backward (index_add of the gradient rows, with padding_idx and frequency scaling),
// written with public ops so it can be differentiated again. embedding_bag is composed of public ops
// after its bag layout (which bag each index falls into) is worked out on the host.
#include <algorithm>
#include <vector>

#include <ember/nn/functional/norm.h>
#include <ember/ops/embedding.h>
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>
#include <ember/ops/sort.h>

#include "autograd/record.h"

namespace ember {

namespace {
void check_indices(const Tensor& indices, const char* op) {
  EMBER_CHECK(indices.dtype() == kInt64 || indices.dtype() == kInt32,
              "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
              "but got ", autograd::type_string(indices), " instead (while checking arguments for ", op, ")");
}

// The indices as a contiguous int64 vector, each checked to be a row of a table of `rows` rows.
std::vector<int64_t> host_indices(const Tensor& indices, int64_t rows) {
  Tensor flat = indices.reshape({-1}).to(kInt64).cpu().contiguous();
  const int64_t* p = flat.data_ptr<int64_t>();
  std::vector<int64_t> v(p, p + flat.numel());
  for (int64_t i : v) EMBER_CHECK_INDEX(i >= 0 && i < rows, "index out of range in self");
  return v;
}

Tensor long_tensor(const std::vector<int64_t>& v, Device device) {
  return tensor(v, TensorOptions(kInt64).device(device));
}

// PyTorch's embedding_dense_backward: gradient rows (n, D) added at their indices into a
// (num_weights, D) zero table.
Tensor embedding_dense_backward(const Tensor& grad, const Tensor& idx, int64_t num_weights, int64_t padding_idx,
                                bool scale_grad_by_freq) {
  const int64_t D = grad.size(-1);
  Tensor g = grad.reshape({-1, D});
  if (scale_grad_by_freq) {
    Tensor counts = zeros({num_weights}, g.options()).index_add(0, idx, ones({idx.numel()}, g.options()));
    g = g / counts.index_select(0, idx).unsqueeze(1);
  }
  if (padding_idx >= 0) g = g.masked_fill((idx == padding_idx).unsqueeze(1), 0);
  return zeros({num_weights, D}, g.options()).index_add(0, idx, g);
}
}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq,
                 bool sparse) {
  EMBER_CHECK(weight.dim() == 2, "'weight' must be 2-D");
  check_indices(indices, "embedding");
  if (sparse) throw NotImplementedError("embedding: sparse gradients are not supported; use sparse=false");
  Tensor idx = indices.reshape({-1}).to(kInt64);
  DimVector out_shape(indices.sizes());
  out_shape.push_back(weight.size(1));
  Tensor out;
  {
    NoGradGuard no_grad;
    out = weight.index_select(0, idx).view(out_shape);
  }
  if (autograd::any_requires_grad({&weight})) {
    autograd::record("EmbeddingBackward0", {&out}, {&weight},
                     [idx, n = weight.size(0), padding_idx, scale_grad_by_freq](autograd::Node&,
                                                                                const tensor_list& g) -> tensor_list {
                       return {embedding_dense_backward(g[0], idx, n, padding_idx, scale_grad_by_freq)};
                     });
  }
  return out;
}

Tensor& embedding_renorm_(Tensor& self, const Tensor& indices, double max_norm, double norm_type) {
  EMBER_CHECK(self.dim() == 2, "embedding_renorm_: 'self' must be 2-D");
  check_indices(indices, "embedding_renorm_");
  std::vector<int64_t> idx = host_indices(indices, self.size(0));
  std::sort(idx.begin(), idx.end());
  idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
  if (idx.empty()) return self;
  NoGradGuard no_grad;
  Tensor uniq = long_tensor(idx, self.device());
  Tensor rows = self.index_select(0, uniq);
  Tensor norms = rows.to(kFloat64).norm(Scalar(norm_type), {1}, true);
  Tensor scale = where(norms > max_norm, max_norm / (norms + 1e-7), ones_like(norms));
  self.index_copy_(0, uniq, rows * scale.to(self.dtype()));
  return self;
}

namespace nn::functional {

Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx,
                 std::optional<double> max_norm, double norm_type, bool scale_grad_by_freq, bool sparse) {
  int64_t pad = -1;
  if (padding_idx) {
    EMBER_CHECK(*padding_idx < weight.size(0) && *padding_idx >= -weight.size(0),
                "Padding_idx must be within num_embeddings");
    pad = *padding_idx < 0 ? weight.size(0) + *padding_idx : *padding_idx;
  }
  if (sparse) throw NotImplementedError("embedding: sparse gradients are not supported; use sparse=false");
  if (max_norm) {
    EMBER_CHECK(weight.dim() == 2, "'weight' must be 2-D");
    check_indices(input, "embedding");
    Tensor w = weight;
    embedding_renorm_(w, input, *max_norm, norm_type);
  }
  return ember::embedding(weight, input, pad, scale_grad_by_freq, sparse);
}

Tensor embedding_bag(const Tensor& input, const Tensor& weight, const Tensor& offsets, std::optional<double> max_norm,
                     double norm_type, bool scale_grad_by_freq, std::string_view mode, bool sparse,
                     const Tensor& per_sample_weights, bool include_last_offset, std::optional<int64_t> padding_idx) {
  if (per_sample_weights.defined())
    EMBER_CHECK_VALUE(input.sizes().equals(per_sample_weights.sizes()), "embedding_bag: If per_sample_weights (torch.Size(",
                      per_sample_weights.sizes(), ")) is not None, then it must have the same shape as the input (torch.Size(",
                      input.sizes(), "))");
  EMBER_CHECK_VALUE(weight.dim() == 2, "weight has to be a 2D Tensor, but got Tensor of dimension ", weight.dim());
  check_indices(input, "embedding_bag");
  Tensor offs = offsets;
  if (input.dim() == 2) {
    EMBER_CHECK_VALUE(!offsets.defined(), "if input is 2D, then offsets has to be None, as input is treated is a "
                                          "mini-batch of fixed length sequences. However, found offsets of type "
                                          "<class 'torch.Tensor'>");
    offs = arange(0, input.numel(), std::max<int64_t>(1, input.size(1)), TensorOptions(kInt64));
    if (input.size(1) == 0) offs = zeros({input.size(0)}, TensorOptions(kInt64));
  } else {
    EMBER_CHECK_VALUE(input.dim() == 1, "input has to be 1D or 2D Tensor, but got Tensor of dimension ", input.dim());
    EMBER_CHECK_VALUE(offsets.defined(), "offsets has to be a 1D Tensor but got None");
    EMBER_CHECK_VALUE(offsets.dim() == 1, "offsets has to be a 1D Tensor");
  }
  EMBER_CHECK_VALUE(mode == "sum" || mode == "mean" || mode == "max", "mode has to be one of sum, mean or max");
  if (mode == "max") {
    EMBER_CHECK_VALUE(!scale_grad_by_freq, "max mode does not support scaling the gradient by the frequency");
    EMBER_CHECK_VALUE(!sparse, "max mode does not support sparse weights");
  }
  if (sparse) throw NotImplementedError("embedding_bag: sparse gradients are not supported; use sparse=false");
  int64_t pad = -1;
  if (padding_idx) {
    EMBER_CHECK(*padding_idx < weight.size(0) && *padding_idx >= -weight.size(0),
                "Padding_idx must be within num_embeddings");
    pad = *padding_idx < 0 ? weight.size(0) + *padding_idx : *padding_idx;
  }
  if (per_sample_weights.defined() && mode != "sum")
    throw NotImplementedError(detail::str("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                          "supported for mode='sum' (got mode='", mode,
                                          "'). Please open a feature request on GitHub."));
  check_indices(offs, "embedding_bag");
  std::vector<int64_t> idx = host_indices(input, weight.size(0));
  const int64_t n = int64_t(idx.size());
  Tensor offs64 = offs.to(kInt64).cpu().contiguous();
  std::vector<int64_t> starts(offs64.data_ptr<int64_t>(), offs64.data_ptr<int64_t>() + offs64.numel());
  if (!starts.empty()) {
    EMBER_CHECK(starts[0] == 0, "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                                "from position 0. However, got ", starts[0]);
    EMBER_CHECK(starts.back() <= n, "offsets[-1] can not be greater than input's length ", n,
                " but got offsets[-1] of ", starts.back());
    for (size_t b = 1; b < starts.size(); ++b)
      EMBER_CHECK(starts[b] >= starts[b - 1], "embedding_bag: offsets have to be non-decreasing, but offsets[", b,
                  "] = ", starts[b], " < offsets[", b - 1, "] = ", starts[b - 1]);
  }
  if (include_last_offset) {
    EMBER_CHECK(!starts.empty(), "include_last_offset: number of offset should be at least 1");
  } else {
    starts.push_back(n);
  }
  // Every check is done: only now may max_norm rewrite the weight.
  if (max_norm) {
    Tensor w = weight;
    embedding_renorm_(w, input, *max_norm, norm_type);
  }
  const int64_t bags = int64_t(starts.size()) - 1, D = weight.size(1);
  // Entries at padding_idx take no part: they are neither summed nor counted.
  std::vector<int64_t> pos, bag_of, count(size_t(bags), 0);
  for (int64_t b = 0; b < bags; ++b)
    for (int64_t i = starts[size_t(b)]; i < starts[size_t(b) + 1]; ++i)
      if (idx[size_t(i)] != pad) {
        pos.push_back(i);
        bag_of.push_back(b);
        ++count[size_t(b)];
      }
  std::vector<int64_t> kept(pos.size());
  for (size_t k = 0; k < pos.size(); ++k) kept[k] = idx[size_t(pos[k])];
  const Device dev = weight.device();
  Tensor kept_idx = long_tensor(kept, dev), bag_idx = long_tensor(bag_of, dev);
  Tensor rows = ember::embedding(weight, kept_idx);
  if (scale_grad_by_freq) {
    // The gradient of each row is divided by its index's count in the whole input, as PyTorch's
    // embedding_bag_backward: the value is rows itself, the gradient flows through rows / count.
    Tensor counts = zeros({weight.size(0)}, weight.options()).index_add(0, long_tensor(idx, dev), ones({n}, weight.options()));
    Tensor freq = counts.index_select(0, kept_idx).unsqueeze(1);
    rows = rows.detach() + (rows - rows.detach()) / freq;
  }
  if (mode == "max") {
    // The first maximum of each column of each bag takes the gradient; an empty bag gives zeros.
    Tensor values = rows.detach().to(kFloat64).cpu().contiguous();
    const double* v = values.data_ptr<double>();
    const int64_t zero_row = int64_t(kept.size());
    Tensor arg = full({bags, D}, zero_row, TensorOptions(kInt64));
    int64_t* a = arg.data_ptr<int64_t>();
    for (size_t k = 0; k < kept.size(); ++k) {
      int64_t b = bag_of[k];
      for (int64_t d = 0; d < D; ++d) {
        int64_t& cur = a[b * D + d];
        if (cur == zero_row || v[int64_t(k) * D + d] > v[cur * D + d]) cur = int64_t(k);
      }
    }
    return cat({rows, zeros({1, D}, rows.options())}, 0).gather(0, arg.to(dev));
  }
  if (per_sample_weights.defined())
    rows = rows * per_sample_weights.reshape({-1}).index_select(0, long_tensor(pos, dev)).unsqueeze(1).to(rows.dtype());
  Tensor out = zeros({bags, D}, rows.options()).index_add(0, bag_idx, rows);
  if (mode == "mean") {
    std::vector<int64_t> c = count;
    for (int64_t& x : c) x = std::max<int64_t>(x, 1);
    out = out / long_tensor(c, dev).to(out.dtype()).unsqueeze(1);
  }
  return out;
}

}  // namespace nn::functional

}  // namespace ember
