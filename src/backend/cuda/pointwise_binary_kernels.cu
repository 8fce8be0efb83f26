// CUDA kernels of the binary ops of ember/ops/pointwise.def (see pointwise_ops.cuh).
#include "backend/cuda/pointwise_ops.cuh"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#define EMBER_BINARY_OP(name, F, R) EMBER_REGISTER_CUDA_KERNEL(#name, BinaryKernel, &binary_kernel<F>);
#define EMBER_BINARY_KERNEL(name, F, R) EMBER_REGISTER_CUDA_KERNEL(#name, BinaryKernel, &binary_kernel<F>);
#include <ember/ops/pointwise.def>

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
