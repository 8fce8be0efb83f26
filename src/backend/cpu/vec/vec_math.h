#pragma once
// SLEEF's vectorised exp, log, sin ... (1.0 ulp, the "u10" variants; erfc 1.5), called directly on whole
// registers of the instruction set this file is compiled for. They are what PyTorch's CPU kernels call
// (Debian's python3-torch links the same libsleef), so a float32/float64 row of these ops gives
// PyTorch's bits, not merely values within an ulp of them; each SLEEF function returns the same bits
// for AVX2 and AVX-512 registers. std::exp and friends do not vectorise on their own, so the float32 and
// float64 rows of these ops go through Mvec<F>::apply instead.
#include <immintrin.h>
#include <sleef.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#if defined(EMBER_CPU_AVX512)
using vfloat = __m512;
using vdouble = __m512d;
#define EMBER_SLEEF_F(fn, ulp) Sleef_##fn##f16_##ulp##avx512f
#define EMBER_SLEEF_D(fn, ulp) Sleef_##fn##d8_##ulp##avx512f
#else
using vfloat = __m256;
using vdouble = __m256d;
#define EMBER_SLEEF_F(fn, ulp) Sleef_##fn##f8_##ulp##avx2
#define EMBER_SLEEF_D(fn, ulp) Sleef_##fn##d4_##ulp##avx2
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

#define EMBER_MVEC(Functor, fn, ulp)                                            \
  template <>                                                                   \
  struct Mvec<Functor> {                                                        \
    static constexpr bool available = true;                                     \
    static vfloat apply(vfloat x) { return EMBER_SLEEF_F(fn, ulp)(x); }         \
    static vdouble apply(vdouble x) { return EMBER_SLEEF_D(fn, ulp)(x); }       \
  };
// exp2 is not here: PyTorch computes it with std::exp2, whose bits SLEEF's exp2 does not reproduce.
EMBER_MVEC(Exp, exp, u10)
EMBER_MVEC(Expm1, expm1, u10)
EMBER_MVEC(Log, log, u10)
EMBER_MVEC(Log2, log2, u10)
EMBER_MVEC(Log10, log10, u10)
EMBER_MVEC(Log1p, log1p, u10)
EMBER_MVEC(Sin, sin, u10)
EMBER_MVEC(Cos, cos, u10)
EMBER_MVEC(Tan, tan, u10)
EMBER_MVEC(Asin, asin, u10)
EMBER_MVEC(Acos, acos, u10)
EMBER_MVEC(Atan, atan, u10)
EMBER_MVEC(Sinh, sinh, u10)
EMBER_MVEC(Cosh, cosh, u10)
EMBER_MVEC(Tanh, tanh, u10)
EMBER_MVEC(Erf, erf, u10)
EMBER_MVEC(Erfc, erfc, u15)
#undef EMBER_MVEC
#undef EMBER_SLEEF_F
#undef EMBER_SLEEF_D

// PyTorch computes sinh, cosh and sigmoid with cpu_kernel_vec instead of its vml loops: SLEEF on each whole
// pair of AVX2 registers (64 bytes) of a contiguous row, the scalar std:: formula on what is left and on
// strided rows. whole_blocks_only asks the kernels to split rows the same way, for the same bits.
template <class F>
constexpr bool whole_blocks_only = false;
template <>
constexpr bool whole_blocks_only<Sinh> = true;
template <>
constexpr bool whole_blocks_only<Cosh> = true;
template <>
constexpr bool whole_blocks_only<Sigmoid> = true;
constexpr int64_t kWholeBlockBytes = 64;

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

// The same over a strided row (byte strides), through a register-aligned buffer of a few kilobytes, so
// that a view gives the same bits as a contiguous tensor (PyTorch's vml loops copy the same way).
template <class F, class T>
void mvec_strided_row(const char* in, int64_t in_stride, char* out, int64_t out_stride, int64_t n) {
  constexpr int64_t kChunk = 1024;
  alignas(64) T buf[kChunk];
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t m = std::min(kChunk, n - start);
    for (int64_t i = 0; i < m; ++i) std::memcpy(&buf[i], in + (start + i) * in_stride, sizeof(T));
    mvec_row<F>(buf, buf, m);
    for (int64_t i = 0; i < m; ++i) std::memcpy(out + (start + i) * out_stride, &buf[i], sizeof(T));
  }
}

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
