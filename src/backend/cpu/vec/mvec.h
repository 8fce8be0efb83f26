#pragma once
// glibc's libmvec: vectorised exp, log, sin ... (under 4 ulp), called directly on whole registers of
// the instruction set this file is compiled for. std::exp and friends do not vectorise on their own
// (GCC only maps them to libmvec under -ffast-math, which would also drop NaN and inf semantics), so
// the contiguous float32/float64 rows of these ops go through Mvec<F>::apply instead.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#if defined(EMBER_CPU_AVX512)
using vfloat = __m512;
using vdouble = __m512d;
#define EMBER_MVEC_F(fn) _ZGVeN16v_##fn##f
#define EMBER_MVEC_D(fn) _ZGVeN8v_##fn
#else
using vfloat = __m256;
using vdouble = __m256d;
#define EMBER_MVEC_F(fn) _ZGVdN8v_##fn##f
#define EMBER_MVEC_D(fn) _ZGVdN4v_##fn
#endif

template <class T>
struct vec_of;
template <>
struct vec_of<float> {
  using type = vfloat;
};
template <>
struct vec_of<double> {
  using type = vdouble;
};
template <class T>
constexpr int64_t lanes = int64_t(sizeof(typename vec_of<T>::type) / sizeof(T));

template <class F>
struct Mvec {
  static constexpr bool available = false;
};

#define EMBER_MVEC(Functor, fn)                                          \
  extern "C" vfloat EMBER_MVEC_F(fn)(vfloat);                            \
  extern "C" vdouble EMBER_MVEC_D(fn)(vdouble);                          \
  template <>                                                            \
  struct Mvec<Functor> {                                                 \
    static constexpr bool available = true;                              \
    static vfloat apply(vfloat x) { return EMBER_MVEC_F(fn)(x); }        \
    static vdouble apply(vdouble x) { return EMBER_MVEC_D(fn)(x); }      \
  };
EMBER_MVEC(Exp, exp)
EMBER_MVEC(Exp2, exp2)
EMBER_MVEC(Expm1, expm1)
EMBER_MVEC(Log, log)
EMBER_MVEC(Log2, log2)
EMBER_MVEC(Log10, log10)
EMBER_MVEC(Log1p, log1p)
EMBER_MVEC(Sin, sin)
EMBER_MVEC(Cos, cos)
EMBER_MVEC(Tan, tan)
EMBER_MVEC(Asin, asin)
EMBER_MVEC(Acos, acos)
EMBER_MVEC(Atan, atan)
EMBER_MVEC(Sinh, sinh)
EMBER_MVEC(Cosh, cosh)
EMBER_MVEC(Tanh, tanh)
EMBER_MVEC(Erf, erf)
EMBER_MVEC(Erfc, erfc)
#undef EMBER_MVEC

template <>
struct Mvec<Sigmoid> {
  static constexpr bool available = true;
  // GCC's vector extensions give the element-wise arithmetic; a scalar operand is broadcast.
  static vfloat apply(vfloat x) { return 1.0f / (1.0f + Mvec<Exp>::apply(-x)); }
  static vdouble apply(vdouble x) { return 1.0 / (1.0 + Mvec<Exp>::apply(-x)); }
};

// out[i] = F(in[i]) over a contiguous row; the tail goes through a padded register-sized buffer.
template <class F, class T>
void mvec_row(const T* in, T* out, int64_t n) {
  using V = typename vec_of<T>::type;
  constexpr int64_t L = lanes<T>;
  int64_t i = 0;
  V v;
  for (; i + L <= n; i += L) {
    std::memcpy(&v, in + i, sizeof(V));
    v = Mvec<F>::apply(v);
    std::memcpy(out + i, &v, sizeof(V));
  }
  if (i < n) {
    T buf[L] = {};
    std::memcpy(buf, in + i, size_t(n - i) * sizeof(T));
    std::memcpy(&v, buf, sizeof(V));
    v = Mvec<F>::apply(v);
    std::memcpy(buf, &v, sizeof(V));
    std::memcpy(out + i, buf, size_t(n - i) * sizeof(T));
  }
}

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
