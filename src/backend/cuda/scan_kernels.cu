// CUDA kernels of the scan family (cumsum, cumprod, cummax, cummin and the helpers of their derivatives)
// over a contiguous (outer, n, inner) block, one thread per line along dim 1. Neighbouring threads take
// neighbouring inner columns, so with inner > 1 each step's loads are coalesced; each line accumulates in
// the CPU's types and order (backend/common/scan_lines.h), so the results are the CPU's. A single long
// line (a 1-D cumsum) runs on one thread: correct, but slow beyond a few thousand elements.
#define EMBER_KERNEL_NS cuda_kernels
#include "backend/common/pointwise_functors.h"
#include "backend/common/scan_lines.h"

#include <cstdint>

#include <ember/tensor.h>

#include "backend/common/visit_dtype.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "dispatch/reduce_geometry.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using kernels::compute_t;
using kernels::scan_acc_t;
using kernels::visit_dtype;

constexpr int kThreads = 256;

__device__ inline int64_t line_base(int64_t line, int64_t n, int64_t inner) {
  return (line / inner) * n * inner + line % inner;
}

#define EMBER_LINE_LOOP(line, lines)                                                                     \
  for (int64_t line = int64_t(blockIdx.x) * blockDim.x + threadIdx.x, step_ = int64_t(gridDim.x) * blockDim.x; \
       line < (lines); line += step_)

template <bool IsProd, class T>
__global__ void scan_kernel(const T* src, T* dst, int64_t lines, int64_t n, int64_t inner) {
  using A = scan_acc_t<T>;
  EMBER_LINE_LOOP(line, lines) {
    const int64_t base = line_base(line, n, inner);
    A acc = A(IsProd ? 1 : 0);
    for (int64_t i = 0; i < n; ++i) {
      const A v = A(compute_t<T>(src[base + i * inner]));
      acc = IsProd ? acc * v : acc + v;
      dst[base + i * inner] = kernels::scan_out<T>(acc);
    }
  }
}

template <bool IsMax, class T>
__global__ void scan_index_kernel(const T* src, T* vals, int64_t* idx, int64_t lines, int64_t n, int64_t inner) {
  using C = compute_t<T>;
  EMBER_LINE_LOOP(line, lines) {
    const int64_t base = line_base(line, n, inner);
    C best = C(src[base]);
    int64_t at = 0;
    for (int64_t i = 0; i < n; ++i) {
      const C v = C(src[base + i * inner]);
      if (kernels::scan_takes<IsMax>(i, v, best)) {
        best = v;
        at = i;
      }
      vals[base + i * inner] = T(best);
      idx[base + i * inner] = at;
    }
  }
}

template <class T>
__global__ void prod_of_others_kernel(const T* src, T* dst, int64_t lines, int64_t n, int64_t inner) {
  EMBER_LINE_LOOP(line, lines) { kernels::prod_of_others_line<T>(src, dst, line_base(line, n, inner), n, inner); }
}

template <class T>
__global__ void cumprod_backward_kernel(const T* g, const T* x, T* dst, int64_t lines, int64_t n, int64_t inner) {
  EMBER_LINE_LOOP(line, lines) { kernels::cumprod_backward_line<T>(g, x, dst, line_base(line, n, inner), n, inner); }
}

template <bool Scatter, class T>
__global__ void index_along_kernel(const T* s, const int64_t* idx, T* d, int64_t lines, int64_t n, int64_t inner) {
  EMBER_LINE_LOOP(line, lines) {
    kernels::index_along_line<Scatter, T>(s, idx, d, line_base(line, n, inner), n, inner);
  }
}

#undef EMBER_LINE_LOOP

template <class T>
const T* in_ptr(const Tensor& t) {
  return static_cast<const T*>(t.data_ptr());
}
template <class T>
T* out_ptr(const Tensor& t) {
  return static_cast<T*>(t.data_ptr());
}

// Runs launch(type_tag) for `in`'s dtype over outer * inner lines, then checks the launch.
template <class Launch>
void for_lines(const Tensor& in, int64_t outer, int64_t inner, const char* op, const Launch& launch) {
  const int64_t lines = outer * inner;
  if (lines == 0) return;
  visit_dtype(in.dtype(), [&](auto tag) { launch(tag, lines, blocks_for(lines, kThreads)); });
  EMBER_CUDA_CHECK_LAUNCH(op);
}

template <bool IsProd>
void scan(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  for_lines(in, outer, inner, IsProd ? "cumprod" : "cumsum", [&](auto tag, int64_t lines, unsigned blocks) {
    using T = typename decltype(tag)::type;
    scan_kernel<IsProd, T><<<blocks, kThreads, 0, current_stream()>>>(in_ptr<T>(in), out_ptr<T>(out), lines, n,
                                                                       inner);
  });
}

template <bool IsMax>
void scan_index(const Tensor& in, Tensor& values, Tensor& indices, int64_t outer, int64_t n, int64_t inner) {
  for_lines(in, outer, inner, IsMax ? "cummax" : "cummin", [&](auto tag, int64_t lines, unsigned blocks) {
    using T = typename decltype(tag)::type;
    scan_index_kernel<IsMax, T><<<blocks, kThreads, 0, current_stream()>>>(
        in_ptr<T>(in), out_ptr<T>(values), out_ptr<int64_t>(indices), lines, n, inner);
  });
}

void prod_of_others(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  for_lines(in, outer, inner, "prod_backward", [&](auto tag, int64_t lines, unsigned blocks) {
    using T = typename decltype(tag)::type;
    prod_of_others_kernel<T><<<blocks, kThreads, 0, current_stream()>>>(in_ptr<T>(in), out_ptr<T>(out), lines, n,
                                                                         inner);
  });
}

void cumprod_backward(const Tensor& grad, const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  for_lines(in, outer, inner, "cumprod_backward", [&](auto tag, int64_t lines, unsigned blocks) {
    using T = typename decltype(tag)::type;
    cumprod_backward_kernel<T><<<blocks, kThreads, 0, current_stream()>>>(in_ptr<T>(grad), in_ptr<T>(in),
                                                                           out_ptr<T>(out), lines, n, inner);
  });
}

template <bool Scatter>
void index_along(const Tensor& src, const Tensor& index, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  for_lines(src, outer, inner, Scatter ? "scatter_add" : "gather", [&](auto tag, int64_t lines, unsigned blocks) {
    using T = typename decltype(tag)::type;
    index_along_kernel<Scatter, T><<<blocks, kThreads, 0, current_stream()>>>(
        in_ptr<T>(src), in_ptr<int64_t>(index), out_ptr<T>(out), lines, n, inner);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("scan_gather_along", ::ember::kCUDA, &index_along<false>);
EMBER_REGISTER_KERNEL("scan_scatter_add_along", ::ember::kCUDA, &index_along<true>);
EMBER_REGISTER_KERNEL("scan_prod_of_others", ::ember::kCUDA, &prod_of_others);
EMBER_REGISTER_KERNEL("scan_cumprod_backward", ::ember::kCUDA, &cumprod_backward);
EMBER_REGISTER_KERNEL("scan_cumsum", ::ember::kCUDA, &scan<false>);
EMBER_REGISTER_KERNEL("scan_cumprod", ::ember::kCUDA, &scan<true>);
EMBER_REGISTER_KERNEL("scan_cummax", ::ember::kCUDA, &scan_index<true>);
EMBER_REGISTER_KERNEL("scan_cummin", ::ember::kCUDA, &scan_index<false>);

}  // namespace ember::cuda
