// CUDA pooling kernels: max and average pools, fixed and adaptive, forward and backward, and max_unpool,
// over contiguous (planes, D, H, W) float32/float64 with the CPU backend's semantics (a NaN wins the
// max and the last NaN of a window is the one reported; indices are offsets within the plane; the
// average divides a sum taken in window order by PyTorch's integer divisor).
//
// A dim whose window table is the one its kernel, stride and padding produce gets its windows by
// arithmetic; any other dim (adaptive pools) gets its tables copied to the device. Forward kernels run
// one thread per output. The average pool's backward gathers: one thread per input element adds the
// gradients of the windows that cover it, in the order the CPU backend scatters them, so its sums are
// bitwise the CPU's. max_pool_backward only sees indices, so it scatters with atomicAdd: where windows
// overlap, the order of the additions (and so the last bit) can vary between runs.
#include <cstdint>
#include <limits>
#include <vector>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/offset_calc.cuh"
#include "backend/cuda/stream.h"
#include "dispatch/pool_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::PoolDim;
using dispatch::PoolWindows;

constexpr int kThreads = 256;

struct Window {
  int64_t first, count, div;
};

// One spatial dim as the device sees it. `tables` points at first, count and div (out each), then,
// when the backward needs them, lo and hi (in each): the range of outputs whose windows may cover
// each input position.
struct Dim {
  int64_t in, out, step, kernel, stride, pad;
  bool fixed, include_pad;
  const int64_t* tables;
};

// The fixed windows exactly as the op's tables define them (src/ops/pool.cpp): a max pool's window is
// dilated and starts at its first position inside the input; an average's is clipped to the input and
// divides by its size with (include_pad) or without the padding it covers.
__host__ __device__ inline Window fixed_window(const Dim& d, int64_t o, bool avg) {
  const int64_t start = o * d.stride - d.pad;
  if (avg) {
    const int64_t end = start + d.kernel < d.in + d.pad ? start + d.kernel : d.in + d.pad;
    const int64_t first = start > 0 ? start : 0, clipped = end < d.in ? end : d.in;
    const int64_t count = clipped > first ? clipped - first : 0;
    return {first, count, d.include_pad ? end - start : count};
  }
  const int64_t last = start + (d.kernel - 1) * d.step + 1, end = last < d.in ? last : d.in;
  const int64_t first = start < 0 ? start + (-start + d.step - 1) / d.step * d.step : start;
  return {first, first < end ? (end - first + d.step - 1) / d.step : 0, 0};
}

__device__ __forceinline__ Window window(const Dim& d, int64_t o, bool avg) {
  if (d.fixed) return fixed_window(d, o, avg);
  return {__ldg(d.tables + o), __ldg(d.tables + d.out + o), __ldg(d.tables + 2 * d.out + o)};
}

// Outputs [lo, hi) whose (average-pool) windows may cover input position i; callers still check
// that the window does.
__device__ __forceinline__ void covering(const Dim& d, int64_t i, int64_t& lo, int64_t& hi) {
  if (d.fixed) {
    const int64_t a = i + d.pad - d.kernel + 1, b = (i + d.pad) / d.stride + 1;
    lo = a <= 0 ? 0 : (a + d.stride - 1) / d.stride;
    hi = b < d.out ? b : d.out;
    return;
  }
  lo = __ldg(d.tables + 3 * d.out + i);
  hi = __ldg(d.tables + 3 * d.out + d.in + i);
}

struct Geometry {
  Dim dim[3];
  int64_t planes;
};

// Splits a flat index over (planes, d, h, w) sizes: 32-bit multiply-shift division when every index
// fits in int32 (the common case, where 64-bit division would dominate a small window's cost), plain
// 64-bit division otherwise.
template <bool Narrow>
struct Splitter;
template <>
struct Splitter<true> {
  IntDivider d, h, w;
  Splitter(int64_t D, int64_t H, int64_t W) : d(uint32_t(D)), h(uint32_t(H)), w(uint32_t(W)) {}
  __device__ void split(int64_t e, int64_t (&c)[4]) const {
    uint32_t q = uint32_t(e), r = w.div(q);
    c[3] = int64_t(q - r * w.divisor);
    q = h.div(r);
    c[2] = int64_t(r - q * h.divisor);
    r = d.div(q);
    c[1] = int64_t(q - r * d.divisor);
    c[0] = int64_t(r);
  }
};
template <>
struct Splitter<false> {
  int64_t d, h, w;
  Splitter(int64_t D, int64_t H, int64_t W) : d(D), h(H), w(W) {}
  __device__ void split(int64_t e, int64_t (&c)[4]) const {
    c[3] = e % w;
    e /= w;
    c[2] = e % h;
    e /= h;
    c[1] = e % d;
    c[0] = e / d;
  }
};

