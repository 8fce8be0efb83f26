#pragma once
// torch.nn.functional's activations and softmax family: the ops of ember/ops/activation.h under F.'s
// names and signatures (`inplace` flags, logsigmoid).
#include <ember/ops/activation.h>
#include <ember/ops/pointwise.h>

namespace ember::nn::functional {

using ember::glu;
using ember::hardshrink;
using ember::prelu;
using ember::softplus;
using ember::softshrink;
using ember::softsign;
using ember::tanhshrink;

inline Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt) {
  return ember::softmax(input, dim, dtype);
}
inline Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt) {
  return ember::log_softmax(input, dim, dtype);
}
inline Tensor softmin(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt) {
  return ember::softmin(input, dim, dtype);
}
inline Tensor sigmoid(const Tensor& input) { return ember::sigmoid(input); }
inline Tensor tanh(const Tensor& input) { return ember::tanh(input); }
inline Tensor logsigmoid(const Tensor& input) { return ember::log_sigmoid(input); }

// In-place forms write `input` (a handle to the same storage) and return it.
#define EMBER_F_INPLACE(call, inplace_call) \
  if (inplace) {                            \
    Tensor t = input;                       \
    inplace_call;                           \
    return t;                               \
  }                                         \
  return call;

inline Tensor relu(const Tensor& input, bool inplace = false) { EMBER_F_INPLACE(ember::relu(input), t.relu_()) }
inline Tensor relu_(Tensor& input) { return input.relu_(); }
inline Tensor relu6(const Tensor& input, bool inplace = false) {
  EMBER_F_INPLACE(ember::relu6(input), ember::relu6_(t))
}
inline Tensor elu(const Tensor& input, double alpha = 1.0, bool inplace = false) {
  EMBER_F_INPLACE(ember::elu(input, alpha), ember::elu_(t, alpha))
}
inline Tensor elu_(Tensor& input, double alpha = 1.0) { return ember::elu_(input, alpha); }
inline Tensor selu(const Tensor& input, bool inplace = false) { EMBER_F_INPLACE(ember::selu(input), ember::selu_(t)) }
inline Tensor selu_(Tensor& input) { return ember::selu_(input); }
inline Tensor celu(const Tensor& input, double alpha = 1.0, bool inplace = false) {
  EMBER_F_INPLACE(ember::celu(input, alpha), ember::celu_(t, alpha))
}
inline Tensor celu_(Tensor& input, double alpha = 1.0) { return ember::celu_(input, alpha); }
inline Tensor leaky_relu(const Tensor& input, double negative_slope = 0.01, bool inplace = false) {
  EMBER_F_INPLACE(ember::leaky_relu(input, negative_slope), ember::leaky_relu_(t, negative_slope))
}
inline Tensor leaky_relu_(Tensor& input, double negative_slope = 0.01) {
  return ember::leaky_relu_(input, negative_slope);
}
inline Tensor rrelu(const Tensor& input, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false,
                    bool inplace = false) {
  EMBER_F_INPLACE(ember::rrelu(input, lower, upper, training), ember::rrelu_(t, lower, upper, training))
}
inline Tensor rrelu_(Tensor& input, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false) {
  return ember::rrelu_(input, lower, upper, training);
}
inline Tensor gelu(const Tensor& input, std::string_view approximate = "none") {
  return ember::gelu(input, approximate);
}
inline Tensor silu(const Tensor& input, bool inplace = false) { EMBER_F_INPLACE(ember::silu(input), ember::silu_(t)) }
inline Tensor mish(const Tensor& input, bool inplace = false) { EMBER_F_INPLACE(ember::mish(input), ember::mish_(t)) }
inline Tensor hardtanh(const Tensor& input, double min_val = -1.0, double max_val = 1.0, bool inplace = false) {
  EMBER_F_INPLACE(ember::hardtanh(input, min_val, max_val), ember::hardtanh_(t, min_val, max_val))
}
inline Tensor hardtanh_(Tensor& input, double min_val = -1.0, double max_val = 1.0) {
  return ember::hardtanh_(input, min_val, max_val);
}
inline Tensor hardsigmoid(const Tensor& input, bool inplace = false) {
  EMBER_F_INPLACE(ember::hardsigmoid(input), ember::hardsigmoid_(t))
}
inline Tensor hardswish(const Tensor& input, bool inplace = false) {
  EMBER_F_INPLACE(ember::hardswish(input), ember::hardswish_(t))
}
inline Tensor threshold(const Tensor& input, double threshold, double value, bool inplace = false) {
  EMBER_F_INPLACE(ember::threshold(input, threshold, value), ember::threshold_(t, threshold, value))
}
inline Tensor threshold_(Tensor& input, double threshold, double value) {
  return ember::threshold_(input, threshold, value);
}
#undef EMBER_F_INPLACE

}  // namespace ember::nn::functional
