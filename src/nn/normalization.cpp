// Normalisation modules: PyTorch's _NormBase/_BatchNorm/_InstanceNorm logic (which statistics to use,
// when running statistics update, the cumulative average of momentum=None), forward through the
// functional ops.
#include <ember/autograd/grad_mode.h>
#include <ember/nn/functional/norm.h>
#include <ember/nn/init.h>
#include <ember/nn/modules/normalization.h>
#include <ember/ops/factory.h>

namespace ember::nn {

namespace {
std::string momentum_repr(const std::optional<double>& m) { return m ? py_repr(*m) : "None"; }
}  // namespace

_NormBase::_NormBase(int64_t num_features, double eps, std::optional<double> momentum, bool affine,
                     bool track_running_stats, const TensorOptions& options)
    : num_features(num_features),
      eps(eps),
      momentum(momentum),
      affine(affine),
      track_running_stats(track_running_stats),
      weight(register_parameter("weight", affine ? empty({num_features}, options) : Tensor())),
      bias(register_parameter("bias", affine ? empty({num_features}, options) : Tensor())),
      running_mean(register_buffer("running_mean", track_running_stats ? zeros({num_features}, options) : Tensor())),
      running_var(register_buffer("running_var", track_running_stats ? ones({num_features}, options) : Tensor())),
      num_batches_tracked(register_buffer(
          "num_batches_tracked", track_running_stats ? zeros({}, TensorOptions().dtype(kInt64)) : Tensor())) {
  reset_parameters();
}

void _NormBase::reset_running_stats() {
  if (!track_running_stats) return;
  NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void _NormBase::reset_parameters() {
  reset_running_stats();
  if (affine) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

std::string _NormBase::extra_repr() const {
  return std::to_string(num_features) + ", eps=" + py_repr(eps) + ", momentum=" + momentum_repr(momentum) +
         ", affine=" + py_repr(affine) + ", track_running_stats=" + py_repr(track_running_stats);
}

Tensor _BatchNorm::forward(const Tensor& input) {
  check_input_dim(input);
  double factor = momentum.value_or(0.0);
  if (is_training() && track_running_stats) {
    NoGradGuard no_grad;
    num_batches_tracked.add_(1);
    if (!momentum) factor = 1.0 / double(num_batches_tracked.item<int64_t>());
  }
  // Batch statistics in training, and in eval mode when there are no running statistics.
  const bool bn_training = is_training() || !running_mean.defined();
  const bool pass_stats = !is_training() || track_running_stats;
  return functional::batch_norm(input, pass_stats ? running_mean : Tensor(), pass_stats ? running_var : Tensor(),
                                weight, bias, bn_training, factor, eps);
}

void BatchNorm1d::check_input_dim(const Tensor& input) const {
  EMBER_CHECK_VALUE(input.dim() == 2 || input.dim() == 3, "expected 2D or 3D input (got ", input.dim(), "D input)");
}
void BatchNorm2d::check_input_dim(const Tensor& input) const {
  EMBER_CHECK_VALUE(input.dim() == 4, "expected 4D input (got ", input.dim(), "D input)");
}
void BatchNorm3d::check_input_dim(const Tensor& input) const {
  EMBER_CHECK_VALUE(input.dim() == 5, "expected 5D input (got ", input.dim(), "D input)");
}

Tensor _InstanceNorm::forward(const Tensor& input) {
  EMBER_CHECK_VALUE(input.dim() == nd_ + 1 || input.dim() == nd_ + 2, "expected ", nd_ + 1, "D or ", nd_ + 2,
                    "D input (got ", input.dim(), "D input)");
  const int64_t feature_dim = input.dim() - (nd_ + 1);
  // PyTorch only warns when the sizes differ without affine; the op itself needs them equal with it.
  EMBER_CHECK_VALUE(!affine || input.size(feature_dim) == num_features, "expected input's size at dim=", feature_dim,
                    " to match num_features (", num_features, "), but got: ", input.size(feature_dim), ".");
  const bool batched = input.dim() == nd_ + 2;
  Tensor x = batched ? input : input.unsqueeze(0);
  Tensor out = functional::instance_norm(x, running_mean, running_var, weight, bias,
                                         is_training() || !track_running_stats, momentum.value_or(0.1), eps);
  return batched ? out : out.squeeze(0);
}

LayerNorm::LayerNorm(IntArrayRef normalized_shape, double eps, bool elementwise_affine, bool bias_,
                     const TensorOptions& options)
    : normalized_shape(normalized_shape),
      eps(eps),
      elementwise_affine(elementwise_affine),
      weight(register_parameter("weight", elementwise_affine ? empty(normalized_shape, options) : Tensor())),
      bias(register_parameter("bias", elementwise_affine && bias_ ? empty(normalized_shape, options) : Tensor())) {
  reset_parameters();
}

void LayerNorm::reset_parameters() {
  if (weight.defined()) init::ones_(weight);
  if (bias.defined()) init::zeros_(bias);
}

Tensor LayerNorm::forward(const Tensor& input) { return layer_norm(input, normalized_shape, weight, bias, eps); }

std::string LayerNorm::extra_repr() const {
  return py_repr(normalized_shape) + ", eps=" + py_repr(eps) + ", elementwise_affine=" + py_repr(elementwise_affine);
}

GroupNorm::GroupNorm(int64_t num_groups, int64_t num_channels, double eps, bool affine, const TensorOptions& options)
    : num_groups(num_groups),
      num_channels(num_channels),
      eps(eps),
      affine(affine),
      weight(register_parameter("weight", affine ? empty({num_channels}, options) : Tensor())),
      bias(register_parameter("bias", affine ? empty({num_channels}, options) : Tensor())) {
  EMBER_CHECK_VALUE(num_groups > 0 && num_channels % num_groups == 0, "num_channels must be divisible by num_groups");
  reset_parameters();
}

void GroupNorm::reset_parameters() {
  if (!affine) return;
  init::ones_(weight);
  init::zeros_(bias);
}

Tensor GroupNorm::forward(const Tensor& input) { return functional::group_norm(input, num_groups, weight, bias, eps); }

std::string GroupNorm::extra_repr() const {
  return std::to_string(num_groups) + ", " + std::to_string(num_channels) + ", eps=" + py_repr(eps) +
         ", affine=" + py_repr(affine);
}

RMSNorm::RMSNorm(IntArrayRef normalized_shape, std::optional<double> eps, bool elementwise_affine,
                 const TensorOptions& options)
    : normalized_shape(normalized_shape),
      eps(eps),
      elementwise_affine(elementwise_affine),
      weight(register_parameter("weight", elementwise_affine ? empty(normalized_shape, options) : Tensor())) {
  reset_parameters();
}

void RMSNorm::reset_parameters() {
  if (weight.defined()) init::ones_(weight);
}

Tensor RMSNorm::forward(const Tensor& input) { return rms_norm(input, normalized_shape, weight, eps); }

std::string RMSNorm::extra_repr() const {
  return py_repr(normalized_shape) + ", eps=" + (eps ? py_repr(*eps) : "None") +
         ", elementwise_affine=" + py_repr(elementwise_affine);
}

Tensor LocalResponseNorm::forward(const Tensor& input) {
  return functional::local_response_norm(input, size, alpha, beta, k);
}

std::string LocalResponseNorm::extra_repr() const {
  return std::to_string(size) + ", alpha=" + py_repr(alpha) + ", beta=" + py_repr(beta) + ", k=" + py_repr(k);
}

}  // namespace ember::nn
