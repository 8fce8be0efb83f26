// CUDA kernels of searchsorted, unique, bincount and histc (see dispatch/sort_kernels.h), with the CPU
// kernels' rules: the same bisection (negated comparisons, so NaN lands where PyTorch puts it), unique's
// groups in PyTorch's order (NaN after every number and never equal to anything, -0 equal to 0) with
// the first element of each group as its value, and the same bin arithmetic. unique sorts row numbers
// with CUB's stable merge sort, so its groups, inverse and counts are the CPU's exactly; a weighted
// bincount adds with atomics, so a float sum over repeated bins may differ from the CPU's in its last
// bits, as PyTorch's CUDA bincount does. unique reads its group count back to the host (its output
// size), which waits for the stream, as PyTorch's does.
#include <thrust/iterator/transform_iterator.h>

#include <cub/device/device_merge_sort.cuh>
#include <cub/device/device_reduce.cuh>
#include <cub/device/device_scan.cuh>

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <ember/tensor.h>

#include "backend/common/sort_keys.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/atomic_combine.cuh"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/device_buffers.h"
#include "backend/cuda/stream.h"
#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"

namespace ember::cuda {
namespace {

using kernels::sort_key_t;
using kernels::visit_dtype;

constexpr int kThreads = 256;

template <class K>
__device__ bool is_nan(K v) {
  if constexpr (std::is_floating_point_v<K>) return v != v;
  else return false;
}

// ---- searchsorted ----
template <class T, class O>
__global__ void searchsorted_kernel(const T* boundaries, const int64_t* sorter, const T* values, O* out,
                                    int64_t total, int64_t m, int64_t n, bool one_row, bool right) {
  using K = sort_key_t<T>;
  EMBER_GRID_LOOP(i, total) {
    const int64_t r = one_row ? 0 : i / m;
    const T* row = boundaries + r * n;
    const int64_t* srow = sorter ? sorter + r * n : nullptr;
    const K v = K(values[i]);
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      const K at = K(row[srow ? srow[mid] : mid]);
      if (right ? !(at > v) : !(at >= v)) lo = mid + 1;
      else hi = mid;
    }
    out[i] = O(lo);
  }
}

void searchsorted(const Tensor& boundaries, const Tensor& sorter, const Tensor& values, const Tensor& out,
                  bool right) {
  const int64_t rows = out.size(0), m = out.size(1), n = boundaries.size(1), total = out.numel();
  const bool one_row = boundaries.size(0) == 1 && rows > 1;
  const int64_t* so = sorter.defined() ? sorter.data_ptr<int64_t>() : nullptr;
  visit_dtype(boundaries.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* bd = static_cast<const T*>(boundaries.data_ptr());
    const T* vs = static_cast<const T*>(values.data_ptr());
    if (out.dtype() == kInt32)
      searchsorted_kernel<T, int32_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
          bd, so, vs, out.data_ptr<int32_t>(), total, m, n, one_row, right);
    else
      searchsorted_kernel<T, int64_t><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
          bd, so, vs, out.data_ptr<int64_t>(), total, m, n, one_row, right);
  });
  EMBER_CUDA_CHECK_LAUNCH("searchsorted");
}

// ---- unique: rows of m elements (m = 1 for the flat form) ----
// Row a before row b in PyTorch's order: element by element, NaN after every number.
template <class T>
struct RowLess {
  const T* data;
  int64_t m;
  __device__ bool operator()(int64_t a, int64_t b) const {
    using K = sort_key_t<T>;
    for (int64_t c = 0; c < m; ++c) {
      const K x = K(data[a * m + c]), y = K(data[b * m + c]);
      if (x < y || (!is_nan(x) && is_nan(y))) return true;
      if (y < x || (!is_nan(y) && is_nan(x))) return false;
    }
    return false;
  }
};

// NaN equals nothing, itself included, so every NaN is a group of its own, as on the CPU.
template <class T>
__device__ bool rows_equal(const T* data, int64_t m, int64_t a, int64_t b) {
  using K = sort_key_t<T>;
  for (int64_t c = 0; c < m; ++c)
    if (!(K(data[a * m + c]) == K(data[b * m + c]))) return false;
  return true;
}

__global__ void iota_kernel(int64_t* out, int64_t n) {
  EMBER_GRID_LOOP(i, n) { out[i] = i; }
}

// group[j] = 1 where the j-th row in order starts a group, else 0 (an inclusive sum makes it the group's
// number plus one).
template <class T>
__global__ void group_starts_kernel(const T* data, int64_t m, const int64_t* order, int64_t n, int64_t* group) {
  EMBER_GRID_LOOP(j, n) {
    const int64_t p = order ? order[j] : j;
    group[j] = (j == 0 || !rows_equal(data, m, p, order ? order[j - 1] : j - 1)) ? 1 : 0;
  }
}

