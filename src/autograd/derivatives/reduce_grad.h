#pragma once
// Shared pieces of the reduction derivatives (src/autograd/derivatives/reduce*.cpp).
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>

#include "autograd/record.h"
#include "ops/reduce.h"

namespace ember::reduce_grad {

using autograd::record;
using autograd::SavedVariable;

// The gradient of a reduction over `mask`, reshaped to keepdim form and expanded to the input's sizes.
inline Tensor restore(const Tensor& grad, IntArrayRef in_sizes, const DimVector& keep_shape) {
  return grad.reshape(keep_shape).expand(in_sizes);
}

// `mask ? self : 0`, differentiable in `self` (its backward is itself), so double backward works.
Tensor keep_where(const Tensor& self, const Tensor& mask);
// sign(x) as a constant (no gradient), as PyTorch's sgn has zero derivative.
Tensor sign_of(const Tensor& x);
// |x| from public ops, with derivative sign(x) (0 at 0, as PyTorch's abs).
Tensor abs_of(const Tensor& x);
// a^q for a >= 0, differentiable.
Tensor pow_of(const Tensor& a, double q);
// Along `dim`, the product of the elements before x_i (1 for the first), from public ops.
Tensor exclusive_cumprod(const Tensor& x, int64_t dim);
// Along `dim`, the product of every element of x's line but x_i itself, written with public ops
// (exclusive prefix times exclusive suffix products), so it is differentiable again when x has zeros.
Tensor prod_of_others_graph(const Tensor& x, int64_t dim);

}  // namespace ember::reduce_grad
