#pragma once
// The dtype a family's kernels compute in, for inputs of dtype t.
#include <ember/core/dtype.h>

namespace ember::ops {

// float16 and bfloat16 compute in float32; other dtypes as they are (activations, losses, pooling).
inline DType upcast_reduced(DType t) { return is_reduced_float(t) ? kFloat32 : t; }
// float64 in float64, everything else in float32: the only two the convolution and norm kernels have.
inline DType float_or_double_dtype(DType t) { return t == kFloat64 ? kFloat64 : kFloat32; }

}  // namespace ember::ops
