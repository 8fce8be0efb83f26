// torch.nn.init, with PyTorch's formulas and error messages.
#include <cmath>
#include <string>
#include <vector>

#include <ember/autograd/grad_mode.h>
#include <ember/nn/init.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>
#include <ember/ops/shape.h>

namespace ember::nn::init {

double calculate_gain(std::string_view nonlinearity, std::optional<double> param) {
  for (std::string_view linear : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                  "conv_transpose3d", "sigmoid"})
    if (nonlinearity == linear) return 1;
  if (nonlinearity == "tanh") return 5.0 / 3;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    const double slope = param.value_or(0.01);
    return std::sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity == "selu") return 3.0 / 4;
  throw ValueError("Unsupported nonlinearity " + std::string(nonlinearity));
}

std::pair<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor) {
  EMBER_CHECK_VALUE(tensor.dim() >= 2,
                    "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  int64_t receptive_field = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive_field *= tensor.size(d);
  return {tensor.size(1) * receptive_field, tensor.size(0) * receptive_field};
}

int64_t _calculate_correct_fan(const Tensor& tensor, std::string_view mode) {
  std::string m(mode);
  for (char& c : m) c = char(std::tolower(static_cast<unsigned char>(c)));
  EMBER_CHECK_VALUE(m == "fan_in" || m == "fan_out", "Mode ", mode, " not supported, please use one of ['fan_in', 'fan_out']");
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  return m == "fan_in" ? fan_in : fan_out;
}

Tensor uniform_(Tensor tensor, double a, double b, std::optional<Generator> generator) {
  NoGradGuard no_grad;
  tensor.uniform_(a, b, generator);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double std, std::optional<Generator> generator) {
  NoGradGuard no_grad;
  tensor.normal_(mean, std, generator);
  return tensor;
}

Tensor trunc_normal_(Tensor tensor, double mean, double std, double a, double b, std::optional<Generator> generator) {
  NoGradGuard no_grad;
  auto norm_cdf = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
  const double l = norm_cdf((a - mean) / std), u = norm_cdf((b - mean) / std);
  // Uniform on [2l-1, 2u-1], then the inverse CDF of the standard normal (via erfinv), then scale and
  // shift; the clamp keeps rounding at the edges inside [a, b].
  tensor.uniform_(2 * l - 1, 2 * u - 1, generator);
  tensor.erfinv_();
  tensor.mul_(std * std::sqrt(2.0));
  tensor.add_(mean);
  tensor.clamp_(Scalar(a), Scalar(b));
  return tensor;
}

Tensor constant_(Tensor tensor, double val) {
  NoGradGuard no_grad;
  tensor.fill_(val);
  return tensor;
}
Tensor ones_(Tensor tensor) { return constant_(std::move(tensor), 1); }
Tensor zeros_(Tensor tensor) {
  NoGradGuard no_grad;
  tensor.zero_();
  return tensor;
}

Tensor eye_(Tensor tensor) {
  EMBER_CHECK_VALUE(tensor.dim() == 2, "Only tensors with 2 dimensions are supported");
  NoGradGuard no_grad;
  tensor.copy_(eye(tensor.size(0), tensor.size(1), TensorOptions(tensor.dtype())));
  return tensor;
}

Tensor dirac_(Tensor tensor, int64_t groups) {
  const int64_t dims = tensor.dim();
  EMBER_CHECK_VALUE(dims >= 3 && dims <= 5, "Only tensors with 3, 4, or 5 dimensions are supported");
  EMBER_CHECK_VALUE(groups > 0 && tensor.size(0) % groups == 0, "dim 0 must be divisible by groups");
  NoGradGuard no_grad;
  const int64_t out_per_group = tensor.size(0) / groups;
  const int64_t min_dim = std::min(out_per_group, tensor.size(1));
  tensor.zero_();
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t d = 0; d < min_dim; ++d) {
      Tensor t = tensor.select(0, g * out_per_group + d).select(0, d);
      while (t.dim() > 0) t = t.select(0, t.size(0) / 2);
      t.fill_(1);
    }
  return tensor;
}

Tensor xavier_uniform_(Tensor tensor, double gain, std::optional<Generator> generator) {
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  const double std = gain * std::sqrt(2.0 / double(fan_in + fan_out));
  const double a = std::sqrt(3.0) * std;
  return uniform_(std::move(tensor), -a, a, generator);
}

Tensor xavier_normal_(Tensor tensor, double gain, std::optional<Generator> generator) {
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  const double std = gain * std::sqrt(2.0 / double(fan_in + fan_out));
  return normal_(std::move(tensor), 0, std, generator);
}

