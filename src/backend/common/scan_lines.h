#pragma once
// One line of a scan-family kernel over a contiguous (outer, n, inner) block: the line starts at element
// `base` and steps by `inner`. The CPU kernels run a line per task, the CUDA kernels a line per thread,
// so both backends do the same arithmetic in the same order.
// Include after backend/common/pointwise_functors.h (through a backend header that sets EMBER_KERNEL_NS).
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

// cumsum/cumprod accumulate in double for float32/float64 and in float for the reduced floats, as
// PyTorch's CPU scans do.
template <class T>
using scan_acc_t = std::conditional_t<std::is_floating_point_v<T>, double,
                                      std::conditional_t<is_float_v<T>, float, int64_t>>;

template <class T, class A>
EMBER_HD inline T scan_out(A a) {
  if constexpr (std::is_same_v<T, bool>) return a != A(0);
  else return T(a);
}

template <class A>
EMBER_HD inline bool scan_is_nan(A v) {
  if constexpr (std::is_floating_point_v<A>) return std::isnan(v);
  else return false;
}

// cummax/cummin: whether element i (value v) takes over from the best so far. As PyTorch: a later equal
// value takes the index (>= / <=), and each NaN takes it and stays. `best` is by reference: at i == 0 it
// holds nothing yet and is not read.
template <bool IsMax, class C>
EMBER_HD inline bool scan_takes(int64_t i, C v, const C& best) {
  return i == 0 || scan_is_nan(v) || (!scan_is_nan(best) && (IsMax ? v >= best : v <= best));
}

// Per line: the product of every element but this one, from exclusive prefix and suffix products, so
// zeros need no division.
template <class T>
EMBER_HD void prod_of_others_line(const T* src, T* dst, int64_t base, int64_t n, int64_t inner) {
  using A = scan_acc_t<T>;
  A prefix = A(1);
  for (int64_t i = 0; i < n; ++i) {
    dst[base + i * inner] = scan_out<T>(prefix);
    prefix *= A(compute_t<T>(src[base + i * inner]));
  }
  A suffix = A(1);
  for (int64_t i = n - 1; i >= 0; --i) {
    const int64_t at = base + i * inner;
    dst[at] = scan_out<T>(A(compute_t<T>(dst[at])) * suffix);
    suffix *= A(compute_t<T>(src[at]));
  }
}

// d cumprod / d x_k = sum_{i >= k} g_i * prod_{j <= i, j != k} x_j. Before the first zero z that is
// (sum_{i >= k} g_i out_i) / x_k; at z it is a running product that skips x_z; after z it is 0.
template <class T>
EMBER_HD void cumprod_backward_line(const T* g, const T* x, T* dst, int64_t base, int64_t n, int64_t inner) {
  using A = scan_acc_t<T>;
  auto X = [&](int64_t i) { return A(compute_t<T>(x[base + i * inner])); };
  auto G = [&](int64_t i) { return A(compute_t<T>(g[base + i * inner])); };
  int64_t z = 0;
  A before = A(1);  // product of the elements before z
  while (z < n && X(z) != A(0)) before *= X(z++);
  A tail = A(0);  // sum_{k <= i < z} g_i out_i, built from the back
  A out_i = before;
  for (int64_t i = z - 1; i >= 0; --i) {
    tail += G(i) * out_i;
    dst[base + i * inner] = scan_out<T>(tail / X(i));
    out_i /= X(i);
  }
  if (z == n) return;
  A run = before, at_zero = G(z) * run;
  for (int64_t i = z + 1; i < n; ++i) {
    run *= X(i);
    at_zero += G(i) * run;
  }
  dst[base + z * inner] = scan_out<T>(at_zero);
  for (int64_t i = z + 1; i < n; ++i) dst[base + i * inner] = T(0);
}

// Gather: d[i] = s[idx[i]] along the line. Scatter: d is zeroed, then d[idx[i]] += s[i] in order.
template <bool Scatter, class T>
EMBER_HD void index_along_line(const T* s, const int64_t* idx, T* d, int64_t base, int64_t n, int64_t inner) {
  if constexpr (Scatter) {
    for (int64_t i = 0; i < n; ++i) d[base + i * inner] = T(0);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t at = base + idx[base + i * inner] * inner;
      d[at] = T(compute_t<T>(d[at]) + compute_t<T>(s[base + i * inner]));
    }
  } else {
    for (int64_t i = 0; i < n; ++i) d[base + i * inner] = s[base + idx[base + i * inner] * inner];
  }
}

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
