// Activation modules.
#include <cmath>

#include <ember/nn/functional/activation.h>
#include <ember/nn/init.h>
#include <ember/nn/modules/activation.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>

namespace ember::nn {

namespace {

// PyTorch's _get_softmax_dim for dim=None.
int64_t softmax_dim(std::optional<int64_t> dim, const Tensor& input) {
  if (dim) return *dim;
  const int64_t nd = input.dim();
  return (nd == 0 || nd == 1 || nd == 3) ? 0 : 1;
}

// Python's str of a number given as an int default: 1 rather than 1.0.
std::string int_or_float(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? std::to_string(int64_t(v)) : py_repr(v);
}

}  // namespace

Tensor ReLU::forward(const Tensor& input) {
  if (!inplace) return relu(input);
  Tensor self = input;
  return self.relu_();
}
Tensor Sigmoid::forward(const Tensor& input) { return sigmoid(input); }
Tensor Tanh::forward(const Tensor& input) { return tanh(input); }

#define EMBER_ACT_FORWARD(Name, call)                                                                      \
  Tensor Name::forward(const Tensor& input) { return call; }
EMBER_ACT_FORWARD(ReLU6, functional::relu6(input, inplace))
EMBER_ACT_FORWARD(SELU, functional::selu(input, inplace))
EMBER_ACT_FORWARD(SiLU, functional::silu(input, inplace))
EMBER_ACT_FORWARD(Mish, functional::mish(input, inplace))
EMBER_ACT_FORWARD(Softsign, functional::softsign(input))
EMBER_ACT_FORWARD(LogSigmoid, functional::logsigmoid(input))
EMBER_ACT_FORWARD(Tanhshrink, functional::tanhshrink(input))
EMBER_ACT_FORWARD(Hardsigmoid, functional::hardsigmoid(input, inplace))
EMBER_ACT_FORWARD(Hardswish, functional::hardswish(input, inplace))
EMBER_ACT_FORWARD(LeakyReLU, functional::leaky_relu(input, negative_slope, inplace))
EMBER_ACT_FORWARD(PReLU, functional::prelu(input, weight))
EMBER_ACT_FORWARD(ELU, functional::elu(input, alpha, inplace))
EMBER_ACT_FORWARD(CELU, functional::celu(input, alpha, inplace))
EMBER_ACT_FORWARD(GELU, functional::gelu(input, approximate))
EMBER_ACT_FORWARD(Hardtanh, functional::hardtanh(input, min_val, max_val, inplace))
EMBER_ACT_FORWARD(Softplus, functional::softplus(input, beta, threshold))
EMBER_ACT_FORWARD(Softshrink, functional::softshrink(input, lambd))
EMBER_ACT_FORWARD(Hardshrink, functional::hardshrink(input, lambd))
EMBER_ACT_FORWARD(Threshold, functional::threshold(input, threshold, value, inplace))
EMBER_ACT_FORWARD(GLU, functional::glu(input, dim))
EMBER_ACT_FORWARD(Softmax, functional::softmax(input, softmax_dim(dim, input)))
EMBER_ACT_FORWARD(LogSoftmax, functional::log_softmax(input, softmax_dim(dim, input)))
EMBER_ACT_FORWARD(Softmin, functional::softmin(input, softmax_dim(dim, input)))
#undef EMBER_ACT_FORWARD

std::string LeakyReLU::extra_repr() const {
  return "negative_slope=" + py_repr(negative_slope) + (inplace ? ", inplace=True" : "");
}

PReLU::PReLU(int64_t num_parameters, double init, const TensorOptions& options)
    : num_parameters(num_parameters), init(init), weight(register_parameter("weight", empty({num_parameters}, options))) {
  reset_parameters();
}
void PReLU::reset_parameters() { init::constant_(weight, init); }
std::string PReLU::extra_repr() const { return "num_parameters=" + std::to_string(num_parameters); }

std::string ELU::extra_repr() const { return "alpha=" + py_repr(alpha) + (inplace ? ", inplace=True" : ""); }
std::string CELU::extra_repr() const { return "alpha=" + py_repr(alpha) + (inplace ? ", inplace=True" : ""); }

Hardtanh::Hardtanh(double min_val, double max_val, bool inplace) : min_val(min_val), max_val(max_val), inplace(inplace) {
  EMBER_CHECK(max_val > min_val, "max_val must be larger than min_val");
}
std::string Hardtanh::extra_repr() const {
  return "min_val=" + py_repr(min_val) + ", max_val=" + py_repr(max_val) + (inplace ? ", inplace=True" : "");
}

std::string Softplus::extra_repr() const { return "beta=" + int_or_float(beta) + ", threshold=" + int_or_float(threshold); }

std::string Threshold::extra_repr() const {
  return "threshold=" + py_repr(threshold) + ", value=" + py_repr(value) + (inplace ? ", inplace=True" : "");
}

}  // namespace ember::nn