bool fits_int32(int64_t n) { return n <= int64_t(std::numeric_limits<int32_t>::max()); }

template <class T>
__device__ __forceinline__ T neg_inf() {
  return -std::numeric_limits<T>::infinity();
}

template <class T, bool Narrow>
__global__ void max_pool_kernel(const T* __restrict__ in, T* __restrict__ out, int64_t* __restrict__ indices,
                                Geometry g, Splitter<Narrow> s, int64_t total) {
  const Dim &D = g.dim[0], &H = g.dim[1], &W = g.dim[2];
  const int64_t in_n = D.in * H.in * W.in;
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += step) {
    int64_t c[4];
    s.split(e, c);
    const Window wd = window(D, c[1], false), wh = window(H, c[2], false), ww = window(W, c[3], false);
    const T* plane = in + c[0] * in_n;
    int64_t mi = (wd.first * H.in + wh.first) * W.in + ww.first;
    T m = neg_inf<T>();
    for (int64_t a = 0; a < wd.count; ++a)
      for (int64_t b = 0; b < wh.count; ++b) {
        const int64_t row = ((wd.first + a * D.step) * H.in + wh.first + b * H.step) * W.in + ww.first;
        for (int64_t k = 0; k < ww.count; ++k) {
          const int64_t i = row + k * W.step;
          const T v = __ldg(plane + i);
          if (v > m || v != v) {
            m = v;
            mi = i;
          }
        }
      }
    out[e] = m;
    indices[e] = mi;
  }
}

// The divisor of an average window: the override, or the product of the dims' integer factors.
__device__ __forceinline__ int64_t divisor(const Window& a, const Window& b, const Window& c, int64_t override_) {
  return override_ ? override_ : a.div * b.div * c.div;
}

template <class T, bool Narrow>
__global__ void avg_pool_kernel(const T* __restrict__ in, T* __restrict__ out, Geometry g, Splitter<Narrow> s,
                                int64_t total, int64_t divisor_override) {
  const Dim &D = g.dim[0], &H = g.dim[1], &W = g.dim[2];
  const int64_t in_n = D.in * H.in * W.in;
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += step) {
    int64_t c[4];
    s.split(e, c);
    const Window wd = window(D, c[1], true), wh = window(H, c[2], true), ww = window(W, c[3], true);
    if (wd.count == 0 || wh.count == 0 || ww.count == 0) {
      out[e] = T(0);
      continue;
    }
    const T* plane = in + c[0] * in_n;
    T sum = 0;
    for (int64_t a = 0; a < wd.count; ++a)
      for (int64_t b = 0; b < wh.count; ++b) {
        const T* row = plane + ((wd.first + a) * H.in + wh.first + b) * W.in + ww.first;
        for (int64_t k = 0; k < ww.count; ++k) sum += __ldg(row + k);
      }
    out[e] = sum / T(divisor(wd, wh, ww, divisor_override));
  }
}

__device__ __forceinline__ bool covers(const Window& w, int64_t i) { return w.first <= i && i < w.first + w.count; }

// One thread per input element: the sum, over the windows covering it in (d, h, w) order, of each
// window's gradient divided by its divisor, as the CPU's scatter adds them.
template <class T, bool Narrow>
__global__ void avg_pool_backward_kernel(const T* __restrict__ grad_out, T* __restrict__ grad_in, Geometry g,
                                         Splitter<Narrow> s, int64_t total, int64_t divisor_override) {
  const Dim &D = g.dim[0], &H = g.dim[1], &W = g.dim[2];
  const int64_t out_n = D.out * H.out * W.out;
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += step) {
    int64_t c[4];
    s.split(e, c);
    int64_t d0, d1, h0, h1, w0, w1;
    covering(D, c[1], d0, d1);
    covering(H, c[2], h0, h1);
    covering(W, c[3], w0, w1);
    const T* go = grad_out + c[0] * out_n;
    T acc = 0;
    for (int64_t od = d0; od < d1; ++od) {
      const Window wd = window(D, od, true);
      if (!covers(wd, c[1])) continue;
      for (int64_t oh = h0; oh < h1; ++oh) {
        const Window wh = window(H, oh, true);
        if (!covers(wh, c[2])) continue;
        for (int64_t ow = w0; ow < w1; ++ow) {
          const Window ww = window(W, ow, true);
          if (!covers(ww, c[3])) continue;
          acc += __ldg(go + (od * H.out + oh) * W.out + ow) / T(divisor(wd, wh, ww, divisor_override));
        }
      }
    }
    grad_in[e] = acc;
  }
}

