#pragma once
// Activations and the softmax family as free functions, with PyTorch's names, arguments and defaults
// (torch.softmax, torch._C._nn.elu, ...). The pointwise ones run one fused kernel forward and one
// backward; softmax and log_softmax are numerically stable (max-shifted) fused kernels. In-place forms
// end in an underscore. torch.nn.functional's spellings are in ember/nn/functional/activation.h.
#include <optional>
#include <string_view>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember {

// Over `dim`; with `dtype` the input is cast to it first (as PyTorch does, to compute a float16 input's
// softmax in float32, say).
Tensor softmax(const Tensor& self, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& self, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor softmin(const Tensor& self, int64_t dim, std::optional<DType> dtype = std::nullopt);

Tensor relu6(const Tensor& self);
Tensor& relu6_(Tensor& self);
Tensor leaky_relu(const Tensor& self, double negative_slope = 0.01);
Tensor& leaky_relu_(Tensor& self, double negative_slope = 0.01);
// weight: one value, or one per channel (dim 1 of self).
Tensor prelu(const Tensor& self, const Tensor& weight);
// Training: a random slope on [lower, upper] per negative element; evaluation: (lower + upper) / 2.
Tensor rrelu(const Tensor& self, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false,
             std::optional<Generator> generator = std::nullopt);
Tensor& rrelu_(Tensor& self, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false,
               std::optional<Generator> generator = std::nullopt);
Tensor elu(const Tensor& self, double alpha = 1, double scale = 1, double input_scale = 1);
Tensor& elu_(Tensor& self, double alpha = 1, double scale = 1, double input_scale = 1);
Tensor selu(const Tensor& self);
Tensor& selu_(Tensor& self);
Tensor celu(const Tensor& self, double alpha = 1);
Tensor& celu_(Tensor& self, double alpha = 1);
// approximate: "none" (erf) or "tanh".
Tensor gelu(const Tensor& self, std::string_view approximate = "none");
Tensor& gelu_(Tensor& self, std::string_view approximate = "none");
Tensor silu(const Tensor& self);
Tensor& silu_(Tensor& self);
Tensor mish(const Tensor& self);
Tensor& mish_(Tensor& self);
Tensor hardtanh(const Tensor& self, double min_val = -1, double max_val = 1);
Tensor& hardtanh_(Tensor& self, double min_val = -1, double max_val = 1);
Tensor hardsigmoid(const Tensor& self);
Tensor& hardsigmoid_(Tensor& self);
Tensor hardswish(const Tensor& self);
Tensor& hardswish_(Tensor& self);
Tensor softplus(const Tensor& self, double beta = 1, double threshold = 20);
Tensor softsign(const Tensor& self);
Tensor tanhshrink(const Tensor& self);
Tensor softshrink(const Tensor& self, double lambd = 0.5);
Tensor hardshrink(const Tensor& self, double lambd = 0.5);
Tensor log_sigmoid(const Tensor& self);
// The first half of `dim` times the sigmoid of the second half.
Tensor glu(const Tensor& self, int64_t dim = -1);
// self where self > threshold, else value.
Tensor threshold(const Tensor& self, double threshold, double value);
Tensor& threshold_(Tensor& self, double threshold, double value);

}  // namespace ember
