// CUDA kernels of the unary ops of ember/ops/pointwise.def (see pointwise_ops.cuh).
#include "backend/cuda/pointwise_ops.cuh"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#define EMBER_UNARY_OP(name, F, R) EMBER_REGISTER_CUDA_KERNEL(#name, UnaryKernel, &unary_kernel<F>);
#include <ember/ops/pointwise.def>

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
