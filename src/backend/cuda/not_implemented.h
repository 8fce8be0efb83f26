#pragma once
// PyTorch's error for a CUDA kernel that has no instantiation for a dtype: the CPU backend's message
// with "_cuda" for "_cpu".
#include <ember/core/dtype.h>
#include <ember/core/error.h>

namespace ember::cuda {

[[noreturn]] inline void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "_cuda\" not implemented for '", dtype_title(t), "'"));
}

}  // namespace ember::cuda
