#pragma once
// Pointwise functors: one struct per op of ember/ops/pointwise.def, compiled into every backend's
// generic loops (host code here; the CUDA backend compiles the same header with nvcc).
// `ok<T>` says which storage types an op accepts; reduced floats (Half, BFloat16) compute in float.
// Unary functors live here, binary and ternary ones in pointwise_functors_binary.h.
#include <cmath>
#include <limits>
#include <type_traits>

#include <ember/core/half.h>

#ifdef __CUDACC__
#define EMBER_HD __host__ __device__
#else
#define EMBER_HD
#endif

// Each backend build (AVX2, AVX-512, CUDA) gets its own copy of these inline functions: without the
// separate inline namespace the linker could merge an AVX-512 instantiation into the AVX2 kernels.
#ifndef EMBER_KERNEL_NS
#define EMBER_KERNEL_NS generic
#endif

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

template <class T>
struct compute_type {
  using type = T;
};
template <>
struct compute_type<Half> {
  using type = float;
};
template <>
struct compute_type<BFloat16> {
  using type = float;
};
template <class T>
using compute_t = typename compute_type<T>::type;

template <class T>
constexpr bool is_float_v = std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
template <class T>
constexpr bool is_number_v = !std::is_same_v<T, bool>;
template <class T>
constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T>
constexpr bool is_int_or_bool_v = std::is_integral_v<T>;

#define EMBER_FLOAT_UNARY(Name, expr)             \
  struct Name {                                   \
    template <class T>                            \
    static constexpr bool ok = is_float_v<T>;     \
    template <class C>                            \
    EMBER_HD C operator()(C x) const {            \
      return expr;                                \
    }                                             \
  };

EMBER_FLOAT_UNARY(Exp, std::exp(x))
EMBER_FLOAT_UNARY(Exp2, std::exp2(x))
EMBER_FLOAT_UNARY(Expm1, std::expm1(x))
EMBER_FLOAT_UNARY(Log, std::log(x))
EMBER_FLOAT_UNARY(Log2, std::log2(x))
EMBER_FLOAT_UNARY(Log10, std::log10(x))
EMBER_FLOAT_UNARY(Log1p, std::log1p(x))
EMBER_FLOAT_UNARY(Sin, std::sin(x))
EMBER_FLOAT_UNARY(Cos, std::cos(x))
EMBER_FLOAT_UNARY(Tan, std::tan(x))
EMBER_FLOAT_UNARY(Asin, std::asin(x))
EMBER_FLOAT_UNARY(Acos, std::acos(x))
EMBER_FLOAT_UNARY(Atan, std::atan(x))
EMBER_FLOAT_UNARY(Sinh, std::sinh(x))
EMBER_FLOAT_UNARY(Cosh, std::cosh(x))
EMBER_FLOAT_UNARY(Tanh, std::tanh(x))
EMBER_FLOAT_UNARY(Erf, std::erf(x))
EMBER_FLOAT_UNARY(Erfc, std::erfc(x))
EMBER_FLOAT_UNARY(Sqrt, std::sqrt(x))
EMBER_FLOAT_UNARY(Rsqrt, C(1) / std::sqrt(x))
EMBER_FLOAT_UNARY(Reciprocal, C(1) / x)
EMBER_FLOAT_UNARY(Sigmoid, C(1) / (C(1) + std::exp(-x)))
EMBER_FLOAT_UNARY(Frac, x - std::trunc(x))

// Inverse error function: Giles' single-precision approximation ("Approximating the erfinv function",
// GPU Computing Gems, 2011) refined by two Newton steps on erf, which brings it to double precision.
struct Erfinv {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C yc) const {
    const double y = double(yc);
    if (!(y >= -1.0 && y <= 1.0)) return std::numeric_limits<C>::quiet_NaN();
    if (y == 1.0) return std::numeric_limits<C>::infinity();
    if (y == -1.0) return -std::numeric_limits<C>::infinity();
    double w = -std::log((1.0 - y) * (1.0 + y)), p;
    if (w < 5.0) {
      w -= 2.5;
      p = 2.81022636e-08;
      for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                       -0.00417768164, 0.246640727, 1.50140941})
        p = c + p * w;
    } else {
      w = std::sqrt(w) - 3.0;
      p = -0.000200214257;
      for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
                       1.00167406, 2.83297682})
        p = c + p * w;
    }
    double x = p * y;
    constexpr double two_over_sqrt_pi = 1.1283791670955126;
    for (int i = 0; i < 2; ++i) x -= (std::erf(x) - y) / (two_over_sqrt_pi * std::exp(-x * x));
    return C(x);
  }
};

