// Inclusive scans (cumsum, cumprod, cummax, cummin) over dim 1 of a contiguous (outer, n, inner) block.
// With inner > 1 the scan runs row by row and the inner loop vectorises across the inner columns.
// cumsum/cumprod accumulate in double for float32/float64 and in float for the reduced floats, as
// PyTorch's CPU scans do.
#include <cmath>
#include <vector>

#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/reduce_geometry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

template <class T>
using scan_acc_t = std::conditional_t<std::is_floating_point_v<T>, double,
                                      std::conditional_t<is_float_v<T>, float, int64_t>>;

constexpr int64_t kColumns = 256;

template <class T, class A>
inline T to_out(A a) {
  if constexpr (std::is_same_v<T, bool>) return a != A(0);
  else return T(a);
}

template <bool IsProd>
void scan_kernel(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using A = scan_acc_t<T>;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    int64_t blocks = (inner + kColumns - 1) / kColumns;
    int64_t grain = std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, n * std::min(inner, kColumns)));
    core::parallel_for(0, outer * blocks, grain, [&](int64_t b, int64_t e) {
      A acc[kColumns];
      for (int64_t item = b; item < e; ++item) {
        int64_t o = item / blocks, c0 = (item % blocks) * kColumns, w = std::min(kColumns, inner - c0);
        const T* s = src + o * n * inner + c0;
        T* d = dst + o * n * inner + c0;
        for (int64_t j = 0; j < w; ++j) acc[j] = A(IsProd ? 1 : 0);
        for (int64_t i = 0; i < n; ++i, s += inner, d += inner)
          for (int64_t j = 0; j < w; ++j) {
            A v = A(compute_t<T>(s[j]));
            acc[j] = IsProd ? acc[j] * v : acc[j] + v;
            d[j] = to_out<T>(acc[j]);
          }
      }
    });
  });
}

template <class A>
inline bool is_nan(A v) {
  if constexpr (std::is_floating_point_v<A>) return std::isnan(v);
  else return false;
}

// As PyTorch: a later equal value takes the index (>= / <=), and each NaN takes it and stays.
template <bool IsMax>
void scan_index_kernel(const Tensor& in, Tensor& values, Tensor& indices, int64_t outer, int64_t n, int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* vals = static_cast<T*>(values.data_ptr());
    int64_t* idx = static_cast<int64_t*>(indices.data_ptr());
    int64_t blocks = (inner + kColumns - 1) / kColumns;
    int64_t grain = std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, n * std::min(inner, kColumns)));
    core::parallel_for(0, outer * blocks, grain, [&](int64_t b, int64_t e) {
      C best[kColumns];
      int64_t at[kColumns];
      for (int64_t item = b; item < e; ++item) {
        int64_t o = item / blocks, c0 = (item % blocks) * kColumns, w = std::min(kColumns, inner - c0);
        int64_t base = o * n * inner + c0;
        for (int64_t i = 0; i < n; ++i) {
          int64_t off = base + i * inner;
          for (int64_t j = 0; j < w; ++j) {
            C v = C(src[off + j]);
            bool take = i == 0 || is_nan(v) || (!is_nan(best[j]) && (IsMax ? v >= best[j] : v <= best[j]));
            if (take) {
              best[j] = v;
              at[j] = i;
            }
            vals[off + j] = T(best[j]);
            idx[off + j] = at[j];
          }
        }
      }
    });
  });
}

// Per line: the product of every element but this one, from exclusive prefix and suffix products, so
// zeros need no division.
void prod_of_others_kernel(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using A = scan_acc_t<T>;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    core::parallel_for(0, outer * inner, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(n, 1)),
                       [&](int64_t b, int64_t e) {
      for (int64_t line = b; line < e; ++line) {
        int64_t base = (line / inner) * n * inner + line % inner;
        A prefix = A(1);
        for (int64_t i = 0; i < n; ++i) {
          dst[base + i * inner] = to_out<T>(prefix);
          prefix *= A(compute_t<T>(src[base + i * inner]));
        }
        A suffix = A(1);
        for (int64_t i = n - 1; i >= 0; --i) {
          int64_t at = base + i * inner;
          dst[at] = to_out<T>(A(compute_t<T>(dst[at])) * suffix);
          suffix *= A(compute_t<T>(src[at]));
        }
      }
    });
  });
}

