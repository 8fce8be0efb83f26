// CUDA kernels of sort, topk and kthvalue through CUB's radix sort, and the take/put-along-dim pair
// their gradients use. Every slice along the sorted dim is ordered at once by two stable passes: all
// elements by key, then by slice number, which leaves each slice's elements together, in key order,
// equal keys in their original order: the CPU's stable order. Keys are the elements' bits mapped so
// that unsigned order is PyTorch's order (NaN above everything and equal to every NaN, -0 equal to 0);
// a descending sort complements them, which keeps equal keys in position order, as the CPU does.
// topk takes the first k of the descending (or ascending) order and kthvalue its k-th element.
#include <cub/device/device_radix_sort.cuh>

#include <cstdint>
#include <cstring>
#include <type_traits>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/common/visit_dtype.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "backend/cuda/walk.cuh"
#include "dispatch/index_kernels.h"
#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"

namespace ember::cuda {
namespace {

using kernels::visit_dtype;

constexpr int kThreads = 256;
// A walk over `sizes` with dim `dim` moved last (its size replaced by `len`), with each tensor's strides in
// that order.
template <int N>
Walk<N> slice_walk(IntArrayRef sizes, int64_t dim, int64_t len, const Tensor* const (&tensors)[N]) {
  DimVector order_sizes;
  DimVector order_strides[N];
  auto add = [&](int64_t d, int64_t size) {
    order_sizes.push_back(size);
    for (int k = 0; k < N; ++k) order_strides[k].push_back(tensors[k]->strides()[size_t(d)]);
  };
  for (int64_t d = 0; d < int64_t(sizes.size()); ++d)
    if (d != dim) add(d, sizes[size_t(d)]);
  add(dim, len);
  IntArrayRef strides[N];
  for (int k = 0; k < N; ++k) strides[k] = order_strides[k];
  return make_walk<N>(order_sizes, strides, "sort");
}

template <size_t Bytes>
using key_word_t = std::conditional_t<Bytes == 1, uint8_t,
                                      std::conditional_t<Bytes == 2, uint16_t,
                                                         std::conditional_t<Bytes == 4, uint32_t, uint64_t>>>;

// Unsigned key whose order is PyTorch's sort order for T.
template <class T>
__device__ key_word_t<sizeof(T)> sort_key(T v) {
  using K = key_word_t<sizeof(T)>;
  K bits;
  memcpy(&bits, &v, sizeof(T));
  constexpr K sign = K(K(1) << (8 * sizeof(T) - 1));
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, uint8_t>) {
    return bits;
  } else if constexpr (std::is_integral_v<T>) {
    return K(bits ^ sign);
  } else {
    // Floating types (float, double, Half, BFloat16): exponent all ones marks inf/NaN.
    constexpr K magnitude = K(sign - 1);
    constexpr K inf = std::is_same_v<T, float>    ? K(0x7f800000u)
                      : std::is_same_v<T, double> ? K(0x7ff0000000000000ull)
                      : std::is_same_v<T, Half>   ? K(0x7c00u)
                                                  : K(0x7f80u);
    if ((bits & magnitude) > inf) bits = K(inf + 1);  // every NaN is one value, above +inf
    if ((bits & magnitude) == 0) bits = 0;            // -0 is 0
    return (bits & sign) ? K(~bits) : K(bits | sign);
  }
}

template <class T, class K>
__global__ void load_keys_kernel(const T* self, Walk<1> w, int64_t total, bool descending, K* keys,
                                 int64_t* pos) {
  for (int64_t p = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; p < total; p += int64_t(gridDim.x) * blockDim.x) {
    int64_t off[1];
    w.offsets(p, off);
    const K k = sort_key(self[off[0]]);
    keys[p] = descending ? K(~k) : k;
    pos[p] = p;
  }
}

template <class S>
__global__ void slice_of_kernel(const int64_t* pos, int64_t total, int64_t n, S* slice) {
  for (int64_t j = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; j < total; j += int64_t(gridDim.x) * blockDim.x)
    slice[j] = S(pos[j] / n);
}

// Output element q = (slice s, rank r) of `count` per slice takes the element at rank first + r.
template <class T>
__global__ void store_kernel(const T* self, Walk<1> in, const int64_t* order, int64_t n, int64_t first,
                             int64_t count, int64_t total_out, Walk<2> out, T* values, int64_t* indices) {
  for (int64_t q = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; q < total_out;
       q += int64_t(gridDim.x) * blockDim.x) {
    const int64_t p = order[(q / count) * n + first + q % count];
    int64_t src[1], dst[2];
    in.offsets(p, src);
    out.offsets(q, dst);
    values[dst[0]] = self[src[0]];
    indices[dst[1]] = p % n;
  }
}

// One CUB radix sort of (keys, values) pairs over bits [0, end_bit), into the *_out buffers.
template <class K>
void radix_sort(const K* keys_in, K* keys_out, const int64_t* vals_in, int64_t* vals_out, int64_t total, int end_bit,
                const Tensor& like) {
  cudaStream_t stream = current_stream();
  size_t temp_bytes = 0;
  EMBER_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys_in, keys_out, vals_in, vals_out, total, 0,
                                                   end_bit, stream),
                   "sort");
  Tensor temp = ember::empty({int64_t(temp_bytes)}, TensorOptions(kUInt8).device(like.device()));
  EMBER_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(temp.data_ptr(), temp_bytes, keys_in, keys_out, vals_in, vals_out,
                                                   total, 0, end_bit, stream),
                   "sort");
}

