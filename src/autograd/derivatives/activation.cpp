// Public activations and the softmax family with their derivatives. The first-order backward of each op
// is one fused kernel (ops::<name>_backward, ops::softmax_backward). Under create_graph (grad mode on
// inside backward) the same derivative is built from public ops instead, so it can be differentiated
// again; formulas are PyTorch's derivatives.yaml.
#include <ember/autocast.h>
#include <ember/ops/activation.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

#include "autograd/derivatives/pointwise_record.h"
#include "ops/activation.h"

namespace ember {

namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kBeta = 0.79788456080286535588;  // sqrt(2 / pi)
constexpr double kKappa = 0.044715;

struct Params {
  double p[3] = {0, 0, 0};
};

// Records `result = op(self)` whose gradient is fused(grad, self), or composite(grad, self) in public
// ops when the backward itself is being recorded.
template <class Fused, class Composite>
Tensor record_activation(const char* node, const Tensor& self, const Tensor& result, Fused fused,
                         Composite composite) {
  if (autograd::any_requires_grad({&self}))
    autograd::record_unary(node, self, result, true, false,
                           [fused, composite](const Tensor& g, const Tensor& x, const Tensor&) -> Tensor {
                             return GradMode::is_enabled() ? composite(g, x) : fused(g, x);
                           });
  return result;
}

// lo <= x <= hi, as a bool mask.
Tensor in_range(const Tensor& x, double lo, double hi) { return logical_and(x >= lo, x <= hi); }

// ---- the table's ops, out of place ----
Tensor hardtanh_impl(const Tensor& self, Params pr) {
  return record_activation(
      "HardtanhBackward0", self, ops::hardtanh(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::hardtanh_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(logical_or(x <= pr.p[0], x >= pr.p[1]), 0, g); });
}
Tensor leaky_relu_impl(const Tensor& self, Params pr) {
  return record_activation(
      "LeakyReluBackward0", self, ops::leaky_relu(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::leaky_relu_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(x > 0, g, g * pr.p[0]); });
}
Tensor elu_impl(const Tensor& self, Params pr) {
  return record_activation(
      "EluBackward0", self, ops::elu(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::elu_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) {
        const double alpha = pr.p[0], scale = pr.p[1], input_scale = pr.p[2];
        return where(x <= 0, g * (input_scale * alpha * scale) * (x * input_scale).exp(), g * scale);
      });
}
Params gelu_params(std::string_view approximate) {
  EMBER_CHECK(approximate == "none" || approximate == "tanh", "approximate argument must be either none or tanh.");
  Params pr;
  pr.p[0] = approximate == "tanh";
  return pr;
}
Tensor gelu_impl(const Tensor& self, Params pr) {
  return record_activation(
      "GeluBackward0", self, ops::gelu(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::gelu_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) {
        if (pr.p[0] != 0) {
          Tensor t = ((x + x * x * x * kKappa) * kBeta).tanh();
          return g * ((t + 1) * 0.5 + x * 0.5 * (1 - t * t) * ((x * x * (3 * kKappa) + 1) * kBeta));
        }
        return g * (((x * kSqrt1_2).erf() + 1) * 0.5 + x * (x * x * -0.5).exp() * kInvSqrt2Pi);
      });
}
Tensor silu_impl(const Tensor& self) {
  return record_activation(
      "SiluBackward0", self, ops::silu(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::silu_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) {
        Tensor s = x.sigmoid();
        return g * s * (x * (1 - s) + 1);
      });
}
Tensor mish_impl(const Tensor& self) {
  return record_activation(
      "MishBackward0", self, ops::mish(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::mish_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) {
        Tensor s = x.sigmoid(), t = softplus(x).tanh();
        return g * (t + x * s * (1 - t * t));
      });
}
Tensor hardsigmoid_impl(const Tensor& self) {
  return record_activation(
      "HardsigmoidBackward0", self, ops::hardsigmoid(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::hardsigmoid_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) { return where(logical_and(x > -3, x < 3), g / 6, 0); });
}
Tensor hardswish_impl(const Tensor& self) {
  return record_activation(
      "HardswishBackward0", self, ops::hardswish(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::hardswish_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) { return where(x < -3, 0, where(x <= 3, g * (x / 3 + 0.5), g)); });
}
Tensor threshold_impl(const Tensor& self, Params pr) {
  return record_activation(
      "ThresholdBackward0", self, ops::threshold(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::threshold_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(x <= pr.p[0], 0, g); });
}

// In place: computes out of place under autograd (autograd::inplace), else the kernel writes self.
template <class Compute, class Kernel>
Tensor& activation_inplace(Tensor& self, Compute compute, Kernel kernel) {
  return autograd::inplace(self, false, compute, kernel);
}

Tensor softmax_impl(const Tensor& self, int64_t dim, std::optional<DType> dtype, bool log) {
  Tensor in = dtype ? self.to(*dtype) : self;
  const int64_t d = ops::maybe_wrap_dim(dim, in.dim());
  Tensor out = ops::softmax(in, d, log);
  if (autograd::any_requires_grad({&in}))
    autograd::record_unary(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", in, out, false, true,
                           [d, log](const Tensor& g, const Tensor&, const Tensor& y) -> Tensor {
                             if (!GradMode::is_enabled()) return ops::softmax_backward(g, y, d, log);
                             if (log) return g - y.exp() * g.sum({d}, true);
                             return y * (g - (g * y).sum({d}, true));
                           });
  return out;
}

}  // namespace

