// Generic CPU loops for the ternary pointwise ops (where, lerp, addcmul, addcdiv, clamp) and the unary
// ops whose functor takes parameters (round with decimals, logit, nan_to_num).
#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cpu/vec/not_implemented.h"
#include "dispatch/pointwise_kernel_types.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

template <class F>
void unary_param_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(1));
    } else {
      using C = compute_t<T>;
      const F f(params);
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        if (st[0] == sizeof(T) && st[1] == sizeof(T)) {
          T* out = reinterpret_cast<T*>(data[0]);
          const T* in = reinterpret_cast<const T*>(data[1]);
          for (int64_t i = 0; i < n; ++i) out[i] = T(f(C(in[i])));
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(data[0] + i * st[0]) = T(f(C(*reinterpret_cast<const T*>(data[1] + i * st[1]))));
        }
      });
    }
  });
}

template <class F, class T, class = void>
struct first_operand {
  using type = T;
};
template <class F, class T>
struct first_operand<F, T, std::void_t<typename F::first_operand>> {
  using type = typename F::first_operand;
};

template <class F>
void ternary_kernel(const dispatch::TensorIterator& it, const char* name, const Scalar& value) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(0));
    } else {
      using C = compute_t<T>;
      using A = typename first_operand<F, T>::type;
      using CA = std::conditional_t<std::is_same_v<A, T>, C, A>;
      const C v = value.to<C>();
      const F f;
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        if (st[0] == sizeof(T) && st[1] == sizeof(A) && st[2] == sizeof(T) && st[3] == sizeof(T)) {
          T* out = reinterpret_cast<T*>(data[0]);
          const A* a = reinterpret_cast<const A*>(data[1]);
          const T* b = reinterpret_cast<const T*>(data[2]);
          const T* c = reinterpret_cast<const T*>(data[3]);
          for (int64_t i = 0; i < n; ++i) out[i] = T(f(CA(a[i]), C(b[i]), C(c[i]), v));
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(data[0] + i * st[0]) = T(f(CA(*reinterpret_cast<const A*>(data[1] + i * st[1])),
                                                             C(*reinterpret_cast<const T*>(data[2] + i * st[2])),
                                                             C(*reinterpret_cast<const T*>(data[3] + i * st[3])), v));
        }
      });
    }
  });
}

}  // namespace

#define EMBER_UNARY_PARAM_OP(name, F, R) EMBER_REGISTER_CPU_KERNEL(#name, &unary_param_kernel<F>);
#define EMBER_TERNARY_OP(name, F) EMBER_REGISTER_CPU_KERNEL(#name, &ternary_kernel<F>);
#include <ember/ops/pointwise.def>

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
