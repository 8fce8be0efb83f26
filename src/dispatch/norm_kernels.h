#pragma once
// Kernel signatures of the normalisation family (src/ops/norm.cpp). All tensors are contiguous and of
// one floating dtype (float32 or float64: the op widens the reduced floats); an undefined weight or
// bias stands for ones or zeros, an undefined gradient output for one that is not wanted. Sums run in
// blocks in the input's type, combined in double.
#include <ember/tensor.h>

namespace ember::dispatch {

// x (N, C, M): per channel c over N * M values, mean[c], invstd[c] = 1 / sqrt(biased var + eps) and,
// when defined, var[c] = the unbiased variance (for the running estimate).
using BatchNormStatsKernel = void(const Tensor& x, double eps, const Tensor& mean, const Tensor& invstd,
                                  const Tensor& var);
// out (N, C, M) = (x - mean[c]) * invstd[c] * weight[c] + bias[c].
using BatchNormApplyKernel = void(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                                  const Tensor& bias, const Tensor& out);
// Gradients of batch_norm given dy (N, C, M). train: mean and invstd are the batch's own, so dx
// includes the path through them; otherwise they are constants (running stats).
using BatchNormBackwardKernel = void(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& invstd,
                                     const Tensor& weight, bool train, const Tensor& dx, const Tensor& dweight,
                                     const Tensor& dbias);
// x (R, D): each row normalised, out = (x - mean[r]) * rstd[r] * weight + bias; writes mean (R) and rstd (R).
using LayerNormKernel = void(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                             const Tensor& mean, const Tensor& rstd);
// Gradients of layer_norm given dy (R, D); dweight and dbias (D) sum over rows in a fixed order.
using LayerNormBackwardKernel = void(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                                     const Tensor& weight, const Tensor& dx, const Tensor& dweight,
                                     const Tensor& dbias);

}  // namespace ember::dispatch
