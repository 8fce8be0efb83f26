// Generic CPU loops for the unary and binary pointwise ops, instantiated for every functor of
// ember/ops/pointwise.def and every dtype the functor accepts. Contiguous rows take a plain indexed
// loop the compiler vectorises (or SLEEF, for the transcendental float ops, whose strided rows go
// through a buffer so that they give the same bits); other rows step by byte strides. Ternary and
// parameterised unary loops are in pointwise_ternary_kernels.cpp.
#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cpu/vec/vec_math.h"
#include "backend/cpu/vec/not_implemented.h"
#include "dispatch/kernel_types.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

template <class F>
void unary_kernel(const dispatch::TensorIterator& it, const char* name) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(1));
    } else {
      using C = compute_t<T>;
      using O = std::conditional_t<returns_bool<F>::value, bool, T>;
      F f;
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        O* out = reinterpret_cast<O*>(data[0]);
        const T* in = reinterpret_cast<const T*>(data[1]);
        constexpr bool vec_math = Mvec<F>::available && (std::is_same_v<T, float> || std::is_same_v<T, double>);
        if (st[0] == sizeof(O) && st[1] == sizeof(T)) {
          int64_t i = 0;
          if constexpr (vec_math) {
            i = whole_blocks_only<F> ? n - n % (kWholeBlockBytes / int64_t(sizeof(T))) : n;
            mvec_row<F>(in, out, i);
          }
          for (; i < n; ++i) out[i] = O(f(C(in[i])));
        } else if constexpr (vec_math && !whole_blocks_only<F>) {
          mvec_strided_row<F, T>(data[1], st[1], data[0], st[0], n);
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<O*>(data[0] + i * st[0]) = O(f(C(*reinterpret_cast<const T*>(data[1] + i * st[1]))));
        }
      });
    }
  });
}

// out[i] = op(a[i], b[i]); the contiguous and scalar-operand cases are separate loops so each vectorises.
template <class T, class O, class Op>
void binary_row(char** data, const int64_t* st, int64_t n, const Op& op) {
  O* out = reinterpret_cast<O*>(data[0]);
  const T* a = reinterpret_cast<const T*>(data[1]);
  const T* b = reinterpret_cast<const T*>(data[2]);
  constexpr int64_t es = sizeof(T), os = sizeof(O);
  if (st[0] == os && st[1] == es && st[2] == es) {
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], b[i]);
  } else if (st[0] == os && st[1] == es && st[2] == 0) {
    const T bv = *b;
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], bv);
  } else if (st[0] == os && st[1] == 0 && st[2] == es) {
    const T av = *a;
    for (int64_t i = 0; i < n; ++i) out[i] = op(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i)
      *reinterpret_cast<O*>(data[0] + i * st[0]) =
          op(*reinterpret_cast<const T*>(data[1] + i * st[1]), *reinterpret_cast<const T*>(data[2] + i * st[2]));
  }
}

template <class F>
void binary_kernel(const dispatch::TensorIterator& it, const char* name) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(1));
    } else {
      using C = compute_t<T>;
      using O = std::conditional_t<returns_bool<F>::value, bool, T>;
      F f;
      auto op = [f](T a, T b) { return O(f(C(a), C(b))); };
      it.for_each([&](char** data, const int64_t* st, int64_t n) { binary_row<T, O>(data, st, n, op); });
    }
  });
}

void add_kernel(const dispatch::TensorIterator& it, const Scalar& alpha) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    if constexpr (std::is_same_v<T, bool>) {
      bool al = alpha.toBool();
      auto op = [al](bool a, bool b) { return a || (al && b); };
      it.for_each([&](char** data, const int64_t* st, int64_t n) { binary_row<T, T>(data, st, n, op); });
    } else {
      const C al = alpha.to<C>();
      if (al == C(1)) {
        auto op = [](T a, T b) { return T(C(a) + C(b)); };
        it.for_each([&](char** data, const int64_t* st, int64_t n) { binary_row<T, T>(data, st, n, op); });
      } else {
        auto op = [al](T a, T b) { return T(C(a) + al * C(b)); };
        it.for_each([&](char** data, const int64_t* st, int64_t n) { binary_row<T, T>(data, st, n, op); });
      }
    }
  });
}

void copy_kernel(const dispatch::TensorIterator& it) {
  visit_dtype(it.dtype(0), [&](auto otag) {
    using O = typename decltype(otag)::type;
    visit_dtype(it.dtype(1), [&](auto itag) {
      using I = typename decltype(itag)::type;
      auto conv = [](I v) -> O {
        if constexpr (std::is_same_v<O, bool>) return bool(compute_t<I>(v) != compute_t<I>(0));
        else if constexpr (std::is_same_v<O, Half> || std::is_same_v<O, BFloat16>) return O(float(compute_t<I>(v)));
        else return O(compute_t<I>(v));
      };
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        if (st[0] == sizeof(O) && st[1] == sizeof(I)) {
          O* out = reinterpret_cast<O*>(data[0]);
          const I* in = reinterpret_cast<const I*>(data[1]);
          for (int64_t i = 0; i < n; ++i) out[i] = conv(in[i]);
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<O*>(data[0] + i * st[0]) = conv(*reinterpret_cast<const I*>(data[1] + i * st[1]));
        }
      });
    });
  });
}

void fill_kernel(const dispatch::TensorIterator& it, const Scalar& value) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T v = std::is_same_v<T, bool> ? T(value.toBool()) : T(value.to<compute_t<T>>());
    it.for_each([&](char** data, const int64_t* st, int64_t n) {
      if (st[0] == sizeof(T)) {
        T* out = reinterpret_cast<T*>(data[0]);
        for (int64_t i = 0; i < n; ++i) out[i] = v;
      } else {
        for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(data[0] + i * st[0]) = v;
      }
    });
  });
}

}  // namespace

#define EMBER_UNARY_OP(name, F, R) EMBER_REGISTER_CPU_KERNEL(#name, &unary_kernel<F>);
#define EMBER_BINARY_OP(name, F, R) EMBER_REGISTER_CPU_KERNEL(#name, &binary_kernel<F>);
#define EMBER_BINARY_KERNEL(name, F, R) EMBER_REGISTER_CPU_KERNEL(#name, &binary_kernel<F>);
#include <ember/ops/pointwise.def>
EMBER_REGISTER_CPU_KERNEL("add", &add_kernel);
EMBER_REGISTER_CPU_KERNEL("copy", &copy_kernel);
EMBER_REGISTER_CPU_KERNEL("fill", &fill_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
