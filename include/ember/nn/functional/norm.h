#pragma once
// torch.nn.functional's normalisation, embedding, distance and channel-dropout functions, with
// PyTorch's argument order and the checks its Python layer makes. None is an undefined Tensor (`{}`)
// or std::nullopt. The in-place forms (inplace=true) modify input, as PyTorch's.
#include <optional>
#include <string_view>

#include <ember/core/generator.h>
#include <ember/ops/embedding.h>
#include <ember/ops/norm.h>
#include <ember/tensor.h>

namespace ember::nn::functional {

// Raises "Expected more than 1 value per channel when training" when training on one value per channel.
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = {}, const Tensor& bias = {}, bool training = false, double momentum = 0.1,
                  double eps = 1e-5);
Tensor instance_norm(const Tensor& input, const Tensor& running_mean = {}, const Tensor& running_var = {},
                     const Tensor& weight = {}, const Tensor& bias = {}, bool use_input_stats = true,
                     double momentum = 0.1, double eps = 1e-5);
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = {}, const Tensor& bias = {},
                  double eps = 1e-5);
using ember::layer_norm;
using ember::rms_norm;
// input / (k + alpha / size * sum of squares over `size` neighbouring channels) ^ beta.
Tensor local_response_norm(const Tensor& input, int64_t size, double alpha = 1e-4, double beta = 0.75,
                           double k = 1.0);
// input / max(||input||_p along dim, eps).
Tensor normalize(const Tensor& input, double p = 2.0, int64_t dim = 1, double eps = 1e-12);

// Rows of weight picked by input; max_norm first renormalises (in place) the rows input names.
Tensor embedding(const Tensor& input, const Tensor& weight, std::optional<int64_t> padding_idx = std::nullopt,
                 std::optional<double> max_norm = std::nullopt, double norm_type = 2.0,
                 bool scale_grad_by_freq = false, bool sparse = false);
// Sums, means or maxima of bags of embeddings: a 1-D input split at offsets, or each row of a 2-D input.
Tensor embedding_bag(const Tensor& input, const Tensor& weight, const Tensor& offsets = {},
                     std::optional<double> max_norm = std::nullopt, double norm_type = 2, bool scale_grad_by_freq = false,
                     std::string_view mode = "mean", bool sparse = false, const Tensor& per_sample_weights = {},
                     bool include_last_offset = false, std::optional<int64_t> padding_idx = std::nullopt);

// Channel-wise dropout of (N, C, L) or (C, L); (N, C, H, W) (a 3-D input is taken as (N, C, L), as
// PyTorch 1.13 does); (N, C, D, H, W) or (C, D, H, W).
Tensor dropout1d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 std::optional<Generator> generator = std::nullopt);
Tensor dropout2d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 std::optional<Generator> generator = std::nullopt);
Tensor dropout3d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 std::optional<Generator> generator = std::nullopt);
Tensor alpha_dropout(const Tensor& input, double p = 0.5, bool training = false, bool inplace = false,
                     std::optional<Generator> generator = std::nullopt);
Tensor feature_alpha_dropout(const Tensor& input, double p = 0.5, bool training = false, bool inplace = false,
                             std::optional<Generator> generator = std::nullopt);

using ember::cosine_similarity;
using ember::pairwise_distance;
using ember::pdist;

}  // namespace ember::nn::functional
