#pragma once
// Forward computations of the reduce family (no autograd). ops::sum is declared in ops/ops.h.
#include <optional>
#include <string_view>
#include <tuple>

#include "ops/ops.h"

namespace ember::ops {

// Which dims a reduction over `dims` covers (all of them for an empty list, as PyTorch), with
// PyTorch's errors for a dim out of range or repeated.
std::vector<bool> reduce_mask(const Tensor& self, IntArrayRef dims);
// The number of elements each output of a reduction over `mask` combines.
int64_t reduced_count(const Tensor& self, const std::vector<bool>& mask);
// The result shape of a reduction over `mask`: reduced dims become 1 with keepdim, else disappear.
DimVector reduced_shape(const Tensor& self, const std::vector<bool>& mask, bool keepdim);

Tensor nansum(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);
Tensor prod(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);
Tensor mean(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);
Tensor nanmean(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);
Tensor amax(const Tensor& self, IntArrayRef dims, bool keepdim);
Tensor amin(const Tensor& self, IntArrayRef dims, bool keepdim);
Tensor max(const Tensor& self);
Tensor min(const Tensor& self);
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim);
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim);
Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim);
Tensor argmin(const Tensor& self, std::optional<int64_t> dim, bool keepdim);
Tensor all(const Tensor& self, std::optional<int64_t> dim, bool keepdim);
Tensor any(const Tensor& self, std::optional<int64_t> dim, bool keepdim);
Tensor count_nonzero(const Tensor& self, IntArrayRef dims);

// var/std over `dims`, dividing by max(0, N - correction).
Tensor var(const Tensor& self, IntArrayRef dims, int64_t correction, bool keepdim);
Tensor logsumexp(const Tensor& self, IntArrayRef dims, bool keepdim);
// The vector norm of order p (inf and -inf included); `dtype` casts the input first.
Tensor norm(const Tensor& self, double p, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);
// The float dtype a reduction computes in: float32 for float16/bfloat16, the input's otherwise.
DType stats_dtype(DType t);

Tensor cumsum(const Tensor& self, int64_t dim, std::optional<DType> dtype);
Tensor cumprod(const Tensor& self, int64_t dim, std::optional<DType> dtype);
std::tuple<Tensor, Tensor> cummax(const Tensor& self, int64_t dim);
std::tuple<Tensor, Tensor> cummin(const Tensor& self, int64_t dim);

// Helpers for the derivatives.
// `mask ? self : 0` (broadcasting), without the NaN that multiplying by a mask gives for inf * 0.
Tensor keep_where(const Tensor& self, const Tensor& mask);
// Along `dim`: the product of all other elements of the line (zeros handled exactly).
Tensor prod_of_others(const Tensor& self, int64_t dim);
// cumprod's input gradient along `dim` for inputs that may contain zeros.
Tensor cumprod_backward(const Tensor& grad, const Tensor& self, int64_t dim);
// Along `dim`, with an int64 `index` of self's shape whose values lie in [0, size(dim)) (as cummax's):
// gather_along reads self[..., index, ...]; scatter_add_along adds self into a zeroed result at index.
Tensor gather_along(const Tensor& self, const Tensor& index, int64_t dim);
Tensor scatter_add_along(const Tensor& self, const Tensor& index, int64_t dim);
// 0, 1, ..., n-1 as int64 on `device`, laid along `dim` of a tensor with `ndim` dims (size 1 elsewhere).
Tensor arange_along(int64_t n, int64_t dim, int64_t ndim, Device device);

}  // namespace ember::ops
