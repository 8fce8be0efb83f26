#pragma once
// Pointwise functors: one struct per op of ember/ops/pointwise.def, compiled into every backend's
// generic loops (host code here; the CUDA backend compiles the same header with nvcc).
// `ok<T>` says which storage types an op accepts; reduced floats (Half, BFloat16) compute in float.
#include <cmath>
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
EMBER_FLOAT_UNARY(Log, std::log(x))
EMBER_FLOAT_UNARY(Sin, std::sin(x))
EMBER_FLOAT_UNARY(Cos, std::cos(x))
EMBER_FLOAT_UNARY(Sqrt, std::sqrt(x))
EMBER_FLOAT_UNARY(Tanh, std::tanh(x))
EMBER_FLOAT_UNARY(Sigmoid, C(1) / (C(1) + std::exp(-x)))

struct Neg {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C x) const {
    return -x;
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

struct Mul {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) return a && b;
    else return a * b;
  }
};
struct Div {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    return a / b;
  }
};

#define EMBER_COMPARE(Name, op)                    \
  struct Name {                                    \
    static constexpr bool returns_bool = true;     \
    template <class T>                             \
    static constexpr bool ok = true;               \
    template <class C>                             \
    EMBER_HD bool operator()(C a, C b) const {     \
      return a op b;                               \
    }                                              \
  };
EMBER_COMPARE(Eq, ==)
EMBER_COMPARE(Ne, !=)
EMBER_COMPARE(Lt, <)
EMBER_COMPARE(Le, <=)
EMBER_COMPARE(Gt, >)
EMBER_COMPARE(Ge, >=)

template <class F, class = void>
struct returns_bool : std::false_type {};
template <class F>
struct returns_bool<F, std::void_t<decltype(F::returns_bool)>> : std::true_type {};

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
