#pragma once
// visit_dtype(dtype, f): calls f(type_tag<T>{}) with the C++ type of `dtype`, so one generic lambda
// instantiates a kernel for every dtype.
#include <ember/core/dtype.h>
#include <ember/core/error.h>

namespace ember::kernels {

template <class T>
struct type_tag {
  using type = T;
};

template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
#define EMBER_VISIT_CASE(T, N, S) \
  case DType::N:                  \
    return f(type_tag<T>{});
    EMBER_FORALL_DTYPES(EMBER_VISIT_CASE)
#undef EMBER_VISIT_CASE
    default:
      throw Error("visit_dtype: undefined dtype");
  }
}

}  // namespace ember::kernels
