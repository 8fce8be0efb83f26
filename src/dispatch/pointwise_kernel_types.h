#pragma once
// Kernel signatures of the pointwise family beyond the basic ones in kernel_types.h.
#include "dispatch/kernel_types.h"

namespace ember::dispatch {

// A unary kernel whose functor is built from up to three doubles (round's decimals, logit's eps,
// nan_to_num's replacements).
using UnaryParamKernel = void(const TensorIterator& it, const char* name, const double* params);
// out = f(in1, in2, in3, value): the inputs share the output dtype, except where's bool condition (in1).
using TernaryKernel = void(const TensorIterator& it, const char* name, const Scalar& value);

}  // namespace ember::dispatch
