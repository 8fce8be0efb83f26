#pragma once
// Public autograd entry points beyond Tensor::backward.
#include <optional>

#include <ember/tensor.h>

namespace ember {

struct Tensor::HookHandle {
  std::weak_ptr<autograd::Node> node;     // where a non-leaf's hook lives
  std::weak_ptr<TensorImpl> leaf;         // where a leaf's hook lives
  int id = -1;
  // Unregisters the hook; safe to call twice or after the graph is gone.
  void remove();
};

template <class F, class>
Tensor::HookHandle Tensor::register_hook(F&& hook) const {
  if constexpr (std::is_void_v<std::invoke_result_t<F&, const Tensor&>>)
    return register_hook(std::function<void(const Tensor&)>(std::forward<F>(hook)));
  else
    return register_hook(std::function<Tensor(const Tensor&)>(std::forward<F>(hook)));
}

namespace autograd {

void backward(const tensor_list& tensors, const tensor_list& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const tensor_list& inputs = {});

tensor_list grad(const tensor_list& outputs, const tensor_list& inputs, const tensor_list& grad_outputs = {},
                 std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                 bool allow_unused = false);

}  // namespace autograd
}  // namespace ember
