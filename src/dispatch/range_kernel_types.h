#pragma once
// Signatures of the range factories' kernels (arange, range, linspace, logspace). Each fills a
// contiguous 1-D `out` in place; the op has checked the arguments and sized `out`.
#include <ember/tensor.h>

namespace ember::dispatch {

// out[i] = start + i * step. With `vector_blocks`, values are rounded as PyTorch's AVX2 arange rounds
// them (see range_kernels.cpp); torch.range rounds each element directly.
using ArangeKernel = void(Tensor& out, const Scalar& start, const Scalar& step, bool vector_blocks);
// Symmetric from both ends, as PyTorch: the first half counts up from start, the rest down from end.
using LinspaceKernel = void(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps);
using LogspaceKernel = void(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps, double base);

}  // namespace ember::dispatch
