// Shape and dtype rules of the activation family. The kernels compute in float32 or float64; float16
// and bfloat16 inputs are widened to float32 and the result rounded once, as PyTorch's CPU kernels do.
#include "ops/activation.h"

#include "dispatch/activation_kernels.h"
#include "dispatch/registry.h"
#include "ops/compute_dtype.h"

namespace ember::ops {

namespace {

dispatch::SoftmaxGeometry geometry(IntArrayRef sizes, int64_t dim) {
  dispatch::SoftmaxGeometry g{1, 1, 1};
  for (int64_t d = 0; d < int64_t(sizes.size()); ++d) {
    if (d < dim) g.outer *= sizes[d];
    else if (d == dim) g.n = sizes[d];
    else g.inner *= sizes[d];
  }
  return g;
}

Tensor activation(const char* name, dispatch::KernelSlot& k, const Tensor& self, const double* params) {
  Tensor in = cast(self, upcast_reduced(self.dtype()));
  Tensor out;
  dispatch::TensorIterator it(out, in.dtype(), {&in});
  dispatch::kernel<dispatch::ActivationKernel>(k, self.device().type())(it, name, params);
  return cast(out, self.dtype());
}

Tensor& activation_(const char* name, dispatch::KernelSlot& k, Tensor& self, const double* params) {
  if (upcast_reduced(self.dtype()) != self.dtype()) return copy_(self, activation(name, k, self, params));
  dispatch::TensorIterator it(self, self.dtype(), {&self});
  dispatch::kernel<dispatch::ActivationKernel>(k, self.device().type())(it, name, params);
  return self;
}

Tensor activation_backward(const char* name, dispatch::KernelSlot& k, const Tensor& grad, const Tensor& self,
                           const double* params) {
  const DType dt = upcast_reduced(self.dtype());
  Tensor g = cast(grad, dt), x = cast(self, dt);
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&g, &x});
  dispatch::kernel<dispatch::ActivationKernel>(k, self.device().type())(it, name, params);
  return cast(out, self.dtype());
}

}  // namespace

Tensor softmax(const Tensor& self, int64_t dim, bool log) {
  static auto& k = dispatch::slot("softmax");
  const DType dt = upcast_reduced(self.dtype());
  Tensor in = contiguous(cast(self, dt));
  Tensor out = empty(self.sizes(), dt, self.device());
  dispatch::kernel<dispatch::SoftmaxKernel>(k, self.device().type())(in, out, geometry(self.sizes(), dim), log);
  return cast(out, self.dtype());
}

Tensor softmax_backward(const Tensor& grad, const Tensor& output, int64_t dim, bool log) {
  static auto& k = dispatch::slot("softmax_backward");
  const DType dt = upcast_reduced(output.dtype());
  Tensor g = contiguous(cast(grad, dt)), y = contiguous(cast(output, dt));
  Tensor out = empty(output.sizes(), dt, output.device());
  dispatch::kernel<dispatch::SoftmaxBackwardKernel>(k, output.device().type())(g, y, out, geometry(output.sizes(), dim),
                                                                               log);
  return cast(out, output.dtype());
}

#define EMBER_ACTIVATION(name, F)                                                         \
  Tensor name(const Tensor& self, const double* params) {                                 \
    static auto& k = dispatch::slot(#name);                                               \
    return activation(#name, k, self, params);                                            \
  }                                                                                       \
  Tensor& name##_(Tensor& self, const double* params) {                                   \
    static auto& k = dispatch::slot(#name);                                               \
    return activation_(#name, k, self, params);                                           \
  }                                                                                       \
  Tensor name##_backward(const Tensor& grad, const Tensor& self, const double* params) {  \
    static auto& k = dispatch::slot(#name "_backward");                                   \
    return activation_backward(#name "_backward", k, grad, self, params);                 \
  }
#include "dispatch/activation.def"

}  // namespace ember::ops
