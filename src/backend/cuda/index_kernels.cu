// CUDA kernels of the index family (see dispatch/index_kernels.h): offset walks, index checks, gathers
// and scatters by element offset, gather/scatter along a dim, nonzero and mask offsets. Accumulating
// scatters use atomics, so with duplicate indices a floating sum can differ from the CPU's serial one in
// its last bits, as PyTorch's CUDA scatter_add does; integer sums, max and min are exact. Index checks
// and nonzero read their result back to the host, which waits for the stream (PyTorch's nonzero does
// the same; its index checks are device asserts instead, which end the process).
#include <thrust/iterator/counting_iterator.h>

#include <cub/device/device_reduce.cuh>
#include <cub/device/device_select.cuh>

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/common/scatter_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/atomic_combine.cuh"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/device_buffers.h"
#include "backend/cuda/stream.h"
#include "backend/cuda/walk.cuh"
#include "dispatch/index_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::ScatterMode;
using kernels::visit_dtype;

constexpr int kThreads = 256;

void check_launch(const char* op) { EMBER_CUDA_CHECK_LAUNCH(op); }

// ---- offsets of a strided walk ----
__global__ void strided_offsets_kernel(int64_t* out, int64_t n, Walk<1> w, int remap_dim, const int64_t* remap,
                                       const int64_t* extra, int64_t extra_scale) {
  EMBER_GRID_LOOP(i, n) {
    int64_t linear = i, off = 0;
    for (int d = w.nd - 1; d >= 0; --d) {
      const int64_t c = linear % w.sizes[d];
      linear /= w.sizes[d];
      off += (remap && d == remap_dim ? remap[c] : c) * w.strides[d][0];
    }
    out[i] = off + (extra ? extra[i] * extra_scale : 0);
  }
}

void strided_offsets(Tensor& out, IntArrayRef strides, int64_t remap_dim, const Tensor& remap, const Tensor& extra,
                     int64_t extra_scale) {
  const int64_t n = out.numel();
  if (n == 0) return;
  const IntArrayRef st[1] = {strides};
  strided_offsets_kernel<<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
      out.data_ptr<int64_t>(), n, make_walk<1>(out.sizes(), st, "index"), int(remap_dim),
      remap.defined() ? remap.data_ptr<int64_t>() : nullptr, extra.defined() ? extra.data_ptr<int64_t>() : nullptr,
      extra_scale);
  check_launch("index");
}

// ---- index checks ----
// state[0]: the smallest position holding a value outside [lo, size) (all ones when none); state[1]:
// whether any value is negative.
__global__ void check_kernel(const int64_t* idx, int64_t n, int64_t lo, int64_t size,
                             unsigned long long* state) {
  EMBER_GRID_LOOP(i, n) {
    const int64_t v = idx[i];
    if (v < lo || v >= size) atomicMin(&state[0], (unsigned long long)i);
    if (v < 0) state[1] = 1;
  }
}

bool check(const Tensor& idx, int64_t size, bool allow_negative, int64_t& bad, bool& has_negative) {
  const int64_t n = idx.numel();
  Tensor state = device_buffer(2, kInt64, idx);
  cudaStream_t stream = current_stream();
  auto* s = static_cast<unsigned long long*>(state.data_ptr());
  EMBER_CUDA_CHECK(cudaMemsetAsync(s, 0xff, sizeof(unsigned long long), stream), "index");
  EMBER_CUDA_CHECK(cudaMemsetAsync(s + 1, 0, sizeof(unsigned long long), stream), "index");
  check_kernel<<<blocks_for(n, kThreads), kThreads, 0, stream>>>(idx.data_ptr<int64_t>(), n,
                                                                  allow_negative ? -size : 0, size, s);
  check_launch("index");
  unsigned long long host[2];
  read_back(host, s, 2, "index");
  if (host[0] != std::numeric_limits<unsigned long long>::max()) {
    read_back(&bad, idx.data_ptr<int64_t>() + host[0], 1, "index");
    return false;
  }
  has_negative = host[1] != 0;
  return true;
}

__global__ void wrap_kernel(int64_t* idx, int64_t n, int64_t size) {
  EMBER_GRID_LOOP(i, n) {
    if (idx[i] < 0) idx[i] += size;
  }
}

void wrap(Tensor& idx, int64_t size) {
  const int64_t n = idx.numel();
  if (n == 0) return;
  wrap_kernel<<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(idx.data_ptr<int64_t>(), n, size);
  check_launch("index");
}

// ---- gather and scatter by offset ----
template <class Word>
__global__ void gather_kernel(const Word* src, const int64_t* off, Word* out, int64_t n) {
  EMBER_GRID_LOOP(i, n) { out[i] = src[off[i]]; }
}