namespace {
double kaiming_std(const Tensor& tensor, double a, std::string_view mode, std::string_view nonlinearity) {
  const int64_t fan = _calculate_correct_fan(tensor, mode);
  return calculate_gain(nonlinearity, a) / std::sqrt(double(fan));
}
}  // namespace

Tensor kaiming_uniform_(Tensor tensor, double a, std::string_view mode, std::string_view nonlinearity,
                        std::optional<Generator> generator) {
  if (tensor.numel() == 0) return tensor;  // PyTorch warns that this is a no-op
  const double bound = std::sqrt(3.0) * kaiming_std(tensor, a, mode, nonlinearity);
  return uniform_(std::move(tensor), -bound, bound, generator);
}

Tensor kaiming_normal_(Tensor tensor, double a, std::string_view mode, std::string_view nonlinearity,
                       std::optional<Generator> generator) {
  if (tensor.numel() == 0) return tensor;
  const double std = kaiming_std(tensor, a, mode, nonlinearity);
  return normal_(std::move(tensor), 0, std, generator);
}

namespace {
// Reduced QR of an m x n row-major matrix (m >= n) by Householder reflections: returns Q (m x n) in place
// of `a` and the signs of R's diagonal in `r_sign`. Sizes of weight matrices, so plain loops do.
void householder_qr(std::vector<double>& a, int64_t m, int64_t n, std::vector<double>& r_sign) {
  std::vector<std::vector<double>> vs(size_t(n), std::vector<double>(size_t(m), 0.0));
  r_sign.assign(size_t(n), 1.0);
  auto at = [&](int64_t i, int64_t j) -> double& { return a[size_t(i * n + j)]; };
  for (int64_t k = 0; k < n; ++k) {
    std::vector<double>& v = vs[size_t(k)];
    double norm = 0;
    for (int64_t i = k; i < m; ++i) norm += at(i, k) * at(i, k);
    norm = std::sqrt(norm);
    const double alpha = at(k, k) > 0 ? -norm : norm;  // R[k, k]
    r_sign[size_t(k)] = alpha > 0 ? 1.0 : (alpha < 0 ? -1.0 : 0.0);
    for (int64_t i = k; i < m; ++i) v[size_t(i)] = at(i, k);
    v[size_t(k)] -= alpha;
    double vnorm = 0;
    for (int64_t i = k; i < m; ++i) vnorm += v[size_t(i)] * v[size_t(i)];
    vnorm = std::sqrt(vnorm);
    if (vnorm == 0) continue;
    for (int64_t i = k; i < m; ++i) v[size_t(i)] /= vnorm;
    for (int64_t j = k; j < n; ++j) {
      double dot = 0;
      for (int64_t i = k; i < m; ++i) dot += v[size_t(i)] * at(i, j);
      for (int64_t i = k; i < m; ++i) at(i, j) -= 2 * dot * v[size_t(i)];
    }
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  std::fill(a.begin(), a.end(), 0.0);
  for (int64_t i = 0; i < n; ++i) at(i, i) = 1;
  for (int64_t k = n - 1; k >= 0; --k) {
    const std::vector<double>& v = vs[size_t(k)];
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0;
      for (int64_t i = k; i < m; ++i) dot += v[size_t(i)] * at(i, j);
      for (int64_t i = k; i < m; ++i) at(i, j) -= 2 * dot * v[size_t(i)];
    }
  }
}
}  // namespace

Tensor orthogonal_(Tensor tensor, double gain, std::optional<Generator> generator) {
  EMBER_CHECK_VALUE(tensor.dim() >= 2, "Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() == 0) return tensor;
  NoGradGuard no_grad;
  const int64_t rows = tensor.size(0), cols = tensor.numel() / rows;
  Tensor flat = ember::normal(0, 1, {rows, cols}, generator, TensorOptions(kFloat64));
  if (rows < cols) flat = flat.t();
  const int64_t m = std::max(rows, cols), n = std::min(rows, cols);
  flat = flat.contiguous();
  std::vector<double> a(flat.data_ptr<double>(), flat.data_ptr<double>() + m * n);
  std::vector<double> sign;
  householder_qr(a, m, n, sign);
  // q *= sign(diag(r)): the QR with a positive diagonal, which makes the result uniformly distributed.
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) a[size_t(i * n + j)] *= sign[size_t(j)] * gain;
  Tensor q = from_blob(a.data(), {m, n}, TensorOptions(kFloat64)).clone();
  if (rows < cols) q = q.t();
  tensor.view({rows, cols}).copy_(q);
  return tensor;
}

}  // namespace ember::nn::init
