#pragma once
// Forward computations of the activation family (no autograd): the softmax kernels over one dim and
// the pointwise activations of src/dispatch/activation.def, each with its fused backward.
#include "ops/ops.h"

namespace ember::ops {

// `dim` wrapped by the caller; float16/bfloat16 compute in float32 and round once.
Tensor softmax(const Tensor& self, int64_t dim, bool log);
Tensor softmax_backward(const Tensor& grad, const Tensor& output, int64_t dim, bool log);

#define EMBER_ACTIVATION(name, F)                      \
  Tensor name(const Tensor& self, const double* params); \
  Tensor& name##_(Tensor& self, const double* params);   \
  Tensor name##_backward(const Tensor& grad, const Tensor& self, const double* params);
#include "dispatch/activation.def"

}  // namespace ember::ops