template <class Word>
void launch_gather(const Tensor& src, const Tensor& offsets, Tensor& out) {
  const int64_t n = out.numel();
  gather_kernel<Word><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
      static_cast<const Word*>(src.data_ptr()), offsets.data_ptr<int64_t>(), static_cast<Word*>(out.data_ptr()), n);
  check_launch("index");
}

void gather(const Tensor& src, const Tensor& offsets, Tensor& out) {
  if (out.numel() == 0) return;
  switch (src.element_size()) {
    case 1: return launch_gather<uint8_t>(src, offsets, out);
    case 2: return launch_gather<uint16_t>(src, offsets, out);
    case 4: return launch_gather<uint32_t>(src, offsets, out);
    default: return launch_gather<uint64_t>(src, offsets, out);
  }
}

template <class T>
__global__ void scatter_kernel(T* dst, const int64_t* off, const T* values, int64_t vstep, int64_t n,
                               ScatterMode mode) {
  EMBER_GRID_LOOP(i, n) {
    if (mode == ScatterMode::Copy) dst[off[i]] = values[i * vstep];
    else atomic_combine(dst + off[i], values[i * vstep], mode);
  }
}

void scatter(Tensor& dst, const Tensor& offsets, const Tensor& values, ScatterMode mode) {
  const int64_t n = offsets.numel();
  if (n == 0) return;
  visit_dtype(dst.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    scatter_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
        static_cast<T*>(dst.data_ptr()), offsets.data_ptr<int64_t>(), static_cast<const T*>(values.data_ptr()),
        values.numel() == 1 ? 0 : 1, n, mode);
  });
  check_launch("index");
}

// ---- gather / scatter along a dim ----
// Operands of the walk: 0 self (its stride along dim zeroed), 1 idx, 2 other.
template <class T>
__global__ void along_dim_kernel(T* self, const int64_t* idx, T* other, int64_t n, Walk<3> w, int64_t dim_stride,
                                 bool gather, ScatterMode mode) {
  EMBER_GRID_LOOP(p, n) {
    int64_t off[3];
    w.offsets(p, off);
    T* at = self + off[0] + idx[off[1]] * dim_stride;
    if (gather) other[off[2]] = *at;
    else if (mode == ScatterMode::Copy) *at = other[off[2]];
    else atomic_combine(at, other[off[2]], mode);
  }
}

void along_dim(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& other, bool gather, ScatterMode mode) {
  const int64_t n = idx.numel();
  if (n == 0) return;
  DimVector self_strides(self.strides());
  const int64_t dim_stride = self_strides[size_t(dim)];
  self_strides[size_t(dim)] = 0;
  const IntArrayRef st[3] = {self_strides, idx.strides(), other.strides()};
  const Walk<3> w = make_walk<3>(idx.sizes(), st, gather ? "gather" : "scatter");
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    along_dim_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
        static_cast<T*>(self.data_ptr()), idx.data_ptr<int64_t>(), static_cast<T*>(other.data_ptr()), n, w,
        dim_stride, gather, mode);
  });
  check_launch(gather ? "gather" : "scatter");
}

// ---- nonzero and mask offsets ----
template <class T>
__global__ void flag_nonzero_kernel(const T* p, int64_t n, bool* flags) {
  EMBER_GRID_LOOP(i, n) {
    if constexpr (std::is_same_v<T, bool>) flags[i] = p[i];
    else flags[i] = kernels::scatter_compute_t<T>(p[i]) != kernels::scatter_compute_t<T>(0);
  }
}

// Row-major positions of the non-zero elements of a contiguous tensor, in order, and their count.
Tensor nonzero_positions(const Tensor& self, const char* op) {
  const int64_t n = self.numel();
  cudaStream_t stream = current_stream();
  Tensor flags = device_buffer(n, kBool, self);
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    flag_nonzero_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, stream>>>(static_cast<const T*>(self.data_ptr()),
                                                                              n, flags.data_ptr<bool>());
  });
  check_launch(op);
  Tensor positions = device_buffer(n, kInt64, self);
  Tensor count = device_buffer(1, kInt64, self);
  thrust::counting_iterator<int64_t> first(0);
  size_t temp_bytes = 0;
  EMBER_CUDA_CHECK(cub::DeviceSelect::Flagged(nullptr, temp_bytes, first, flags.data_ptr<bool>(),
                                              positions.data_ptr<int64_t>(), count.data_ptr<int64_t>(), n, stream),
                   op);
  Tensor temp = device_buffer(int64_t(temp_bytes), kUInt8, self);
  EMBER_CUDA_CHECK(cub::DeviceSelect::Flagged(temp.data_ptr(), temp_bytes, first, flags.data_ptr<bool>(),
                                              positions.data_ptr<int64_t>(), count.data_ptr<int64_t>(), n, stream),
                   op);
  int64_t found = 0;
  read_back(&found, count.data_ptr<int64_t>(), 1, op);
  return positions.slice(0, 0, found);
}

