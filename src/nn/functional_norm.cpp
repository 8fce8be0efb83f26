// torch.nn.functional's normalisation and channel-dropout functions: the checks PyTorch makes in
// Python, then the ember ops. local_response_norm and normalize are composed of public ops.
#include <string>

#include <ember/autograd/grad_mode.h>
#include <ember/nn/functional/norm.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

namespace ember::nn::functional {

namespace {
// PyTorch's _verify_batch_size: training needs more than one value per channel.
void verify_batch_size(IntArrayRef size, const char* prefix = "torch.Size(", const char* suffix = ")") {
  int64_t prod = size.empty() ? 1 : size[0];
  for (size_t i = 2; i < size.size(); ++i) prod *= size[i];
  EMBER_CHECK_VALUE(prod != 1, "Expected more than 1 value per channel when training, got input size ", prefix,
                    size, suffix);
}

void check_p(double p) {
  EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
}

Tensor feature_dropout_of(const Tensor& input, double p, bool training, bool inplace, std::optional<Generator> gen) {
  if (!inplace) return ember::feature_dropout(input, p, training, gen);
  Tensor self = input;
  return ember::feature_dropout_(self, p, training, gen);
}

// Runs channel dropout on an input that may lack the batch dim (`batched` false): it gets one for the
// call and loses it after.
Tensor feature_dropout_maybe_batched(const Tensor& input, double p, bool training, bool inplace, bool batched,
                                     std::optional<Generator> gen) {
  if (batched) return feature_dropout_of(input, p, training, inplace, gen);
  if (!inplace) return ember::feature_dropout(input.unsqueeze(0), p, training, gen).squeeze(0);
  // PyTorch adds the batch dim with input.unsqueeze_(0), an in-place op on input itself, which a leaf
  // that requires grad refuses whether or not training.
  EMBER_CHECK(!(GradMode::is_enabled() && input.is_leaf() && input.requires_grad()),
              "a leaf Variable that requires grad is being used in an in-place operation.");
  // A view of input with the batch dim, dropped in place, writes into input.
  Tensor view = input.unsqueeze(0);
  ember::feature_dropout_(view, p, training, gen);
  return input;
}
}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps) {
  if (training) verify_batch_size(input.sizes());
  return ember::batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps);
}

Tensor instance_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                     const Tensor& bias, bool use_input_stats, double momentum, double eps) {
  if (use_input_stats) {
    int64_t spatial = 1;
    for (int64_t i = 2; i < input.dim(); ++i) spatial *= input.size(i);
    EMBER_CHECK_VALUE(spatial != 1, "Expected more than 1 spatial element when training, got input size torch.Size(",
                      input.sizes(), ")");
  }
  return ember::instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps);
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
  EMBER_CHECK_INDEX(input.dim() >= 2, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  EMBER_CHECK(num_groups > 0, "Expected number of channels in input to be divisible by num_groups, but got input of "
                              "shape ", input.sizes(), " and num_groups=", num_groups);
  // PyTorch checks the statistics of a (N * C / G, G, *) batch, which reads as a list in its message.
  DimVector size{input.size(0) * input.size(1) / num_groups, num_groups};
  for (int64_t i = 2; i < input.dim(); ++i) size.push_back(input.size(i));
  verify_batch_size(size, "", "");
  return ember::group_norm(input, num_groups, weight, bias, eps);
}

Tensor local_response_norm(const Tensor& input, int64_t size, double alpha, double beta, double k) {
  // PyTorch 1.13's message, with the spaces of its line continuation.
  EMBER_CHECK_VALUE(input.dim() >= 3, "Expected 3D or higher dimensionality", std::string(26, ' '), "input (got ",
                    input.dim(), " dimensions)");
  EMBER_CHECK_VALUE(size > 0, "local_response_norm: size must be positive, but got ", size);
  if (input.numel() == 0) return input;
  // The mean of squares over a window of `size` channels, zero-padded by size / 2 before and
  // (size - 1) / 2 after (PyTorch's avg_pool with count_include_pad).
  const int64_t C = input.size(1);
  Tensor sq = input * input;
  DimVector before(sq.sizes()), after(sq.sizes());
  before[1] = size / 2;
  after[1] = (size - 1) / 2;
  Tensor padded = cat({zeros(before, sq.options()), sq, zeros(after, sq.options())}, 1);
  Tensor window = padded.narrow(1, 0, C);
  for (int64_t j = 1; j < size; ++j) window = window + padded.narrow(1, j, C);
  Tensor div = (window / double(size) * alpha + k).pow(beta);
  return input / div;
}

Tensor normalize(const Tensor& input, double p, int64_t dim, double eps) {
  Tensor denom = input.norm(Scalar(p), {dim}, true).clamp_min(eps).expand_as(input);
  return input / denom;
}

Tensor dropout1d(const Tensor& input, double p, bool training, bool inplace, std::optional<Generator> gen) {
  check_p(p);
  const int64_t d = input.dim();
  EMBER_CHECK(d == 2 || d == 3, "dropout1d: Expected 2D or 3D input, but received a ", d,
              "D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
              "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).");
  return feature_dropout_maybe_batched(input, p, training, inplace, d == 3, gen);
}

Tensor dropout2d(const Tensor& input, double p, bool training, bool inplace, std::optional<Generator> gen) {
  check_p(p);
  return feature_dropout_of(input, p, training, inplace, gen);
}

Tensor dropout3d(const Tensor& input, double p, bool training, bool inplace, std::optional<Generator> gen) {
  check_p(p);
  return feature_dropout_maybe_batched(input, p, training, inplace, input.dim() == 5, gen);
}

Tensor alpha_dropout(const Tensor& input, double p, bool training, bool inplace, std::optional<Generator> gen) {
  check_p(p);
  if (!inplace) return ember::alpha_dropout(input, p, training, gen);
  Tensor self = input;
  return ember::alpha_dropout_(self, p, training, gen);
}

Tensor feature_alpha_dropout(const Tensor& input, double p, bool training, bool inplace,
                             std::optional<Generator> gen) {
  check_p(p);
  if (!inplace) return ember::feature_alpha_dropout(input, p, training, gen);
  Tensor self = input;
  return ember::feature_alpha_dropout_(self, p, training, gen);
}

}  // namespace ember::nn::functional