template <class T>
__global__ void max_pool_backward_kernel(const T* __restrict__ grad_out, const int64_t* __restrict__ indices,
                                         T* __restrict__ grad_in, int64_t total, int64_t out_n, int64_t in_n) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += step) {
    const int64_t i = __ldg(indices + e);
    // Indices come from max_pool and are in range; the check keeps a corrupted one from writing
    // outside the plane.
    if (i >= 0 && i < in_n) atomicAdd(grad_in + (e / out_n) * in_n + i, __ldg(grad_out + e));
  }
}

// ---------------------------------------------------------------------------------------------------
// Host side: the device view of the windows.

// Whether d's tables are exactly the fixed windows of its kernel, stride and padding; sets include_pad
// for an average pool.
bool matches_fixed(Dim& d, const PoolDim& p, bool avg) {
  if (p.kernel <= 0 || p.stride <= 0) return false;
  auto same = [&] {
    for (int64_t o = 0; o < d.out; ++o) {
      const Window w = fixed_window(d, o, avg);
      const size_t u = size_t(o);
      if (w.first != p.first[u] || w.count != p.count[u] || (avg && w.div != p.div[u])) return false;
    }
    return true;
  };
  if (!avg) return same();
  d.include_pad = true;
  if (same()) return true;
  d.include_pad = false;
  return same();
}

// Appends the lo/hi tables of an average pool's dim: for each input position, the first and one past
// the last output whose window covers it (0, 0 when none does).
void append_covering(std::vector<int64_t>& t, const PoolDim& p) {
  const size_t base = t.size(), in = size_t(p.in);
  t.resize(base + 2 * in, 0);
  int64_t* lo = t.data() + base;
  int64_t* hi = lo + in;
  for (int64_t o = 0; o < p.out; ++o)
    for (int64_t j = 0; j < p.count[size_t(o)]; ++j) {
      const size_t i = size_t(p.first[size_t(o)] + j);
      if (hi[i] == 0) lo[i] = o;
      hi[i] = o + 1;
    }
}

// The device view of w; the tables of the dims that need them go to the device in `tables`, which the
// caller keeps until its kernel is queued (the caching allocator reuses a block freed after that only
// for work queued later on the stream).
Geometry geometry(const PoolWindows& w, bool avg, bool backward, Device device, Tensor& tables) {
  Geometry g{};
  g.planes = w.planes;
  std::vector<int64_t> host;
  size_t offset[3] = {};
  for (int k = 0; k < 3; ++k) {
    const PoolDim& p = w.dim[k];
    Dim& d = g.dim[k];
    d = Dim{p.in, p.out, avg ? 1 : p.step, p.kernel, p.stride, p.pad, false, false, nullptr};
    d.fixed = matches_fixed(d, p, avg);
    if (d.fixed) continue;
    offset[k] = host.size();
    host.insert(host.end(), p.first.begin(), p.first.end());
    host.insert(host.end(), p.count.begin(), p.count.end());
    if (avg)
      host.insert(host.end(), p.div.begin(), p.div.end());
    else
      host.resize(host.size() + size_t(p.out), 0);
    if (backward) append_covering(host, p);
  }
  if (host.empty()) return g;
  tables = ember::empty({int64_t(host.size())}, TensorOptions(kInt64).device(device));
  // Pageable memory: the call returns once the driver has staged the bytes, so `host` may go.
  EMBER_CUDA_CHECK(cudaMemcpyAsync(tables.data_ptr(), host.data(), host.size() * sizeof(int64_t),
                                   cudaMemcpyHostToDevice, current_stream()),
                   "pool");
  const int64_t* base = tables.data_ptr<int64_t>();
  for (int k = 0; k < 3; ++k)
    if (!g.dim[k].fixed) g.dim[k].tables = base + offset[k];
  return g;
}

