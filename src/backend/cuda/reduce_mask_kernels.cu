// CUDA kernel of `mask ? x : 0` (backend/cpu/reduce_mask_kernels.cpp), which the reduction derivatives
// and logsumexp use because, unlike x * mask, it leaves no NaN where x is infinite.
#include "backend/cuda/pointwise_ops.cuh"
#include "dispatch/kernel_types.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

template <class T>
struct KeepWhere {
  __device__ T operator()(T x, bool keep) const { return keep ? x : T(compute_t<T>(0)); }
};

// Operands: 0 the output, 1 x (the output's dtype), 2 the bool mask.
void keep_where_kernel(const dispatch::TensorIterator& it, const char* name) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    cuda::launch_elementwise<T, T, bool>(it, KeepWhere<T>{}, name);
  });
}

}  // namespace

EMBER_REGISTER_CUDA_KERNEL("reduce_keep_where", BinaryKernel, &keep_where_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
