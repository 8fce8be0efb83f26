#pragma once
// Normalisation, distance and feature-dropout ops at torch's (ATen's) level: torch.batch_norm,
// torch.layer_norm, ... Optional tensors (weight, bias, running stats) are passed as undefined Tensors
// (`{}`) for None. PyTorch's cudnn_enabled flags are left out. The torch.nn.functional forms, with
// their argument order and checks, are in ember/nn/functional/norm.h.
#include <optional>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember {

// Normalises each channel (dim 1) of input (N, C, *). In training the batch's statistics are used and
// running_mean / running_var (when given) become (1 - momentum) * running + momentum * batch, with the
// unbiased batch variance; otherwise the running statistics are used.
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps);
// Normalises over the last normalized_shape.size() dims.
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5);
// Normalises each group of C / num_groups channels of each sample; weight and bias are per channel.
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = {}, const Tensor& bias = {},
                  double eps = 1e-5);
// Normalises each channel of each sample (batch_norm over (1, N * C, *)); the running stats, when
// given, are updated with the mean over the batch of the per-sample statistics.
Tensor instance_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                     const Tensor& running_var, bool use_input_stats, double momentum, double eps);
// x / sqrt(mean(x^2) + eps) * weight over the last dims; eps defaults to the machine epsilon of the
// compute type (float32 for float16 and bfloat16), as torch.rms_norm.
Tensor rms_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                std::optional<double> eps = std::nullopt);

// <x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along dim, after broadcasting.
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
// ||x1 - x2 + eps||_p along the last dim.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2, double eps = 1e-6, bool keepdim = false);
// The p-norm distances between the rows of a 2-D input, for each pair i < j in row-major order.
Tensor pdist(const Tensor& input, double p = 2);

// Dropout of whole channels (dim 1; dim 0 for an unbatched input of one dim less is the caller's
// concern): each (n, c) slice is zeroed with probability p and the rest scaled by 1 / (1 - p).
Tensor feature_dropout(const Tensor& input, double p, bool train, std::optional<Generator> generator = std::nullopt);
// Dropout for SELU networks: dropped values become SELU's negative saturation and the result is
// rescaled to keep zero mean and unit variance.
Tensor alpha_dropout(const Tensor& input, double p, bool train, std::optional<Generator> generator = std::nullopt);
// alpha_dropout of whole channels.
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train,
                             std::optional<Generator> generator = std::nullopt);
// In-place forms: self is multiplied (and shifted) in place, with autograd's in-place rules.
Tensor& feature_dropout_(Tensor& self, double p, bool train, std::optional<Generator> generator = std::nullopt);
Tensor& alpha_dropout_(Tensor& self, double p, bool train, std::optional<Generator> generator = std::nullopt);
Tensor& feature_alpha_dropout_(Tensor& self, double p, bool train, std::optional<Generator> generator = std::nullopt);

}  // namespace ember