// Launches `launch(splitter)` with the narrow splitter when every flat index of (planes, sizes) fits
// in int32.
template <class F>
void with_splitter(int64_t total, int64_t D, int64_t H, int64_t W, const F& launch) {
  if (fits_int32(total))
    launch(Splitter<true>(D, H, W));
  else
    launch(Splitter<false>(D, H, W));
}

template <class T>
void max_pool_typed(const Tensor& input, const Tensor& out, const Tensor& indices, const PoolWindows& w) {
  Tensor tables;
  const Geometry g = geometry(w, false, false, input.device(), tables);
  const int64_t total = out.numel();
  with_splitter(total, g.dim[0].out, g.dim[1].out, g.dim[2].out, [&](auto s) {
    max_pool_kernel<T><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        input.data_ptr<T>(), out.data_ptr<T>(), indices.data_ptr<int64_t>(), g, s, total);
    EMBER_CUDA_CHECK_LAUNCH("max_pool");
  });
}

void max_pool(const Tensor& input, const Tensor& out, const Tensor& indices, const PoolWindows& w) {
  float_or_double(input.dtype(), "max_pool", [&](auto t) {
    if (out.numel() > 0) max_pool_typed<decltype(t)>(input, out, indices, w);
  });
}

template <class T>
void max_pool_backward_typed(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in) {
  const int64_t planes = grad_in.size(0), total = grad_out.numel();
  const int64_t in_n = planes ? grad_in.numel() / planes : 0, out_n = planes ? total / planes : 0;
  cudaStream_t stream = current_stream();
  EMBER_CUDA_CHECK(cudaMemsetAsync(grad_in.data_ptr(), 0, grad_in.nbytes(), stream), "max_pool_backward");
  if (total == 0) return;
  max_pool_backward_kernel<T><<<blocks_for(total, kThreads), kThreads, 0, stream>>>(
      grad_out.data_ptr<T>(), indices.data_ptr<int64_t>(), grad_in.data_ptr<T>(), total, out_n, in_n);
  EMBER_CUDA_CHECK_LAUNCH("max_pool_backward");
}

void max_pool_backward(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in) {
  float_or_double(grad_in.dtype(), "max_pool_backward", [&](auto t) {
    if (grad_in.numel() > 0) max_pool_backward_typed<decltype(t)>(grad_out, indices, grad_in);
  });
}

template <class T>
void avg_pool_typed(const Tensor& input, const Tensor& out, const PoolWindows& w, int64_t divisor_override) {
  Tensor tables;
  const Geometry g = geometry(w, true, false, input.device(), tables);
  const int64_t total = out.numel();
  with_splitter(total, g.dim[0].out, g.dim[1].out, g.dim[2].out, [&](auto s) {
    avg_pool_kernel<T><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        input.data_ptr<T>(), out.data_ptr<T>(), g, s, total, divisor_override);
    EMBER_CUDA_CHECK_LAUNCH("avg_pool");
  });
}

void avg_pool(const Tensor& input, const Tensor& out, const PoolWindows& w, int64_t divisor_override) {
  float_or_double(input.dtype(), "avg_pool", [&](auto t) {
    if (out.numel() > 0) avg_pool_typed<decltype(t)>(input, out, w, divisor_override);
  });
}

template <class T>
void avg_pool_backward_typed(const Tensor& grad_out, const Tensor& grad_in, const PoolWindows& w,
                             int64_t divisor_override) {
  Tensor tables;
  const Geometry g = geometry(w, true, true, grad_in.device(), tables);
  const int64_t total = grad_in.numel();
  with_splitter(total, g.dim[0].in, g.dim[1].in, g.dim[2].in, [&](auto s) {
    avg_pool_backward_kernel<T><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
        grad_out.data_ptr<T>(), grad_in.data_ptr<T>(), g, s, total, divisor_override);
    EMBER_CUDA_CHECK_LAUNCH("avg_pool_backward");
  });
}

void avg_pool_backward(const Tensor& grad_out, const Tensor& grad_in, const PoolWindows& w,
                       int64_t divisor_override) {
  float_or_double(grad_in.dtype(), "avg_pool_backward", [&](auto t) {
    if (grad_in.numel() > 0) avg_pool_backward_typed<decltype(t)>(grad_out, grad_in, w, divisor_override);
  });
}

