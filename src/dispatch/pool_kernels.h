#pragma once
// Kernel signatures of the pooling family (src/ops/pool.cpp). Every pooling op is run on three spatial
// dims (1-d and 2-d pools get leading size-1 dims) over planes = N * C, inputs and outputs contiguous
// (planes, D, H, W). The op describes each spatial dim's windows by tables, so one kernel serves
// fixed-size windows (stride, padding, dilation, ceil_mode) and adaptive ones alike.
#include <cstdint>
#include <vector>

#include <ember/tensor.h>

namespace ember::dispatch {

// The windows along one spatial dim: output position o reads inputs first[o] + j * step for
// j < count[o] (all within [0, in)); div[o] is its factor of an average's divisor.
struct PoolDim {
  int64_t in = 1, out = 1, step = 1;
  std::vector<int64_t> first, count, div;
  // The fixed window's size, stride and padding (0 for adaptive pools): kernels pick fast paths by it.
  int64_t kernel = 0, stride = 0, pad = 0;
};

struct PoolWindows {
  PoolDim dim[3];
  int64_t planes = 0;
};

// out and indices (int64, offsets within the plane, as PyTorch returns them) are (planes, out...).
// NaN wins, as in PyTorch.
using MaxPoolKernel = void(const Tensor& input, const Tensor& out, const Tensor& indices, const PoolWindows& w);
// grad_in (planes, in...) = scatter-add of grad_out at indices.
using MaxPoolBackwardKernel = void(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in);
// out (planes, O) = zeros with input (planes, I) written at indices, in order (the last write wins).
// Returns false if an index lies outside [0, O), with the first of the lowest plane holding one in
// *bad_index (out is then partly written).
using MaxUnpoolKernel = bool(const Tensor& input, const Tensor& indices, const Tensor& out, int64_t* bad_index);
// divisor_override 0 divides by the product of the dims' div entries.
using AvgPoolKernel = void(const Tensor& input, const Tensor& out, const PoolWindows& w, int64_t divisor_override);
using AvgPoolBackwardKernel = void(const Tensor& grad_out, const Tensor& grad_in, const PoolWindows& w,
                                   int64_t divisor_override);

}  // namespace ember::dispatch