// After the sum: every row's group number into inverse, and each group's first row and its rank.
__global__ void groups_kernel(const int64_t* order, const int64_t* group, int64_t n, int64_t* inverse,
                              int64_t* first_row, int64_t* start) {
  EMBER_GRID_LOOP(j, n) {
    const int64_t p = order ? order[j] : j, g = group[j] - 1;
    inverse[p] = g;
    if (j == 0 || group[j - 1] != group[j]) {
      first_row[g] = p;
      start[g] = j;
    }
  }
}

__global__ void counts_kernel(const int64_t* start, int64_t u, int64_t n, int64_t* counts) {
  EMBER_GRID_LOOP(g, u) { counts[g] = (g + 1 < u ? start[g + 1] : n) - start[g]; }
}

template <class T>
__global__ void first_values_kernel(const T* data, const int64_t* first_row, int64_t u, T* values) {
  EMBER_GRID_LOOP(g, u) { values[g] = data[first_row[g]]; }
}

template <class F>
void cub_call(const Tensor& like, const char* op, const F& call) {
  size_t bytes = 0;
  EMBER_CUDA_CHECK(call(nullptr, bytes), op);
  Tensor temp = device_buffer(int64_t(bytes), kUInt8, like);
  EMBER_CUDA_CHECK(call(temp.data_ptr(), bytes), op);
}

// Groups the n rows of `rows` (n, m): fills inverse (n), first_row and counts (first u entries), returns u.
template <class T>
int64_t group_rows(const Tensor& rows, int64_t n, int64_t m, bool consecutive, const Tensor& first_row,
                   const Tensor& inverse, const Tensor& counts) {
  const cudaStream_t stream = current_stream();
  const T* data = static_cast<const T*>(rows.data_ptr());
  Tensor order;
  if (!consecutive) {
    order = device_buffer(n, kInt64, rows);
    iota_kernel<<<blocks_for(n, kThreads), kThreads, 0, stream>>>(order.data_ptr<int64_t>(), n);
    EMBER_CUDA_CHECK_LAUNCH("unique");
    int64_t* keys = order.data_ptr<int64_t>();
    cub_call(rows, "unique", [&](void* temp, size_t& bytes) {
      return cub::DeviceMergeSort::StableSortKeys(temp, bytes, keys, n, RowLess<T>{data, m}, stream);
    });
  }
  const int64_t* ord = order.defined() ? order.data_ptr<int64_t>() : nullptr;
  Tensor group = device_buffer(n, kInt64, rows), start = device_buffer(n, kInt64, rows);
  int64_t* g = group.data_ptr<int64_t>();
  group_starts_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, stream>>>(data, m, ord, n, g);
  EMBER_CUDA_CHECK_LAUNCH("unique");
  cub_call(rows, "unique", [&](void* temp, size_t& bytes) {
    return cub::DeviceScan::InclusiveSum(temp, bytes, g, g, n, stream);
  });
  groups_kernel<<<blocks_for(n, kThreads), kThreads, 0, stream>>>(ord, g, n, inverse.data_ptr<int64_t>(),
                                                                  first_row.data_ptr<int64_t>(),
                                                                  start.data_ptr<int64_t>());
  EMBER_CUDA_CHECK_LAUNCH("unique");
  int64_t u = 0;
  read_back(&u, g + (n - 1), 1, "unique");
  counts_kernel<<<blocks_for(u, kThreads), kThreads, 0, stream>>>(start.data_ptr<int64_t>(), u, n,
                                                                  counts.data_ptr<int64_t>());
  EMBER_CUDA_CHECK_LAUNCH("unique");
  return u;
}

int64_t unique(const Tensor& flat, bool consecutive, const Tensor& values, const Tensor& inverse,
               const Tensor& counts) {
  const int64_t n = flat.numel();
  return visit_dtype(flat.dtype(), [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    Tensor first_row = device_buffer(n, kInt64, flat);
    const int64_t u = group_rows<T>(flat, n, 1, consecutive, first_row, inverse, counts);
    first_values_kernel<T><<<blocks_for(u, kThreads), kThreads, 0, current_stream()>>>(
        static_cast<const T*>(flat.data_ptr()), first_row.data_ptr<int64_t>(), u, static_cast<T*>(values.data_ptr()));
    EMBER_CUDA_CHECK_LAUNCH("unique");
    return u;
  });
}

