// CUDA kernels of the scan family (cumsum, cumprod, cummax, cummin and the helpers of their derivatives)
// over a contiguous (outer, n, inner) block, one thread per line along dim 1. Neighbouring threads take
// neighbouring inner columns, so with inner > 1 each step's loads are coalesced; each line accumulates in
// the CPU's types and order (backend/common/scan_lines.h), so the results are the CPU's. A cumsum or
// cumprod of few long lines (a 1-D cumsum) would leave the device idle that way and run as long as one
// thread takes over a line, so it is one CUB scan-by-key over all the lines instead: the same
// accumulator type, a tree's order (as PyTorch's CUDA cumsum), each line read and written in place.
#define EMBER_KERNEL_NS cuda_kernels
#include "backend/common/pointwise_functors.h"
#include "backend/common/scan_lines.h"

#include <cub/device/device_scan.cuh>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/tabulate_output_iterator.h>
#include <thrust/iterator/transform_iterator.h>

#include <cstdint>
#include <cuda/std/functional>
#include <type_traits>

#include <ember/tensor.h>

#include "backend/common/visit_dtype.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/device_buffers.h"
#include "backend/cuda/stream.h"
#include "dispatch/reduce_geometry.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using kernels::compute_t;
using kernels::scan_acc_t;
using kernels::visit_dtype;

constexpr int kThreads = 256;

__host__ __device__ inline int64_t line_base(int64_t line, int64_t n, int64_t inner) {
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

// Below these many lines, each at least this long, a scan goes through CUB. Estimates, not measured: a
// thread's sequential line costs about n dependent steps however many lines run beside it, the device-wide
// scan about three passes over lines * n elements.
constexpr int64_t kFewLines = 1024, kLongLine = 1024;

// Element j of the lines laid end to end (line j / n, step j % n) and where it lies in the block.
struct LineWalk {
  int64_t n, inner;
  __host__ __device__ int64_t line(int64_t j) const { return j / n; }
  __host__ __device__ int64_t at(int64_t j) const { return line_base(j / n, n, inner) + (j % n) * inner; }
};

struct LineOf {
  LineWalk w;
  __host__ __device__ int64_t operator()(int64_t j) const { return w.line(j); }
};

template <class T>
struct LoadAcc {
  const T* src;
  LineWalk w;
  __host__ __device__ scan_acc_t<T> operator()(int64_t j) const {
    return scan_acc_t<T>(compute_t<T>(src[w.at(j)]));
  }
};

template <class T>
struct StoreOut {
  T* dst;
  LineWalk w;
  template <class I>
  __host__ __device__ void operator()(I j, scan_acc_t<T> v) const {
    dst[w.at(int64_t(j))] = kernels::scan_out<T>(v);
  }
};

template <bool IsProd, class T>
void cub_scan(const Tensor& in, Tensor& out, int64_t lines, int64_t n, int64_t inner) {
  using A = scan_acc_t<T>;
  using Op = std::conditional_t<IsProd, ::cuda::std::multiplies<A>, ::cuda::std::plus<A>>;
  const LineWalk w{n, inner};
  const thrust::counting_iterator<int64_t> j(0);
  auto keys = thrust::make_transform_iterator(j, LineOf{w});
  auto values = thrust::make_transform_iterator(j, LoadAcc<T>{in_ptr<T>(in), w});
  auto dst = thrust::make_tabulate_output_iterator(StoreOut<T>{out_ptr<T>(out), w});
  const char* op = IsProd ? "cumprod" : "cumsum";
  const cudaStream_t stream = current_stream();
  size_t bytes = 0;
  EMBER_CUDA_CHECK(cub::DeviceScan::InclusiveScanByKey(nullptr, bytes, keys, values, dst, Op{}, lines * n,
                                                       ::cuda::std::equal_to<int64_t>{}, stream),
                   op);
  Tensor temp = device_buffer(int64_t(bytes), kUInt8, in);
  EMBER_CUDA_CHECK(cub::DeviceScan::InclusiveScanByKey(temp.data_ptr(), bytes, keys, values, dst, Op{}, lines * n,
                                                       ::cuda::std::equal_to<int64_t>{}, stream),
                   op);
}

template <bool IsProd>
void scan(const Tensor& in, Tensor& out, int64_t outer, int64_t n, int64_t inner) {
  if (outer * inner < kFewLines && n >= kLongLine) {
    visit_dtype(in.dtype(), [&](auto tag) {
      cub_scan<IsProd, typename decltype(tag)::type>(in, out, outer * inner, n, inner);
    });
    return;
  }
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