Tensor int64_buffer(int64_t n, const Tensor& like) {
  return ember::empty({n}, TensorOptions(kInt64).device(like.device()));
}

// Positions (slice * n + index) of every element in sorted order, slice after slice.
template <class T>
Tensor sorted_positions(const Tensor& self, int64_t dim, bool descending) {
  using K = key_word_t<sizeof(T)>;
  const int64_t n = self.sizes()[size_t(dim)], total = self.numel(), slices = total / n;
  const Tensor* const in[1] = {&self};
  const Walk<1> walk = slice_walk<1>(self.sizes(), dim, n, in);
  cudaStream_t stream = current_stream();
  Tensor keys = ember::empty({2 * total * int64_t(sizeof(K))}, TensorOptions(kUInt8).device(self.device()));
  K* keys_in = static_cast<K*>(keys.data_ptr());
  K* keys_out = keys_in + total;
  Tensor pos_a = int64_buffer(total, self), pos_b = int64_buffer(total, self);
  load_keys_kernel<T, K><<<blocks_for(total, kThreads), kThreads, 0, stream>>>(
      static_cast<const T*>(self.data_ptr()), walk, total, descending, keys_in, pos_a.data_ptr<int64_t>());
  EMBER_CUDA_CHECK_LAUNCH("sort");
  radix_sort<K>(keys_in, keys_out, pos_a.data_ptr<int64_t>(), pos_b.data_ptr<int64_t>(), total, int(8 * sizeof(K)),
                self);
  if (slices == 1) return pos_b;
  int slice_bits = 0;
  while (slice_bits < 63 && (int64_t(1) << slice_bits) < slices) ++slice_bits;
  auto by_slice = [&](auto word) {
    using S = decltype(word);
    Tensor s = ember::empty({2 * total * int64_t(sizeof(S))}, TensorOptions(kUInt8).device(self.device()));
    S* s_in = static_cast<S*>(s.data_ptr());
    slice_of_kernel<S><<<blocks_for(total, kThreads), kThreads, 0, stream>>>(pos_b.data_ptr<int64_t>(), total, n, s_in);
    EMBER_CUDA_CHECK_LAUNCH("sort");
    radix_sort<S>(s_in, s_in + total, pos_b.data_ptr<int64_t>(), pos_a.data_ptr<int64_t>(), total, slice_bits, self);
  };
  if (slice_bits <= 32) by_slice(uint32_t{});
  else by_slice(uint64_t{});
  return pos_a;
}

// Writes ranks [first, first + count) of every slice's order into values/indices (size count along dim).
void ordered(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, bool descending,
             int64_t first, int64_t count) {
  const int64_t n = self.sizes()[size_t(dim)];
  if (self.numel() == 0 || count == 0) return;
  const Tensor* const in[1] = {&self};
  const Tensor* const out[2] = {&values, &indices};
  const Walk<1> in_walk = slice_walk<1>(self.sizes(), dim, n, in);
  const Walk<2> out_walk = slice_walk<2>(values.sizes(), dim, count, out);
  const int64_t total_out = values.numel();
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor order = sorted_positions<T>(self, dim, descending);
    store_kernel<T><<<blocks_for(total_out, kThreads), kThreads, 0, current_stream()>>>(
        static_cast<const T*>(self.data_ptr()), in_walk, order.data_ptr<int64_t>(), n, first, count, total_out,
        out_walk, static_cast<T*>(values.data_ptr()), indices.data_ptr<int64_t>());
  });
  EMBER_CUDA_CHECK_LAUNCH("sort");
}

void sort(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, bool descending) {
  ordered(self, values, indices, dim, descending, 0, self.sizes()[size_t(dim)]);
}

void topk(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k, bool largest) {
  ordered(self, values, indices, dim, largest, 0, k);
}

void kthvalue(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k) {
  ordered(self, values, indices, dim, false, k - 1, 1);
}

// The gradients' gather and scatter-add along dim are the index family's along-dim kernel.
void along_dim(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& other, bool gather,
               dispatch::ScatterMode mode) {
  static auto& k = dispatch::slot("index_along_dim");
  dispatch::kernel<dispatch::IndexAlongDimKernel>(k, kCUDA)(self, dim, idx, other, gather, mode);
}

void take_along_dim(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim) {
  along_dim(src, dim, index, out, true, dispatch::ScatterMode::Copy);
}

void put_along_dim(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim) {
  along_dim(out, dim, index, src, false, dispatch::ScatterMode::Add);
}

}  // namespace

EMBER_REGISTER_KERNEL("sort", ::ember::kCUDA, &sort);
EMBER_REGISTER_KERNEL("topk", ::ember::kCUDA, &topk);
EMBER_REGISTER_KERNEL("kthvalue", ::ember::kCUDA, &kthvalue);
EMBER_REGISTER_KERNEL("sort_take_along_dim", ::ember::kCUDA, &take_along_dim);
EMBER_REGISTER_KERNEL("sort_put_along_dim", ::ember::kCUDA, &put_along_dim);

}  // namespace ember::cuda