int64_t unique_rows(const Tensor& rows, bool consecutive, const Tensor& first_row, const Tensor& inverse,
                    const Tensor& counts) {
  return visit_dtype(rows.dtype(), [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    return group_rows<T>(rows, rows.size(0), rows.size(1), consecutive, first_row, inverse, counts);
  });
}

// ---- bincount and histc ----
template <class T>
__global__ void count_kernel(const T* in, int64_t n, unsigned long long* out) {
  EMBER_GRID_LOOP(i, n) { atomicAdd(out + int64_t(in[i]), 1ull); }
}

template <class T, class W>
__global__ void weighted_count_kernel(const T* in, const W* weights, int64_t n, W* out) {
  EMBER_GRID_LOOP(i, n) { atomicAdd(out + int64_t(in[i]), weights[i]); }
}

void bincount(const Tensor& self, const Tensor& weights, const Tensor& out) {
  const int64_t n = self.numel();
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T>) {
      const T* in = static_cast<const T*>(self.data_ptr());
      const unsigned grid = blocks_for(n, kThreads);
      if (!weights.defined())
        count_kernel<T><<<grid, kThreads, 0, current_stream()>>>(
            in, n, reinterpret_cast<unsigned long long*>(out.data_ptr<int64_t>()));
      else if (weights.dtype() == kFloat32)
        weighted_count_kernel<T, float><<<grid, kThreads, 0, current_stream()>>>(
            in, weights.data_ptr<float>(), n, out.data_ptr<float>());
      else
        weighted_count_kernel<T, double><<<grid, kThreads, 0, current_stream()>>>(
            in, weights.data_ptr<double>(), n, out.data_ptr<double>());
    }
  });
  EMBER_CUDA_CHECK_LAUNCH("bincount");
}

// The bin as the CPU computes it (linear position, the right edge in the last bin); every hit adds one
// in T, so the totals do not depend on the order of the atomics.
template <class T>
__global__ void histc_kernel(const T* in, int64_t n, T* out, int64_t bins, sort_key_t<T> lo, sort_key_t<T> hi) {
  using K = sort_key_t<T>;
  EMBER_GRID_LOOP(i, n) {
    const K x = K(in[i]);
    if (!(x >= lo && x <= hi)) continue;
    int64_t pos = int64_t((x - lo) * K(bins) / (hi - lo));
    if (pos >= bins) pos = bins - 1;
    atomic_combine<T>(out + pos, T(1), dispatch::ScatterMode::Add);
  }
}

void histc(const Tensor& self, const Tensor& out, double min, double max) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    if constexpr (std::is_floating_point_v<K>) {
      const int64_t n = self.numel();
      histc_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
          static_cast<const T*>(self.data_ptr()), n, static_cast<T*>(out.data_ptr()), out.numel(), K(T(min)),
          K(T(max)));
    }
  });
  EMBER_CUDA_CHECK_LAUNCH("histc");
}

// ---- (min, max) as doubles, NaN in either making both NaN ----
struct Range {
  double lo, hi;
};

template <class T>
struct ToRange {
  __device__ Range operator()(T v) const {
    const double x = double(sort_key_t<T>(v));
    return {x, x};
  }
};

struct Widen {
  __device__ Range operator()(Range a, Range b) const {
    if (a.lo != a.lo || b.lo != b.lo) return {NAN, NAN};
    return {a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi};
  }
};

void minmax(const Tensor& self, double* min, double* max) {
  const cudaStream_t stream = current_stream();
  Tensor result = device_buffer(2, kFloat64, self);
  auto* r = reinterpret_cast<Range*>(result.data_ptr<double>());
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    auto in = thrust::make_transform_iterator(static_cast<const T*>(self.data_ptr()), ToRange<T>{});
    cub_call(self, "minmax", [&](void* temp, size_t& bytes) {
      return cub::DeviceReduce::Reduce(temp, bytes, in, r, self.numel(), Widen{}, Range{INFINITY, -INFINITY},
                                       stream);
    });
  });
  double host[2];
  read_back(host, r, 2, "minmax");
  *min = host[0];
  *max = host[1];
}

}  // namespace

EMBER_REGISTER_KERNEL("searchsorted", ::ember::kCUDA, &searchsorted);
EMBER_REGISTER_KERNEL("unique", ::ember::kCUDA, &unique);
EMBER_REGISTER_KERNEL("unique_rows", ::ember::kCUDA, &unique_rows);
EMBER_REGISTER_KERNEL("bincount", ::ember::kCUDA, &bincount);
EMBER_REGISTER_KERNEL("histc", ::ember::kCUDA, &histc);
EMBER_REGISTER_KERNEL("sort_minmax", ::ember::kCUDA, &minmax);

}  // namespace ember::cuda
