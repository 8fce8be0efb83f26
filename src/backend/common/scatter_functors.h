#pragma once
// How a scatter combines the value already at an element with the one written to it, and the last step
// of a scatter mean: the arithmetic both backends' index kernels apply to one element, so the CPU and
// the GPU agree on NaN, bool and integer rules.
#include <cmath>
#include <type_traits>

#include <ember/core/half.h>

#ifdef __CUDACC__
#define EMBER_SCATTER_HD __host__ __device__
#else
#define EMBER_SCATTER_HD
#endif

namespace ember::kernels {

template <class T>
using scatter_compute_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

// Mode is dispatch::ScatterMode (a template parameter, as this layer does not see dispatch).
template <class T, class Mode>
EMBER_SCATTER_HD T scatter_combine(T old, T v, Mode mode) {
  using ScatterMode = Mode;
  if constexpr (std::is_same_v<T, bool>) {
    switch (mode) {
      case ScatterMode::Add: case ScatterMode::Max: return old || v;
      case ScatterMode::Multiply: case ScatterMode::Min: return old && v;
      default: return v;
    }
  } else {
    using C = scatter_compute_t<T>;
    C a = C(old), b = C(v);
    switch (mode) {
      case ScatterMode::Add: return T(a + b);
      case ScatterMode::Multiply: return T(a * b);
      // NaN propagates, as in PyTorch's scatter_reduce.
      case ScatterMode::Max:
        if constexpr (std::is_floating_point_v<C>) if (std::isnan(b)) return v;
        return T(b > a ? b : a);
      case ScatterMode::Min:
        if constexpr (std::is_floating_point_v<C>) if (std::isnan(b)) return v;
        return T(b < a ? b : a);
      default: return v;
    }
  }
}

// sum / count where count is not zero (floor division for integers; bool stays as it is).
template <class T>
EMBER_SCATTER_HD void scatter_mean_divide(T& s, T c) {
  if constexpr (std::is_same_v<T, bool>) {
    return;
  } else if constexpr (std::is_integral_v<T>) {
    if (c == 0) return;
    T q = T(s / c);
    if constexpr (std::is_signed_v<T>)
      if ((s % c != 0) && ((s < 0) != (c < 0))) --q;
    s = q;
  } else {
    if (float(c) == 0.f) return;
    using C = std::conditional_t<std::is_same_v<T, double>, double, float>;
    s = T(C(s) / C(c));
  }
}

}  // namespace ember::kernels

#undef EMBER_SCATTER_HD
