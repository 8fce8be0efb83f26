// Flatten and Unflatten.
#include <ember/nn/modules/flatten.h>
#include <ember/ops/shape.h>

namespace ember::nn {

Tensor Flatten::forward(const Tensor& input) { return input.flatten(start_dim, end_dim); }
std::string Flatten::extra_repr() const {
  return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
}

Tensor Unflatten::forward(const Tensor& input) { return input.unflatten(dim, unflattened_size); }
std::string Unflatten::extra_repr() const {
  return "dim=" + std::to_string(dim) + ", unflattened_size=" + py_repr(unflattened_size);
}

}  // namespace ember::nn