// ---------------------------------------------------------------------------------------------------
// max_unpool: out[p, indices[p, e]] = input[p, e], where the last e wins as in the CPU's loop. The
// writes are resolved by an atomicMax of e per output position, so duplicates give the CPU's result
// whatever the thread order; the lowest flat position holding a bad index is kept by an atomicMin.

__global__ void unpool_winners_kernel(const int64_t* __restrict__ indices, long long* __restrict__ winner,
                                      long long* __restrict__ first_bad, int64_t total, int64_t in_n,
                                      int64_t out_n) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < total; e += step) {
    const int64_t i = __ldg(indices + e), p = e / in_n;
    if (i < 0 || i >= out_n)
      atomicMin(first_bad, (long long)e);
    else
      atomicMax(winner + p * out_n + i, (long long)(e - p * in_n));
  }
}

template <class T>
__global__ void unpool_gather_kernel(const T* __restrict__ input, const long long* __restrict__ winner,
                                     T* __restrict__ out, int64_t total, int64_t in_n, int64_t out_n) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; j < total; j += step) {
    const long long e = winner[j];
    out[j] = e < 0 ? T(0) : __ldg(input + (j / out_n) * in_n + e);
  }
}

template <class T>
bool max_unpool_typed(const Tensor& input, const Tensor& indices, const Tensor& out, int64_t* bad_index) {
  const int64_t planes = out.size(0), in_n = input.size(1), out_n = out.size(1);
  const int64_t in_total = planes * in_n, out_total = planes * out_n;
  cudaStream_t stream = current_stream();
  // winner[j] = -1 (all bits set) until some input claims output j; first_bad starts at a position past
  // every real one (0x7f7f... > any element count).
  Tensor winner = ember::empty({out_total + 1}, TensorOptions(kInt64).device(out.device()));
  auto* win = static_cast<long long*>(winner.data_ptr());
  long long* first_bad = win + out_total;
  EMBER_CUDA_CHECK(cudaMemsetAsync(win, 0xff, size_t(out_total) * sizeof(long long), stream), "max_unpool");
  EMBER_CUDA_CHECK(cudaMemsetAsync(first_bad, 0x7f, sizeof(long long), stream), "max_unpool");
  if (in_total > 0) {
    unpool_winners_kernel<<<blocks_for(in_total, kThreads), kThreads, 0, stream>>>(
        indices.data_ptr<int64_t>(), win, first_bad, in_total, in_n, out_n);
    EMBER_CUDA_CHECK_LAUNCH("max_unpool");
  }
  long long bad = 0;
  EMBER_CUDA_CHECK(cudaMemcpyAsync(&bad, first_bad, sizeof(bad), cudaMemcpyDeviceToHost, stream), "max_unpool");
  EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), "max_unpool");
  if (bad < in_total) {
    EMBER_CUDA_CHECK(cudaMemcpyAsync(bad_index, indices.data_ptr<int64_t>() + bad, sizeof(int64_t),
                                     cudaMemcpyDeviceToHost, stream),
                     "max_unpool");
    EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), "max_unpool");
    return false;
  }
  unpool_gather_kernel<T><<<blocks_for(out_total, kThreads), kThreads, 0, stream>>>(
      input.data_ptr<T>(), win, out.data_ptr<T>(), out_total, in_n, out_n);
  EMBER_CUDA_CHECK_LAUNCH("max_unpool");
  return true;
}

bool max_unpool(const Tensor& input, const Tensor& indices, const Tensor& out, int64_t* bad_index) {
  bool ok = true;
  float_or_double(out.dtype(), "max_unpool", [&](auto t) {
    if (out.numel() > 0) ok = max_unpool_typed<decltype(t)>(input, indices, out, bad_index);
  });
  return ok;
}

}  // namespace

EMBER_REGISTER_KERNEL("max_pool", ::ember::kCUDA, &max_pool);
EMBER_REGISTER_KERNEL("max_pool_backward", ::ember::kCUDA, &max_pool_backward);
EMBER_REGISTER_KERNEL("max_unpool", ::ember::kCUDA, &max_unpool);
EMBER_REGISTER_KERNEL("avg_pool", ::ember::kCUDA, &avg_pool);
EMBER_REGISTER_KERNEL("avg_pool_backward", ::ember::kCUDA, &avg_pool_backward);

}  // namespace ember::cuda
