// im2col / col2im (F.unfold / F.fold) on CUDA for float32 and float64. Spatial dims are three slots
// (depth, height, width) with leading sizes of 1, as ConvGeometry gives them.
//
// im2col writes each column element once (one thread each, consecutive threads along a column row, so
// the stores coalesce). col2im gathers instead of scattering: one thread per input element sums every
// column entry that maps to it, with no atomics, so the result is deterministic; the kernel positions are
// visited in ascending order, the order in which the CPU kernel accumulates, so float sums match it.
// Indices are 32-bit when every offset fits, which roughly halves the cost of the index arithmetic.
#include <algorithm>
#include <cstdint>
#include <limits>

#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/stream.h"
#include "dispatch/conv_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::ConvGeometry;

template <class I>
struct Params {
  I channels;
  I in[3], out[3], kernel[3], stride[3], padding[3], dilation[3];
  I kernel_size, out_size, in_size;
};

template <class I>
Params<I> params_of(const ConvGeometry& g) {
  Params<I> p{};
  p.channels = I(g.in_channels);
  for (int d = 0; d < 3; ++d) {
    p.in[d] = I(g.in[d]);
    p.out[d] = I(g.out[d]);
    p.kernel[d] = I(g.kernel[d]);
    p.stride[d] = I(g.stride[d]);
    p.padding[d] = I(g.padding[d]);
    p.dilation[d] = I(g.dilation[d]);
  }
  p.kernel_size = I(g.kernel_size());
  p.out_size = I(g.out_size());
  p.in_size = I(g.in_size());
  return p;
}

// columns (N, C * K, L) from x (N, C, D, H, W); `total` = N * C * K * L.
template <class T, class I>
__global__ void im2col_kernel(const T* __restrict__ x, T* __restrict__ col, I total, Params<I> p) {
  const I step = I(gridDim.x) * I(blockDim.x);
  for (I idx = I(blockIdx.x) * I(blockDim.x) + I(threadIdx.x); idx < total; idx += step) {
    const I l = idx % p.out_size, row = idx / p.out_size;
    const I k = row % p.kernel_size, nc = row / p.kernel_size;
    const I ow = l % p.out[2], oh = (l / p.out[2]) % p.out[1], od = l / (p.out[2] * p.out[1]);
    const I kw = k % p.kernel[2], kh = (k / p.kernel[2]) % p.kernel[1], kd = k / (p.kernel[2] * p.kernel[1]);
    const I id = od * p.stride[0] - p.padding[0] + kd * p.dilation[0];
    const I ih = oh * p.stride[1] - p.padding[1] + kh * p.dilation[1];
    const I iw = ow * p.stride[2] - p.padding[2] + kw * p.dilation[2];
    const bool inside = id >= 0 && id < p.in[0] && ih >= 0 && ih < p.in[1] && iw >= 0 && iw < p.in[2];
    col[idx] = inside ? x[nc * p.in_size + (id * p.in[1] + ih) * p.in[2] + iw] : T(0);
  }
}

// The output position o along one dim whose window puts kernel tap k at input index i, or -1.
template <class I>
__device__ __forceinline__ I source(I i, I k, I stride, I padding, I dilation, I out) {
  const I t = i + padding - k * dilation;
  if (t < 0 || t % stride != 0) return -1;
  const I o = t / stride;
  return o < out ? o : -1;
}

// x (N, C, D, H, W), overwritten, from columns (N, C * K, L); `total` = N * C * D * H * W.
template <class T, class I>
__global__ void col2im_kernel(const T* __restrict__ col, T* __restrict__ x, I total, Params<I> p) {
  const I step = I(gridDim.x) * I(blockDim.x);
  for (I idx = I(blockIdx.x) * I(blockDim.x) + I(threadIdx.x); idx < total; idx += step) {
    const I iw = idx % p.in[2], ih = (idx / p.in[2]) % p.in[1], id = (idx / (p.in[2] * p.in[1])) % p.in[0];
    const I nc = idx / p.in_size;
    const T* base = col + nc * p.kernel_size * p.out_size;
    T acc = T(0);
    for (I kd = 0; kd < p.kernel[0]; ++kd) {
      const I od = source(id, kd, p.stride[0], p.padding[0], p.dilation[0], p.out[0]);
      if (od < 0) continue;
      for (I kh = 0; kh < p.kernel[1]; ++kh) {
        const I oh = source(ih, kh, p.stride[1], p.padding[1], p.dilation[1], p.out[1]);
        if (oh < 0) continue;
        for (I kw = 0; kw < p.kernel[2]; ++kw) {
          const I ow = source(iw, kw, p.stride[2], p.padding[2], p.dilation[2], p.out[2]);
          if (ow < 0) continue;
          const I row = (kd * p.kernel[1] + kh) * p.kernel[2] + kw;
          acc += base[row * p.out_size + (od * p.out[1] + oh) * p.out[2] + ow];
        }
      }
    }
    x[idx] = acc;
  }
}

// Whether every index of a problem with `largest` elements per tensor, plus one grid-stride step past
// it, fits in int32.
bool fits_int32(int64_t largest) {
  return largest <= int64_t(std::numeric_limits<int32_t>::max()) - int64_t(65535) * 16 * 256;
}

constexpr int kThreads = 256;

template <class T>
void launch_im2col(const Tensor& x, const Tensor& col, const ConvGeometry& g) {
  const int64_t total = col.numel();
  const auto* xp = static_cast<const T*>(x.data_ptr());
  auto* cp = static_cast<T*>(col.data_ptr());
  if (fits_int32(std::max(total, x.numel())))
    im2col_kernel<T, int32_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        xp, cp, int32_t(total), params_of<int32_t>(g));
  else
    im2col_kernel<T, int64_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        xp, cp, total, params_of<int64_t>(g));
  EMBER_CUDA_CHECK_LAUNCH("im2col");
}

template <class T>
void launch_col2im(const Tensor& col, const Tensor& x, const ConvGeometry& g) {
  const int64_t total = x.numel();
  const auto* cp = static_cast<const T*>(col.data_ptr());
  auto* xp = static_cast<T*>(x.data_ptr());
  if (fits_int32(std::max(total, col.numel())))
    col2im_kernel<T, int32_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        cp, xp, int32_t(total), params_of<int32_t>(g));
  else
    col2im_kernel<T, int64_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        cp, xp, total, params_of<int64_t>(g));
  EMBER_CUDA_CHECK_LAUNCH("col2im");
}

void im2col(const Tensor& x, const Tensor& col, const ConvGeometry& g) {
  if (col.numel() == 0) return;
  float_or_double(x.dtype(), "im2col", [&](auto t) { launch_im2col<decltype(t)>(x, col, g); });
}

void col2im(const Tensor& col, const Tensor& x, const ConvGeometry& g) {
  if (x.numel() == 0) return;
  float_or_double(x.dtype(), "col2im", [&](auto t) { launch_col2im<decltype(t)>(col, x, g); });
}

}  // namespace

EMBER_REGISTER_KERNEL("im2col", ::ember::kCUDA, static_cast<dispatch::Im2colKernel*>(&im2col));
EMBER_REGISTER_KERNEL("col2im", ::ember::kCUDA, static_cast<dispatch::Col2imKernel*>(&col2im));

}  // namespace ember::cuda
