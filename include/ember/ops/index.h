#pragma once
// Index ops as free functions (torch.index_select, gather, scatter, index_put, nonzero, ...).
#include <optional>
#include <string_view>
#include <vector>

#include <ember/ops/indexing.h>
#include <ember/tensor.h>

namespace ember {

// A list of optional index tensors, one per leading dim of the indexed tensor (aten::index's form).
using OptionalTensorList = std::vector<std::optional<Tensor>>;

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
// reduce: "" (replace), "add" or "multiply", as torch.scatter's reduce argument.
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce = "");
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce = "");
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
// reduce: "sum", "prod", "mean", "amax" or "amin".
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                      bool include_self = true);
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha = 1);
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value);
// Advanced indexing with a list of optional index tensors (int64 or bool/uint8 masks), as aten::index.
Tensor index(const Tensor& self, const OptionalTensorList& indices);
Tensor index_put(const Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate = false);
Tensor& index_put_(Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate = false);
Tensor masked_select(const Tensor& self, const Tensor& mask);
Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source);
Tensor nonzero(const Tensor& self);
tensor_list nonzero(const Tensor& self, bool as_tuple);
Tensor argwhere(const Tensor& self);
Tensor take(const Tensor& self, const Tensor& index);
// Writes (or with accumulate adds) source's elements at the flat indices of self, as if self were 1-D.
Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate = false);
Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim = std::nullopt);
// The single-argument torch.where(cond): nonzero(cond, as_tuple=true).
tensor_list where(const Tensor& condition);

namespace nn::functional {
Tensor one_hot(const Tensor& self, int64_t num_classes = -1);
}

}  // namespace ember
