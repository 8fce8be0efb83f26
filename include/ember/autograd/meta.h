#pragma once
// AutogradMeta: the autograd state of a tensor. Only tensors that require grad (or were produced by a
// recorded op) carry one.
#include <memory>
#include <vector>

#include <ember/autograd/node.h>

namespace ember {

struct AutogradMeta {
  Tensor grad;
  std::shared_ptr<autograd::Node> grad_fn;
  std::weak_ptr<autograd::Node> grad_accumulator;
  // Tensor::register_hook on a leaf (a non-leaf's hooks live on its grad_fn).
  std::vector<autograd::Node::PreHook> hooks;
  uint32_t output_nr = 0;
  bool requires_grad = false;
  bool retains_grad = false;
  // Set on a view of a tensor that requires grad: in-place writes through such a view are rejected
  // rather than silently giving the base a wrong gradient.
  bool is_differentiable_view = false;
};

}  // namespace ember
