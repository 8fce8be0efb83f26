#pragma once
// Kernel signatures of the activation family: the softmax kernels over one dim and the table of
// pointwise activations (forward and fused backward kernels per entry).
#include "dispatch/kernel_types.h"

namespace ember::dispatch {

// A contiguous tensor seen as [outer, n, inner], reduced over the middle dim.
struct SoftmaxGeometry {
  int64_t outer, n, inner;
};
// out = softmax(in) (or log_softmax) over the middle dim; in and out are contiguous, float32 or float64.
using SoftmaxKernel = void(const Tensor& in, Tensor& out, const SoftmaxGeometry& g, bool log);
// grad_in from grad and the forward's output: softmax: y * (grad - sum(grad * y)), log_softmax:
// grad - exp(y) * sum(grad). All contiguous, one dtype.
using SoftmaxBackwardKernel = void(const Tensor& grad, const Tensor& out, Tensor& grad_in, const SoftmaxGeometry& g,
                                   bool log);
// Pointwise activations with up to three double parameters: the forward iterates (out, self), the
// backward (grad_in, grad, self). Both have the UnaryParamKernel signature of pointwise_kernel_types.h.
using ActivationKernel = void(const TensorIterator& it, const char* name, const double* params);

}  // namespace ember::dispatch
