// CPU kernels of sort, topk and kthvalue, and the take/put-along-dim pair their gradients use. Each
// slice along the sorted dim is copied into a key buffer and ordered with std::sort, std::partial_sort
// or std::nth_element on an index array, comparing equal keys by position, which makes every order
// stable; slices run in parallel.
#include <algorithm>
#include <numeric>
#include <vector>

#include "backend/common/visit_dtype.h"
#include "backend/cpu/sort_common.h"
#include "core/parallel.h"
#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"

namespace ember::kernels {
namespace {

// Calls body(slice, self_offset, out_offset, index_offset) for every slice, in parallel.
template <class F>
void for_each_slice(IntArrayRef sizes, int64_t dim, const Tensor& self, const Tensor& values, const Tensor& indices,
                    int64_t work_per_slice, const F& body) {
  int64_t n = num_slices(sizes, dim);
  core::parallel_for(0, n, slice_grain(work_per_slice), [&](int64_t b, int64_t e) {
    for (int64_t s = b; s < e; ++s)
      body(slice_offset(sizes, self.strides(), dim, s), slice_offset(sizes, values.strides(), dim, s),
           slice_offset(sizes, indices.strides(), dim, s));
  });
}

// Orders positions i, j of a slice by key, ties by position (which makes every sort stable).
template <class K>
struct SliceOrder {
  const K* key;
  bool descending;
  bool operator()(int64_t i, int64_t j) const {
    K a = key[i], b = key[j];
    if (descending ? nan_last_less(b, a) : nan_last_less(a, b)) return true;
    if (descending ? nan_last_less(a, b) : nan_last_less(b, a)) return false;
    return i < j;
  }
};

// Reads slice `s0` of `self` (stride `st`, n elements) into keys and fills order with 0..n-1.
template <class T, class K>
void load_slice(const T* s0, int64_t st, int64_t n, std::vector<K>& key, std::vector<int64_t>& order) {
  key.resize(size_t(n));
  order.resize(size_t(n));
  for (int64_t i = 0; i < n; ++i) key[size_t(i)] = K(s0[i * st]);
  std::iota(order.begin(), order.end(), int64_t(0));
}

// Writes the first m positions of order (values from the slice, indices as positions).
template <class T>
void store_slice(const T* s0, int64_t st, const std::vector<int64_t>& order, int64_t m, T* v0, int64_t vst,
                 int64_t* i0, int64_t ist) {
  for (int64_t j = 0; j < m; ++j) {
    int64_t p = order[size_t(j)];
    v0[j * vst] = s0[p * st];
    i0[j * ist] = p;
  }
}

// Orders each slice along dim with arrange(order, less) and writes the first `count` positions of the
// resulting order (values and indices): the shared body of sort, topk and kthvalue. `cost` is the work
// per element, for the threading grain.
template <class Arrange>
void order_slices(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, bool descending,
                  int64_t count, int64_t cost, const Arrange& arrange) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    int64_t n = self.sizes()[size_t(dim)];
    const T* src = static_cast<const T*>(self.data_ptr());
    T* vals = static_cast<T*>(values.data_ptr());
    int64_t* idx = static_cast<int64_t*>(indices.data_ptr());
    int64_t st = self.strides()[size_t(dim)], vst = values.strides()[size_t(dim)],
            ist = indices.strides()[size_t(dim)];
    for_each_slice(self.sizes(), dim, self, values, indices, n * cost, [&](int64_t so, int64_t vo, int64_t io) {
      thread_local std::vector<K> key;
      thread_local std::vector<int64_t> order;
      load_slice(src + so, st, n, key, order);
      arrange(order, SliceOrder<K>{key.data(), descending});
      store_slice(src + so, st, order, count, vals + vo, vst, idx + io, ist);
    });
  });
}

void sort_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, bool descending) {
  order_slices(self, values, indices, dim, descending, self.sizes()[size_t(dim)], 8,
               [](std::vector<int64_t>& order, const auto& less) { std::sort(order.begin(), order.end(), less); });
}

void topk_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k,
                 bool largest) {
  order_slices(self, values, indices, dim, largest, k, 4, [k](std::vector<int64_t>& order, const auto& less) {
    std::partial_sort(order.begin(), order.begin() + k, order.end(), less);
  });
}

void kthvalue_kernel(const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim, int64_t k) {
  // The k-th smallest moves to the front, so the one stored position is it.
  order_slices(self, values, indices, dim, false, 1, 2, [k](std::vector<int64_t>& order, const auto& less) {
    std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), less);
    std::swap(order[0], order[size_t(k - 1)]);
  });
}

// Walks the slices along dim of `index` (whose sizes drive the iteration) with src and out.
template <class F>
void for_each_index_slice(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim, const F& body) {
  IntArrayRef sizes = index.sizes();
  int64_t n = sizes.empty() ? 1 : sizes[size_t(dim)];
  int64_t slices = num_slices(sizes, dim);
  core::parallel_for(0, slices, slice_grain(n), [&](int64_t b, int64_t e) {
    for (int64_t s = b; s < e; ++s)
      body(slice_offset(sizes, src.strides(), dim, s), slice_offset(sizes, index.strides(), dim, s),
           slice_offset(sizes, out.strides(), dim, s), n);
  });
}

int64_t dim_stride(const Tensor& t, int64_t dim) { return t.dim() == 0 ? 0 : t.strides()[size_t(dim)]; }

void take_along_dim_kernel(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim) {
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* s = static_cast<const T*>(src.data_ptr());
    const int64_t* ix = static_cast<const int64_t*>(index.data_ptr());
    T* o = static_cast<T*>(out.data_ptr());
    int64_t sst = dim_stride(src, dim), ist = dim_stride(index, dim), ost = dim_stride(out, dim);
    for_each_index_slice(src, index, out, dim, [&](int64_t so, int64_t io, int64_t oo, int64_t n) {
      for (int64_t j = 0; j < n; ++j) o[oo + j * ost] = s[so + ix[io + j * ist] * sst];
    });
  });
}

void put_along_dim_kernel(const Tensor& src, const Tensor& index, const Tensor& out, int64_t dim) {
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    const T* s = static_cast<const T*>(src.data_ptr());
    const int64_t* ix = static_cast<const int64_t*>(index.data_ptr());
    T* o = static_cast<T*>(out.data_ptr());
    int64_t sst = dim_stride(src, dim), ist = dim_stride(index, dim), ost = dim_stride(out, dim);
    // Slices of `index` map one to one onto slices of `out`, so threads never write the same element.
    for_each_index_slice(out, index, src, dim, [&](int64_t oo, int64_t io, int64_t so, int64_t n) {
      for (int64_t j = 0; j < n; ++j) {
        T& dst = o[oo + ix[io + j * ist] * ost];
        if constexpr (std::is_same_v<T, bool>) dst = dst || s[so + j * sst];
        else dst = T(K(dst) + K(s[so + j * sst]));
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("sort", ::ember::kCPU, &sort_kernel);
EMBER_REGISTER_KERNEL("topk", ::ember::kCPU, &topk_kernel);
EMBER_REGISTER_KERNEL("kthvalue", ::ember::kCPU, &kthvalue_kernel);
EMBER_REGISTER_KERNEL("sort_take_along_dim", ::ember::kCPU, &take_along_dim_kernel);
EMBER_REGISTER_KERNEL("sort_put_along_dim", ::ember::kCPU, &put_along_dim_kernel);

}  // namespace ember::kernels
