// `mask ? x : 0` for the reduction derivatives: unlike x * mask it leaves no NaN where x is infinite.
#include "backend/common/visit_dtype.h"
#include "dispatch/registry.h"
#include "dispatch/kernel_types.h"

namespace ember::kernels {
namespace {

// Operands: 0 the output, 1 x (the output's dtype), 2 the bool mask.
void keep_where_kernel(const dispatch::TensorIterator& it, const char*) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    it.for_each([](char** data, const int64_t* strides, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        bool keep = *reinterpret_cast<const bool*>(data[2] + i * strides[2]);
        *reinterpret_cast<T*>(data[0] + i * strides[0]) =
            keep ? *reinterpret_cast<const T*>(data[1] + i * strides[1]) : T(0);
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("reduce_keep_where", ::ember::kCPU, &keep_where_kernel);

}  // namespace ember::kernels
