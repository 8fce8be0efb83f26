// CUDA kernels of the ternary ops and the parameterised unary ops of ember/ops/pointwise.def (see
// pointwise_ops.cuh).
#include "backend/cuda/pointwise_ops.cuh"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#define EMBER_UNARY_PARAM_OP(name, F, R) \
  EMBER_REGISTER_CUDA_KERNEL(#name, UnaryParamKernel, &unary_param_kernel<F>);
#define EMBER_TERNARY_OP(name, F) EMBER_REGISTER_CUDA_KERNEL(#name, TernaryKernel, &ternary_kernel<F>);
#include <ember/ops/pointwise.def>

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