Tensor softmax(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("softmax", softmax, self, dim, dtype); }
  return softmax_impl(self, dim, dtype, false);
}
Tensor log_softmax(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("log_softmax", log_softmax, self, dim, dtype); }
  return softmax_impl(self, dim, dtype, true);
}
Tensor softmin(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  return softmax_impl(dtype ? -self.to(*dtype) : -self, dim, std::nullopt, false);
}

Tensor hardtanh(const Tensor& self, double min_val, double max_val) { return hardtanh_impl(self, {{min_val, max_val}}); }
Tensor& hardtanh_(Tensor& self, double min_val, double max_val) {
  Params pr{{min_val, max_val}};
  return activation_inplace(
      self, [pr](const Tensor& s) { return hardtanh_impl(s, pr); }, [pr](Tensor& s) { ops::hardtanh_(s, pr.p); });
}
Tensor relu6(const Tensor& self) { return hardtanh(self, 0, 6); }
Tensor& relu6_(Tensor& self) { return hardtanh_(self, 0, 6); }

Tensor leaky_relu(const Tensor& self, double negative_slope) { return leaky_relu_impl(self, {{negative_slope}}); }
Tensor& leaky_relu_(Tensor& self, double negative_slope) {
  Params pr{{negative_slope}};
  return activation_inplace(
      self, [pr](const Tensor& s) { return leaky_relu_impl(s, pr); }, [pr](Tensor& s) { ops::leaky_relu_(s, pr.p); });
}

Tensor elu(const Tensor& self, double alpha, double scale, double input_scale) {
  return elu_impl(self, {{alpha, scale, input_scale}});
}
Tensor& elu_(Tensor& self, double alpha, double scale, double input_scale) {
  Params pr{{alpha, scale, input_scale}};
  return activation_inplace(
      self, [pr](const Tensor& s) { return elu_impl(s, pr); }, [pr](Tensor& s) { ops::elu_(s, pr.p); });
}
Tensor selu(const Tensor& self) { return elu(self, kSeluAlpha, kSeluScale, 1); }
Tensor& selu_(Tensor& self) { return elu_(self, kSeluAlpha, kSeluScale, 1); }
Tensor celu(const Tensor& self, double alpha) {
  EMBER_CHECK(alpha != 0, "ZeroDivisionError: alpha cannot be 0 for CELU");
  return elu(self, alpha, 1, 1 / alpha);
}
Tensor& celu_(Tensor& self, double alpha) {
  EMBER_CHECK(alpha != 0, "ZeroDivisionError: alpha cannot be 0 for CELU");
  return elu_(self, alpha, 1, 1 / alpha);
}

Tensor gelu(const Tensor& self, std::string_view approximate) { return gelu_impl(self, gelu_params(approximate)); }
Tensor& gelu_(Tensor& self, std::string_view approximate) {
  Params pr = gelu_params(approximate);
  return activation_inplace(
      self, [pr](const Tensor& s) { return gelu_impl(s, pr); }, [pr](Tensor& s) { ops::gelu_(s, pr.p); });
}
Tensor silu(const Tensor& self) { return silu_impl(self); }
Tensor& silu_(Tensor& self) {
  return activation_inplace(self, [](const Tensor& s) { return silu_impl(s); }, [](Tensor& s) { ops::silu_(s, nullptr); });
}
Tensor mish(const Tensor& self) { return mish_impl(self); }
Tensor& mish_(Tensor& self) {
  return activation_inplace(self, [](const Tensor& s) { return mish_impl(s); }, [](Tensor& s) { ops::mish_(s, nullptr); });
}
Tensor hardsigmoid(const Tensor& self) { return hardsigmoid_impl(self); }
Tensor& hardsigmoid_(Tensor& self) {
  return activation_inplace(
      self, [](const Tensor& s) { return hardsigmoid_impl(s); }, [](Tensor& s) { ops::hardsigmoid_(s, nullptr); });
}
Tensor hardswish(const Tensor& self) { return hardswish_impl(self); }
Tensor& hardswish_(Tensor& self) {
  return activation_inplace(
      self, [](const Tensor& s) { return hardswish_impl(s); }, [](Tensor& s) { ops::hardswish_(s, nullptr); });
}
Tensor threshold(const Tensor& self, double threshold, double value) { return threshold_impl(self, {{threshold, value}}); }
Tensor& threshold_(Tensor& self, double threshold, double value) {
  Params pr{{threshold, value}};
  return activation_inplace(
      self, [pr](const Tensor& s) { return threshold_impl(s, pr); }, [pr](Tensor& s) { ops::threshold_(s, pr.p); });
}

