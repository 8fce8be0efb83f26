#pragma once
// Forward computations of the shape family, without autograd: views that share storage (new sizes,
// strides and offset) and the copies that join or reorder tensors.
#include "ops/ops.h"

namespace ember::ops {

// ---- views ----
// The strides that view `self` (any layout) as `shape` without a copy, or nothing when none exist.
std::optional<DimVector> view_strides(const Tensor& self, IntArrayRef shape);
Tensor squeeze_dims(const Tensor& self, IntArrayRef dims);
Tensor slice(const Tensor& self, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step);
// narrow's checks and its start after wrapping; the view itself is slice(dim, start, start + length).
int64_t narrow_start(const Tensor& self, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& self, int64_t dim, int64_t index);
Tensor unfold(const Tensor& self, int64_t dim, int64_t size, int64_t step);
Tensor diagonal(const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2);
// The permutation movedim applies: result dim i is input dim perm[i].
DimVector movedim_perm(int64_t ndim, IntArrayRef src, IntArrayRef dst);
// The sizes split and chunk cut `self` along `dim` into.
std::vector<int64_t> split_sizes(const Tensor& self, int64_t split_size, int64_t dim);
std::vector<int64_t> chunk_sizes(const Tensor& self, int64_t chunks, int64_t dim);
void check_split_with_sizes(const Tensor& self, IntArrayRef sizes, int64_t dim);

// ---- copies ----
// The cat dim wrapped against the first input that is not a legacy 1-D empty tensor.
int64_t cat_dim(ArrayRef<Tensor> tensors, int64_t dim);
// True for the 1-D empty tensors cat ignores, as PyTorch does for backward compatibility.
inline bool cat_skips(const Tensor& t) { return t.dim() == 1 && t.numel() == 0; }
Tensor cat(ArrayRef<Tensor> tensors, int64_t dim);
Tensor flip(const Tensor& self, IntArrayRef dims);
DimVector wrap_dims_unique(IntArrayRef dims, int64_t ndim);

}  // namespace ember::ops