struct Neg {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_integral_v<C>) return C(-std::make_unsigned_t<C>(x));  // wraps like PyTorch
    else return -x;
  }
};
struct Abs {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_unsigned_v<C>) return x;
    else if constexpr (std::is_integral_v<C>) return x < 0 ? C(-std::make_unsigned_t<C>(x)) : x;
    else return std::abs(x);
  }
};
struct Sign {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool>) return x;
    else if constexpr (std::is_unsigned_v<C>) return C(x != C(0));  // nvcc warns on an unsigned x < 0
    else return C(int(C(0) < x) - int(x < C(0)));  // NaN gives 0, as in PyTorch
  }
};
struct Square {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_integral_v<C>) return C(std::make_unsigned_t<C>(x) * std::make_unsigned_t<C>(x));
    else return x * x;
  }
};
struct Relu {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    // NaN propagates, as in PyTorch's clamp_min(0).
    return x > C(0) || x != x ? x : C(0);
  }
};

// Rounding ops return integers unchanged.
#define EMBER_ROUNDING_UNARY(Name, fn)              \
  struct Name {                                     \
    template <class T>                              \
    static constexpr bool ok = is_number_v<T>;      \
    template <class C>                              \
    EMBER_HD C operator()(C x) const {              \
      if constexpr (std::is_integral_v<C>) return x; \
      else return fn(x);                            \
    }                                               \
  };
EMBER_ROUNDING_UNARY(Floor, std::floor)
EMBER_ROUNDING_UNARY(Ceil, std::ceil)
EMBER_ROUNDING_UNARY(Trunc, std::trunc)
EMBER_ROUNDING_UNARY(Round, std::nearbyint)  // half to even under the default rounding mode, as PyTorch

struct BitwiseNot {
  template <class T>
  static constexpr bool ok = is_int_or_bool_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool>) return !x;
    else return C(~x);
  }
};

#define EMBER_PREDICATE(Name, float_expr, int_expr) \
  struct Name {                                     \
    static constexpr bool returns_bool = true;      \
    template <class T>                              \
    static constexpr bool ok = true;                \
    template <class C>                              \
    EMBER_HD bool operator()(C x) const {           \
      if constexpr (std::is_floating_point_v<C>)    \
        return float_expr;                          \
      else                                          \
        return int_expr;                            \
    }                                               \
  };
EMBER_PREDICATE(IsNan, std::isnan(x), false)
EMBER_PREDICATE(IsInf, std::isinf(x), false)
EMBER_PREDICATE(IsFinite, std::isfinite(x), true)
EMBER_PREDICATE(LogicalNot, x == C(0), x == C(0))

// ---- unary ops with parameters (EMBER_UNARY_PARAM_OP), built from up to three doubles ----
struct RoundDecimals {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  explicit RoundDecimals(const double* p) : negative(p[0] < 0), ten_pow(std::pow(10.0, std::abs(p[0]))) {}
  bool negative;
  double ten_pow;
  template <class C>
  EMBER_HD C operator()(C x) const {
    const C tp = C(ten_pow);
    return negative ? std::nearbyint(x / tp) * tp : std::nearbyint(x * tp) / tp;
  }
};
// log(x / (1 - x)) with x clamped to [eps, 1 - eps] when eps >= 0 (a negative eps means no clamping).
struct Logit {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  explicit Logit(const double* p) : eps(p[0]) {}
  double eps;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if (eps >= 0) {
      const C lo = C(eps), hi = C(1) - C(eps);
      x = x < lo ? lo : (x > hi ? hi : x);
    }
    return std::log(x / (C(1) - x));
  }
};
struct NanToNum {
  template <class T>
  static constexpr bool ok = true;
  explicit NanToNum(const double* p) : nan(p[0]), posinf(p[1]), neginf(p[2]) {}
  double nan, posinf, neginf;
  template <class C>
  EMBER_HD C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (x != x) return C(nan);
      if (x == std::numeric_limits<C>::infinity()) return C(posinf);
      if (x == -std::numeric_limits<C>::infinity()) return C(neginf);
    }
    return x;
  }
};

template <class F, class = void>
struct returns_bool : std::false_type {};
template <class F>
struct returns_bool<F, std::void_t<decltype(F::returns_bool)>> : std::true_type {};

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels

#include "backend/common/pointwise_functors_binary.h"