Tensor softplus(const Tensor& self, double beta, double threshold) {
  EMBER_AUTOCAST("softplus", softplus, self, beta, threshold);
  Params pr{{beta, threshold}};
  return record_activation(
      "SoftplusBackward0", self, ops::softplus(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::softplus_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(x * pr.p[0] > pr.p[1], g, g * (x * pr.p[0]).sigmoid()); });
}
Tensor softsign(const Tensor& self) {
  return record_activation(
      "SoftsignBackward0", self, ops::softsign(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::softsign_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) { return g / (x.abs() + 1).square(); });
}
Tensor tanhshrink(const Tensor& self) {
  return record_activation(
      "TanhshrinkBackward0", self, ops::tanhshrink(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::tanhshrink_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) { return g * x.tanh().square(); });
}
Tensor softshrink(const Tensor& self, double lambd) {
  EMBER_CHECK(lambd >= 0, "lambda must be greater or equal to 0, but found to be ", lambd, ".");
  Params pr{{lambd}};
  return record_activation(
      "SoftshrinkBackward0", self, ops::softshrink(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::softshrink_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(in_range(x, -pr.p[0], pr.p[0]), 0, g); });
}
Tensor hardshrink(const Tensor& self, double lambd) {
  Params pr{{lambd}};
  return record_activation(
      "HardshrinkBackward0", self, ops::hardshrink(self, pr.p),
      [pr](const Tensor& g, const Tensor& x) { return ops::hardshrink_backward(g, x, pr.p); },
      [pr](const Tensor& g, const Tensor& x) { return where(in_range(x, -pr.p[0], pr.p[0]), 0, g); });
}
Tensor log_sigmoid(const Tensor& self) {
  return record_activation(
      "LogSigmoidBackward0", self, ops::log_sigmoid(self, nullptr),
      [](const Tensor& g, const Tensor& x) { return ops::log_sigmoid_backward(g, x, nullptr); },
      [](const Tensor& g, const Tensor& x) { return g * (-x).sigmoid(); });
}

Tensor prelu(const Tensor& self, const Tensor& weight) {
  EMBER_AUTOCAST("prelu", prelu, self, weight);
  const int64_t nw = weight.numel();
  if (nw != 1) {
    EMBER_CHECK(self.dim() > 0, "Not allow zero-dim input tensor.");
    const int64_t channels = self.dim() >= 2 ? self.size(1) : 1;
    EMBER_CHECK(channels == nw, "Mismatch of parameter numbers and input channel size. Found parameter numbers = ",
                nw, " and channel size = ", channels, ".");
  }
  EMBER_CHECK(weight.dim() <= 1, "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = ",
              weight.dim());
  Tensor w = weight;
  if (nw != 1 && self.dim() >= 2) {
    std::vector<int64_t> shape(size_t(self.dim()), 1);
    shape[1] = nw;
    w = weight.reshape(shape);
  } else {
    w = weight.reshape({});
  }
  return where(self > 0, self, w * self);
}

Tensor rrelu(const Tensor& self, double lower, double upper, bool training, std::optional<Generator> generator) {
  EMBER_CHECK(lower <= upper, "Lower bound should be less than or equal to the upper bound");
  if (!training) return leaky_relu(self, (lower + upper) / 2);
  Tensor noise = empty_like(self);
  {
    NoGradGuard no_grad;
    noise.uniform_(lower, upper, generator);
    noise = where(self.detach() > 0, 1, noise);
  }
  return self * noise;
}
Tensor& rrelu_(Tensor& self, double lower, double upper, bool training, std::optional<Generator> generator) {
  return autograd::inplace_via(self, false, [&](const Tensor& s) { return rrelu(s, lower, upper, training, generator); });
}

Tensor glu(const Tensor& self, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "glu does not support scalars because halving size must be even");
  const int64_t d = ops::maybe_wrap_dim(dim, self.dim());
  const int64_t n = self.size(d);
  EMBER_CHECK(n % 2 == 0, "Halving dimension must be even, but dimension ", d, " is size ", n);
  return self.narrow(d, 0, n / 2) * self.narrow(d, n / 2, n / 2).sigmoid();
}

}  // namespace ember