// coords: out (count, nd) holds each position's coordinates; otherwise out (count) its offset under the
// walk's strides.
__global__ void positions_to_kernel(const int64_t* pos, int64_t count, Walk<1> w, bool coords, int64_t* out) {
  EMBER_GRID_LOOP(j, count) {
    int64_t linear = pos[j], off = 0;
    for (int d = w.nd - 1; d >= 0; --d) {
      const int64_t c = linear % w.sizes[d];
      linear /= w.sizes[d];
      if (coords) out[j * w.nd + d] = c;
      else off += c * w.strides[d][0];
    }
    if (!coords) out[j] = off;
  }
}

Tensor nonzero_walk(const Tensor& self, bool coords, IntArrayRef strides, const char* op) {
  const int64_t nd = self.dim();
  Tensor pos = self.numel() == 0 ? device_buffer(0, kInt64, self) : nonzero_positions(self, op);
  const int64_t count = pos.numel();
  DimVector shape{count};
  if (coords) shape.push_back(nd);
  Tensor out = ember::empty(shape, TensorOptions(kInt64).device(self.device()));
  if (count == 0 || (coords && nd == 0)) return out;
  DimVector zero_strides(size_t(nd), 0);
  const IntArrayRef st[1] = {coords ? IntArrayRef(zero_strides) : strides};
  positions_to_kernel<<<blocks_for(count, kThreads), kThreads, 0, current_stream()>>>(
      pos.data_ptr<int64_t>(), count, make_walk<1>(self.sizes(), st, op), coords, out.data_ptr<int64_t>());
  check_launch(op);
  return out;
}

Tensor nonzero(const Tensor& self) { return nonzero_walk(self, true, {}, "nonzero"); }
Tensor mask_offsets(const Tensor& mask, IntArrayRef strides) { return nonzero_walk(mask, false, strides, "masked"); }

// ---- small reductions and the scatter mean's division ----
void index_minmax(const Tensor& t, int64_t& mn, int64_t& mx) {
  const int64_t n = t.numel();
  cudaStream_t stream = current_stream();
  Tensor result = device_buffer(2, kInt64, t);
  const int64_t* in = t.data_ptr<int64_t>();
  int64_t* r = result.data_ptr<int64_t>();
  size_t min_bytes = 0, max_bytes = 0;
  EMBER_CUDA_CHECK(cub::DeviceReduce::Min(nullptr, min_bytes, in, r, n, stream), "one_hot");
  EMBER_CUDA_CHECK(cub::DeviceReduce::Max(nullptr, max_bytes, in, r + 1, n, stream), "one_hot");
  Tensor temp = device_buffer(int64_t(std::max(min_bytes, max_bytes)), kUInt8, t);
  EMBER_CUDA_CHECK(cub::DeviceReduce::Min(temp.data_ptr(), min_bytes, in, r, n, stream), "one_hot");
  EMBER_CUDA_CHECK(cub::DeviceReduce::Max(temp.data_ptr(), max_bytes, in, r + 1, n, stream), "one_hot");
  int64_t host[2];
  read_back(host, r, 2, "one_hot");
  mn = host[0];
  mx = host[1];
}

template <class T>
__global__ void mean_divide_kernel(T* s, const T* c, int64_t n) {
  EMBER_GRID_LOOP(i, n) { kernels::scatter_mean_divide<T>(s[i], c[i]); }
}

void mean_divide(Tensor& self, const Tensor& count) {
  const int64_t n = self.numel();
  if (n == 0) return;
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    mean_divide_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
        static_cast<T*>(self.data_ptr()), static_cast<const T*>(count.data_ptr()), n);
  });
  check_launch("scatter_reduce");
}

#undef EMBER_GRID_LOOP

}  // namespace

EMBER_REGISTER_KERNEL("index_strided_offsets", ::ember::kCUDA, &strided_offsets);
EMBER_REGISTER_KERNEL("index_check", ::ember::kCUDA, &check);
EMBER_REGISTER_KERNEL("index_wrap", ::ember::kCUDA, &wrap);
EMBER_REGISTER_KERNEL("index_gather", ::ember::kCUDA, &gather);
EMBER_REGISTER_KERNEL("index_scatter", ::ember::kCUDA, &scatter);
EMBER_REGISTER_KERNEL("index_along_dim", ::ember::kCUDA, &along_dim);
EMBER_REGISTER_KERNEL("index_nonzero", ::ember::kCUDA, &nonzero);
EMBER_REGISTER_KERNEL("index_mask_offsets", ::ember::kCUDA, &mask_offsets);
EMBER_REGISTER_KERNEL("index_minmax", ::ember::kCUDA, &index_minmax);
EMBER_REGISTER_KERNEL("index_mean_divide", ::ember::kCUDA, &mean_divide);

}  // namespace ember::cuda
