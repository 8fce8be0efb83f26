#pragma once
// Kernel signatures of the sort family (src/ops/sort*.cpp, src/ops/search*.cpp). Inputs may have any
// strides unless noted; outputs are allocated by the op, contiguous.
#include <ember/tensor.h>

namespace ember::dispatch {

// values/indices have self's sizes; each slice along dim is sorted (stably).
using SortKernel = void(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, bool descending);
// values/indices have self's sizes with size k along dim.
using TopkKernel = void(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k,
                        bool largest);
// values/indices have self's sizes with size 1 along dim.
using KthvalueKernel = void(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k);
// out[.., j, ..] = src[.., index[.., j, ..], ..] along dim; out and index share sizes.
using TakeAlongDimKernel = void(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim);
// out[.., index[.., j, ..], ..] += src[.., j, ..] along dim; out is zero-filled on entry.
using PutAlongDimKernel = void(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim);
// boundaries (rows, n) and values (rows or 1, m), contiguous, one dtype; sorter (rows, n) int64 or
// undefined; out (rows, m) int64 or int32. A single boundaries row serves every values row.
using SearchsortedKernel = void(const Tensor& boundaries, const Tensor& sorter, const Tensor& values,
                                const Tensor& out, bool right);
// Flat contiguous input; fills the first u entries of values/counts (n entries allocated) and the n
// entries of inverse, returns u. `consecutive` groups only runs of equal neighbours without sorting.
using UniqueKernel = int64_t(const Tensor& flat, bool consecutive, const Tensor& values, const Tensor& inverse,
                             const Tensor& counts);
// Rows of a contiguous (n, m) input: fills first_row (a representative row of each group), inverse
// and counts, returns the number of groups u.
using UniqueRowsKernel = int64_t(const Tensor& rows, bool consecutive, const Tensor& first_row, const Tensor& inverse,
                                 const Tensor& counts);
// self contiguous 1-D integers (checked non-negative); weights contiguous float/double or undefined;
// out zero-filled, of length >= max + 1.
using BincountKernel = void(const Tensor& self, const Tensor& weights, const Tensor& out);
// Non-finite range check done by the op; out zero-filled (bins,) of self's dtype.
using HistcKernel = void(const Tensor& self, const Tensor& out, double min, double max);
// (min, max) over a floating tensor, ignoring nothing: NaN propagates.
using MinMaxKernel = void(const Tensor& self, double* min, double* max);

}  // namespace ember::dispatch
