#pragma once
// Forward computations of the index family (no autograd), shared by src/ops/index*.cpp and the public
// ops in src/autograd/derivatives/index*.cpp.
#include <ember/ops/index.h>
#include <ember/ops/indexing.h>

#include "dispatch/index_kernels.h"
#include "ops/ops.h"

namespace ember::ops {

using dispatch::ScatterMode;

// ---- building blocks: every index op is a gather or scatter by element offsets ----
// Offsets live on the device of the tensor they address, so a gather or scatter on the GPU reads no host
// memory; index tensors are brought there by each op (or refused, as PyTorch refuses them).
// int64 contiguous offsets on `device` of a walk over `sizes` with element `strides`.
Tensor strided_offsets(IntArrayRef sizes, IntArrayRef strides, Device device);
// The same walk with dim `remap_dim` read through `remap` and/or `extra * extra_scale` added (see
// IndexStridedOffsetsKernel), in one pass; remap and extra are on `device`.
Tensor strided_offsets(IntArrayRef sizes, IntArrayRef strides, int64_t remap_dim, const Tensor& remap,
                       const Tensor& extra, int64_t extra_scale, Device device);
// Offsets under `strides` of the true elements of a bool mask, in row-major order.
Tensor mask_offsets(const Tensor& mask, IntArrayRef strides);
// `index` as a contiguous int64 tensor (`index` itself when it already is one).
Tensor as_int64(const Tensor& index);
// Checks `idx` (from as_int64) against [-size, size) (or [0, size)); returns the first offending value on
// failure, leaving the error wording to the op. Negative values are wrapped in a copy that replaces `idx`,
// so the caller's index tensor is never written.
std::optional<int64_t> wrap_indices(Tensor& idx, int64_t size, bool allow_negative);
// src.data[offsets] with offsets' shape, contiguous.
Tensor gather_offsets(const Tensor& src, const Tensor& offsets);
// dst.data[offsets] (op)= values; values broadcastable to offsets (cast to dst's dtype by the caller).
void scatter_offsets(Tensor& dst, const Tensor& offsets, const Tensor& values, ScatterMode mode);
// int64 tensor start, start+step, ... (n values) on `device`.
Tensor arange_index(int64_t start, int64_t n, int64_t step, Device device);

// ---- ops along one dim ----
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
ScatterMode scatter_reduce_mode(std::string_view reduce);  // "" / "add" / "multiply"
Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode,
                 const char* op = "scatter");
Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, ScatterMode mode);
Tensor& scatter_reduce_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                        bool include_self);
Tensor& index_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha);
Tensor& index_copy_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);

// ---- advanced indexing ----
Tensor index(const Tensor& self, const OptionalTensorList& indices);
Tensor& index_put_(Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate);
Tensor masked_select(const Tensor& self, const Tensor& mask);
Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source);
Tensor nonzero(const Tensor& self);
Tensor take(const Tensor& self, const Tensor& index);
Tensor one_hot(const Tensor& self, int64_t num_classes);

// ---- the indexing syntax: basic indexing as views ----
// A slice start:stop:step resolved against a dim of `size` as Python does: first element and length.
std::pair<int64_t, int64_t> slice_bounds(int64_t size, int64_t start, int64_t stop, int64_t step);
Tensor slice_by_length(const Tensor& self, int64_t dim, int64_t start, int64_t length, int64_t step);
// `real_dim` is the dim named in the error message (the index's position in an index list, as PyTorch names it).
Tensor select(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim);
// PyTorch's checked conversion of a number written into a tensor of `dtype` (x[i] = 300 on uint8): throws
// "value cannot be converted to type ... without overflow" when it does not fit.
void check_convertible(const Scalar& value, DType dtype);

}  // namespace ember::ops
