#pragma once
// Recording helpers of the shape family. A view's backward scatters the gradient into zeros of the
// base's shape through the same view (view_scatter); the scatter's own backward is the view again,
// so double backward works for every view defined by a function of public ops.
#include <functional>

#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/shape.h>

#include "autograd/record.h"
#include "ops/shape.h"

namespace ember::shape_autograd {

// A view of a tensor that needs no grad: under grad mode it still remembers its base, as PyTorch's views
// do, so an in-place op through it with an operand that requires grad gives the base its history
// (CopySlices).
inline Tensor untracked_view(const Tensor& self, Tensor out) {
  if (GradMode::is_enabled() && !out.is_same(self)) autograd::note_view(out, self, false);
  return out;
}

// Records `out` as a differentiable view of `self` whose gradient is backward(grad).
template <class F>
Tensor record_view(const char* name, const Tensor& self, Tensor out, F backward) {
  if (!autograd::any_requires_grad({&self})) return untracked_view(self, std::move(out));
  autograd::record(name, {&out}, {&self}, [backward](autograd::Node&, const tensor_list& g) -> tensor_list {
    return {backward(g[0])};
  });
  out.unsafeGetTensorImpl()->autograd->is_differentiable_view = true;
  return out;
}

// Applies a view (written with public ops) to a tensor of the base's shape.
using ViewFn = std::function<Tensor(const Tensor&)>;

// zeros(base_sizes) with `grad` written through view(zeros): the gradient of a view that selects
// elements without repeating any.
Tensor view_scatter(const Tensor& grad, IntArrayRef base_sizes, ViewFn view);

// Records several views of `self` made by one op (split, unbind ...) on one node; its backward gets one
// gradient per output (zeros where an output was unused) and returns combine(grads).
void record_multi_view(const char* name, const Tensor& self, std::vector<Tensor>& outs,
                       std::function<Tensor(const tensor_list&)> combine);

// Records `out` as made from a list of inputs (cat); backward(grad) returns one gradient per input.
void record_from_list(const char* name, const Tensor& out, ArrayRef<Tensor> inputs,
                      std::function<tensor_list(const Tensor&)> backward);

}  // namespace ember::shape_autograd
