// Activation modules.
#include <ember/nn/modules/activation.h>
#include <ember/ops/pointwise.h>

namespace ember::nn {

Tensor ReLU::forward(const Tensor& input) {
  if (!inplace) return relu(input);
  Tensor self = input;
  return self.relu_();
}
Tensor Sigmoid::forward(const Tensor& input) { return sigmoid(input); }
Tensor Tanh::forward(const Tensor& input) { return tanh(input); }

}  // namespace ember::nn
