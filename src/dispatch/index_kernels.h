#pragma once
// Signatures of the index family's kernels. Index ops reduce to element offsets: an int64 tensor holding,
// for every element the op reads or writes, its offset (in elements) from a tensor's data pointer. The
// op layer builds offsets with int64 tensor arithmetic; kernels only gather, scatter and check.
#include <ember/tensor.h>

namespace ember::dispatch {

enum class ScatterMode { Copy, Add, Multiply, Max, Min };

// out (int64, contiguous) = offsets of a walk over out's sizes with element `strides`. When `remap` is
// defined (int64, contiguous, one value per position of dim remap_dim), position c along that dim
// contributes remap[c] * strides[remap_dim] instead of c * strides[remap_dim]. When `extra` is defined
// (int64, contiguous, out's numel), extra[i] * extra_scale is added to element i. One pass builds the
// offsets of index_select (remap) and gather/scatter (extra).
using IndexStridedOffsetsKernel = void(Tensor& out, IntArrayRef strides, int64_t remap_dim, const Tensor& remap,
                                       const Tensor& extra, int64_t extra_scale);
// Checks every value of the contiguous int64 `idx` lies in [-size, size) (or [0, size) without
// allow_negative); returns false with the first offender in `bad`, else true with has_negative set.
using IndexCheckKernel = bool(const Tensor& idx, int64_t size, bool allow_negative, int64_t& bad, bool& has_negative);
// Adds `size` to the negative values of the contiguous int64 `idx`, in place.
using IndexWrapKernel = void(Tensor& idx, int64_t size);
// out (contiguous, src's dtype) = src.data[offsets].
using IndexGatherKernel = void(const Tensor& src, const Tensor& offsets, Tensor& out);
// dst.data[offsets[i]] (op)= values[i]; values is contiguous with dst's dtype, or one element for all.
// Accumulating modes run serially in index order, so duplicate offsets give the same result on every run;
// Copy runs in parallel (with duplicates one of the values lands, which is all PyTorch promises).
using IndexScatterKernel = void(Tensor& dst, const Tensor& offsets, const Tensor& values, ScatterMode mode);
// gather/scatter along `dim` in one pass, without offset tensors. For every position p of idx's sizes (idx:
// int64, any strides, values checked and wrapped), self's element is p with its `dim` coordinate replaced by
// idx[p]; `other` (self's dtype, any strides, walked with idx's sizes) is at p. gather: other[p] = that
// element (other is the output); otherwise the element (mode)= other[p], with ordering as IndexScatterKernel.
using IndexAlongDimKernel = void(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& other, bool gather,
                                 ScatterMode mode);
// The (n, ndim) int64 coordinates of the non-zero elements of a contiguous tensor, in row-major order.
using IndexNonzeroKernel = Tensor(const Tensor& self);
// The offsets (dot product of coordinates with `strides`) of the non-zero elements of a contiguous
// tensor, in row-major order: a mask turned straight into the offsets of the elements it selects.
using IndexMaskOffsetsKernel = Tensor(const Tensor& mask, IntArrayRef strides);
// Smallest and largest value of a non-empty contiguous int64 tensor.
using IndexMinMaxKernel = void(const Tensor& t, int64_t& min, int64_t& max);
// self[i] /= count[i] where count[i] > 0 (floor division for integers): the last step of a scatter mean.
// Both contiguous with self's dtype.
using IndexMeanDivideKernel = void(Tensor& self, const Tensor& count);

}  // namespace ember::dispatch
