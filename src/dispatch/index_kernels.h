#pragma once
// Signatures of the index family's kernels. Index ops reduce to element offsets: an int64 tensor holding,
// for every element the op reads or writes, its offset (in elements) from a tensor's data pointer. The
// op layer builds offsets with int64 tensor arithmetic; kernels only gather, scatter and check.
#include <ember/tensor.h>

namespace ember::dispatch {

enum class ScatterMode { Copy, Add, Multiply, Max, Min };

// out (int64, contiguous, shape `sizes`) = offsets of a walk over `sizes` with element `strides`.
using IndexStridedOffsetsKernel = void(Tensor& out, IntArrayRef strides);
// Checks every value of the contiguous int64 `idx` lies in [-size, size) (or [0, size) without
// allow_negative); on success wraps negatives in place and returns true, else stores the first offender.
using IndexWrapKernel = bool(Tensor& idx, int64_t size, bool allow_negative, int64_t& bad);
// out (contiguous, src's dtype) = src.data[offsets].
using IndexGatherKernel = void(const Tensor& src, const Tensor& offsets, Tensor& out);
// dst.data[offsets[i]] (op)= values[i]; values is contiguous with dst's dtype, or one element for all.
// Runs serially in index order, so duplicate offsets give the same result on every run.
using IndexScatterKernel = void(Tensor& dst, const Tensor& offsets, const Tensor& values, ScatterMode mode);
// The (n, ndim) int64 coordinates of the non-zero elements of a contiguous tensor, in row-major order.
using IndexNonzeroKernel = Tensor(const Tensor& self);
// Smallest and largest value of a non-empty contiguous int64 tensor.
using IndexMinMaxKernel = void(const Tensor& t, int64_t& min, int64_t& max);
// self[i] /= count[i] where count[i] > 0 (floor division for integers): the last step of a scatter mean.
// Both contiguous with self's dtype.
using IndexMeanDivideKernel = void(Tensor& self, const Tensor& count);

}  // namespace ember::dispatch
