// Inclusive scans (cumsum, cumprod, cummax, cummin) over dim 1 of a contiguous (outer, n, inner) block.
// With inner > 1 the scan runs row by row and the inner loop vectorises across the inner columns. The
// one-line-at-a-time kernels share their line with the CUDA backend (backend/common/scan_lines.h).
#include <algorithm>

#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/scan_lines.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/reduce_geometry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

constexpr int64_t kColumns = 256;

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
            d[j] = scan_out<T>(acc[j]);
          }
      }
    });
  });
}

// Ties and NaN as PyTorch (scan_takes).
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
            if (scan_takes<IsMax>(i, v, best[j])) {
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

void prod_of_others_kernel(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    core::parallel_for(0, outer * inner, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(n, 1)),
                       [&](int64_t b, int64_t e) {
      for (int64_t line = b; line < e; ++line)
        prod_of_others_line<T>(src, dst, (line / inner) * n * inner + line % inner, n, inner);
    });
  });
}

void cumprod_backward_kernel(const Tensor& grad, const Tensor& in, Tensor& out, int64_t outer, int64_t n,
                             int64_t inner) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* g = static_cast<const T*>(grad.data_ptr());
    const T* x = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    core::parallel_for(0, outer * inner, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(n, 1)),
                       [&](int64_t b, int64_t e) {
      for (int64_t line = b; line < e; ++line)
        cumprod_backward_line<T>(g, x, dst, (line / inner) * n * inner + line % inner, n, inner);
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
      for (int64_t line = b; line < e; ++line)
        index_along_line<Scatter, T>(s, idx, d, (line / inner) * n * inner + line % inner, n, inner);
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