// d cumprod / d x_k = sum_{i >= k} g_i * prod_{j <= i, j != k} x_j. Before the first zero z that is
// (sum_{i >= k} g_i out_i) / x_k; at z it is a running product that skips x_z; after z it is 0.
void cumprod_backward_kernel(const Tensor& grad, const Tensor& in, Tensor& out, int64_t outer, int64_t n,
                             int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using A = scan_acc_t<T>;
    const T* g = static_cast<const T*>(grad.data_ptr());
    const T* x = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    core::parallel_for(0, outer * inner, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(n, 1)),
                       [&](int64_t b, int64_t e) {
      for (int64_t line = b; line < e; ++line) {
        int64_t base = (line / inner) * n * inner + line % inner;
        auto X = [&](int64_t i) { return A(compute_t<T>(x[base + i * inner])); };
        auto G = [&](int64_t i) { return A(compute_t<T>(g[base + i * inner])); };
        int64_t z = 0;
        A before = A(1);  // product of the elements before z
        while (z < n && X(z) != A(0)) before *= X(z++);
        A tail = A(0);  // sum_{k <= i < z} g_i out_i, built from the back
        A out_i = before;
        for (int64_t i = z - 1; i >= 0; --i) {
          tail += G(i) * out_i;
          dst[base + i * inner] = to_out<T>(tail / X(i));
          out_i /= X(i);
        }
        if (z == n) continue;
        A run = before, at_zero = G(z) * run;
        for (int64_t i = z + 1; i < n; ++i) {
          run *= X(i);
          at_zero += G(i) * run;
        }
        dst[base + z * inner] = to_out<T>(at_zero);
        for (int64_t i = z + 1; i < n; ++i) dst[base + i * inner] = T(0);
      }
    });
  });
}

// One line per task: scattering within a line never races with another line.
template <bool Scatter>
void index_along_kernel(const Tensor& src, const Tensor& index, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* s = static_cast<const T*>(src.data_ptr());
    const int64_t* idx = static_cast<const int64_t*>(index.data_ptr());
    T* d = static_cast<T*>(out.data_ptr());
    core::parallel_for(0, outer * inner, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(n, 1)),
                       [&](int64_t b, int64_t e) {
      for (int64_t line = b; line < e; ++line) {
        int64_t base = (line / inner) * n * inner + line % inner;
        if constexpr (Scatter) {
          for (int64_t i = 0; i < n; ++i) d[base + i * inner] = T(0);
          for (int64_t i = 0; i < n; ++i) {
            int64_t at = base + idx[base + i * inner] * inner;
            d[at] = T(compute_t<T>(d[at]) + compute_t<T>(s[base + i * inner]));
          }
        } else {
          for (int64_t i = 0; i < n; ++i) d[base + i * inner] = s[base + idx[base + i * inner] * inner];
        }
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_CPU_KERNEL("scan_gather_along", &index_along_kernel<false>);
EMBER_REGISTER_CPU_KERNEL("scan_scatter_add_along", &index_along_kernel<true>);
EMBER_REGISTER_CPU_KERNEL("scan_prod_of_others", &prod_of_others_kernel);
EMBER_REGISTER_CPU_KERNEL("scan_cumprod_backward", &cumprod_backward_kernel);
EMBER_REGISTER_CPU_KERNEL("scan_cumsum", &scan_kernel<false>);
EMBER_REGISTER_CPU_KERNEL("scan_cumprod", &scan_kernel<true>);
EMBER_REGISTER_CPU_KERNEL("scan_cummax", &scan_index_kernel<true>);
EMBER_REGISTER_CPU_KERNEL("scan_cummin", &scan_index_kernel<false>);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
