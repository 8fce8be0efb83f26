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
  // Set on a view of a tensor that requires grad.
  bool is_differentiable_view = false;
  // For a differentiable view: the tensor (itself not a view) whose storage it views. An in-place op on
  // the view rewrites the base's history through a CopySlices node, so the base's gradient stays right.
  Tensor view_base;
  // The storage version when the view's grad_fn was last made: an in-place write to the base or to another
  // view since then makes the view's history stale, and it is remade from the base's (as PyTorch does).
  uint32_t view_version = 0;
  // Views made by an op with several outputs (split, unbind) may not be modified in place, as in PyTorch.
  bool view_of_multi_output = false;
};

}  // namespace ember
