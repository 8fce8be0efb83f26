#pragma once
// Forward computations of the pointwise family beyond the basic ones declared in ops.h: the Scalar
// overloads of the table's binary ops, div's rounding kernels, the parameterised unary ops and the
// ternary ops.
#include <optional>

#include "ops/ops.h"

namespace ember::ops {

#define EMBER_BINARY_OP(name, F, R)                     \
  Tensor name(const Tensor& self, const Scalar& other); \
  Tensor& name##_(Tensor& self, const Scalar& other);
#define EMBER_BINARY_KERNEL(name, F, R)                 \
  Tensor name(const Tensor& self, const Tensor& other); \
  Tensor& name##_(Tensor& self, const Tensor& other);
#define EMBER_UNARY_PARAM_OP(name, F, R)                \
  Tensor name(const Tensor& self, const double* params); \
  Tensor& name##_(Tensor& self, const double* params);
#include <ember/ops/pointwise.def>

// PyTorch's result_type over any number of operands (tensors and numbers).
DType result_type(std::initializer_list<const Tensor*> tensors, std::initializer_list<const Scalar*> scalars = {});
// Raises PyTorch's error when an in-place op's result dtype or broadcast shape does not fit `self`.
void check_inplace_result(const Tensor& self, DType result_dtype, IntArrayRef result_shape);
// PyTorch's message for an integer pow with a negative number exponent.
void check_integer_pow(DType result, const Scalar& exponent);

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value);
Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value);
Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight);
Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight);
Tensor addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value);
Tensor addcdiv(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value);
// At least one bound is defined; the result dtype is promoted over self and the defined bounds.
Tensor clamp(const Tensor& self, const Tensor& min, const Tensor& max);
// Number bounds; a NaN bound gives NaN, as a NaN tensor bound does (and PyTorch's vectorised loops).
Tensor clamp(const Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max);

}  // namespace ember::ops
