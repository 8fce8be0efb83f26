#pragma once
// PyTorch's error for a CUDA kernel that has no instantiation for a dtype: the CPU backend's message
// with "_cuda" for "_cpu".
#include <ember/core/dtype.h>
#include <ember/core/error.h>

namespace ember::cuda {

[[noreturn]] inline void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "_cuda\" not implemented for '", dtype_title(t), "'"));
}

// f(float{}) or f(double{}) for the kernels that exist in those two dtypes only; the error above for
// any other.
template <class F>
void float_or_double(DType t, const char* name, const F& f) {
  if (t == kFloat32) f(float{});
  else if (t == kFloat64) f(double{});
  else not_implemented(name, t);
}

}  // namespace ember::cuda
