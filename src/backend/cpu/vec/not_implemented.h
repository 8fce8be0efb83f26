#pragma once
// PyTorch's error for a kernel that has no instantiation for a dtype.
#include <ember/core/dtype.h>
#include <ember/core/error.h>

#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

[[noreturn]] inline void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "_cpu\" not implemented for '", dtype_title(t), "'"));
}

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
