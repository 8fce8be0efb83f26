#pragma once
// The shape of a reduction as the kernels see it: the kept dims (one per output element, with strides
// into the input and the output) and the reduced dims (strides into the input), each innermost first
// and merged where memory allows. The input is read in place through its strides: no permuted copy.
#include <ember/tensor.h>

namespace ember::dispatch {

struct ReduceGeometry {
  DimVector kept_sizes, kept_in_strides, kept_out_strides;  // element strides
  DimVector red_sizes, red_strides;                         // element strides
  int64_t num_outputs = 1;
  int64_t num_reduced = 1;
};

// `reduced[d]` says whether input dim d is reduced; `out` holds one element per kept position, laid out
// with the contiguous strides of the keepdim shape. With `logical_order` the reduced dims stay in
// row-major order (innermost first), so counting elements as the kernel walks gives the flat index
// that argmax and max(dim) report; otherwise they are ordered by stride for the fastest walk.
ReduceGeometry make_reduce_geometry(const Tensor& in, const std::vector<bool>& reduced, bool logical_order);

// Reduces `in` into `out` (dtype of `in`, except where noted); every reduced range is non-empty unless
// the op has an identity.
using ReduceKernel = void(const Tensor& in, Tensor& out, const ReduceGeometry& g);
// max/min with their flat index along the reduced dims (first occurrence; a NaN wins). `values` may be
// undefined when only the index is wanted.
using ArgReduceKernel = void(const Tensor& in, Tensor& values, Tensor& indices, const ReduceGeometry& g);
// Inclusive scans over dim 1 of a contiguous (outer, n, inner) input into a contiguous output of the
// same dtype; cummax/cummin also write int64 indices.
using ScanKernel = void(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner);
using ScanIndexKernel = void(const Tensor& in, Tensor& values, Tensor& indices, int64_t outer, int64_t n,
                             int64_t inner);
// cumprod's input gradient, same layout as ScanKernel (inputs that contain zeros included).
using ScanBackwardKernel = void(const Tensor& grad, const Tensor& in, Tensor& out, int64_t outer, int64_t n,
                                int64_t inner);
// Moving values along dim 1 by an int64 index of the same layout: gather reads src[o, index, j] into
// out[o, i, j]; scatter_add adds src[o, i, j] into out[o, index, j] (out zeroed by the kernel).
using IndexAlongKernel = void(const Tensor& src, const Tensor& index, Tensor& out, int64_t outer, int64_t n,
                              int64_t inner);

}  // namespace ember::dispatch
