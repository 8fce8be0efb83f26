// CPU kernels of the index family: offset walks, bounds checks, gathers and scatters by element offset,
// nonzero. Accumulating scatters run serially in index order so that duplicate indices give the same
// bits on every run; copying scatters run in parallel.
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <ember/ops/factory.h>

#include "backend/common/scatter_functors.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/index_kernels.h"
#include "dispatch/registry.h"

namespace ember::kernels {
namespace {

constexpr int64_t kIndexGrain = 32768;

void strided_offsets_kernel(Tensor& out, IntArrayRef strides, int64_t remap_dim, const Tensor& remap,
                            const Tensor& extra, int64_t extra_scale) {
  int64_t* dst = out.data_ptr<int64_t>();
  IntArrayRef sizes = out.sizes();
  int64_t nd = int64_t(sizes.size());
  if (out.numel() == 0) return;
  const int64_t* map = remap.defined() ? remap.data_ptr<int64_t>() : nullptr;
  const int64_t* add = extra.defined() ? extra.data_ptr<int64_t>() : nullptr;
  if (nd == 0) {
    dst[0] = add ? add[0] * extra_scale : 0;
    return;
  }
  int64_t inner = sizes[size_t(nd - 1)], inner_stride = strides[size_t(nd - 1)];
  bool inner_mapped = map && remap_dim == nd - 1;
  int64_t rows = out.numel() / inner;
  core::parallel_for(0, rows, std::max<int64_t>(1, kIndexGrain / std::max<int64_t>(inner, 1)), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t base = 0, rem = r;
      for (int64_t d = nd - 2; d >= 0; --d) {
        int64_t c = rem % sizes[size_t(d)];
        rem /= sizes[size_t(d)];
        base += (map && d == remap_dim ? map[c] : c) * strides[size_t(d)];
      }
      int64_t* row = dst + r * inner;
      if (inner_mapped) {
        for (int64_t i = 0; i < inner; ++i) row[i] = base + map[i] * inner_stride;
      } else {
        for (int64_t i = 0; i < inner; ++i) row[i] = base + i * inner_stride;
      }
      if (add) {
        const int64_t* a = add + r * inner;
        for (int64_t i = 0; i < inner; ++i) row[i] += a[i] * extra_scale;
      }
    }
  });
}

bool check_kernel(const Tensor& idx, int64_t size, bool allow_negative, int64_t& bad, bool& has_negative) {
  const int64_t* p = idx.data_ptr<int64_t>();
  int64_t n = idx.numel();
  int64_t lo = allow_negative ? -size : 0;
  has_negative = false;
  for (int64_t i = 0; i < n; ++i) {
    if (p[i] < lo || p[i] >= size) {
      bad = p[i];
      return false;
    }
    has_negative |= p[i] < 0;
  }
  return true;
}

void wrap_kernel(Tensor& idx, int64_t size) {
  int64_t* p = idx.data_ptr<int64_t>();
  for (int64_t i = 0; i < idx.numel(); ++i)
    if (p[i] < 0) p[i] += size;
}

template <size_t N>
void gather_bytes(const char* src, const int64_t* off, char* dst, int64_t n) {
  core::parallel_for(0, n, kIndexGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) std::memcpy(dst + i * int64_t(N), src + off[i] * int64_t(N), N);
  });
}

void gather_kernel(const Tensor& src, const Tensor& offsets, Tensor& out) {
  const char* s = static_cast<const char*>(src.data_ptr());
  const int64_t* off = offsets.data_ptr<int64_t>();
  char* d = static_cast<char*>(out.data_ptr());
  int64_t n = out.numel();
  switch (src.element_size()) {
    case 1: return gather_bytes<1>(s, off, d, n);
    case 2: return gather_bytes<2>(s, off, d, n);
    case 4: return gather_bytes<4>(s, off, d, n);
    default: return gather_bytes<8>(s, off, d, n);
  }
}

void scatter_kernel(Tensor& dst, const Tensor& offsets, const Tensor& values, dispatch::ScatterMode mode) {
  visit_dtype(dst.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* d = static_cast<T*>(dst.data_ptr());
    const T* v = static_cast<const T*>(values.data_ptr());
    const int64_t* off = offsets.data_ptr<int64_t>();
    int64_t n = offsets.numel();
    int64_t vstep = values.numel() == 1 ? 0 : 1;
    if (mode == dispatch::ScatterMode::Copy) {
      // Parallel: with duplicate indices one of the values lands, which is all PyTorch promises. Relaxed
      // atomic stores (plain moves on x86) keep such writes from being a data race.
      core::parallel_for(0, n, kIndexGrain, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) std::atomic_ref<T>(d[off[i]]).store(v[i * vstep], std::memory_order_relaxed);
      });
      return;
    }
    for (int64_t i = 0; i < n; ++i) d[off[i]] = scatter_combine<T>(d[off[i]], v[i * vstep], mode);
  });
}

// Positions [b, e) of a row-major walk over `sizes`, with the element offset of each position in three
// strided tensors (self's stride along the gathered dim is zero: that coordinate comes from the index).
struct AlongDimWalk {
  static constexpr int kTensors = 3;
  IntArrayRef sizes;
  const int64_t* strides[kTensors];
  int64_t coord[64] = {};
  int64_t base[kTensors] = {};
  int nd;

  void seek_row(int64_t row) {
    for (int64_t& b : base) b = 0;
    for (int d = nd - 2; d >= 0; --d) {
      coord[d] = row % sizes[size_t(d)];
      row /= sizes[size_t(d)];
      for (int t = 0; t < kTensors; ++t) base[t] += coord[d] * strides[t][d];
    }
  }
  void next_row() {
    for (int d = nd - 2; d >= 0; --d) {
      for (int t = 0; t < kTensors; ++t) base[t] += strides[t][d];
      if (++coord[d] < sizes[size_t(d)]) return;
      for (int t = 0; t < kTensors; ++t) base[t] -= coord[d] * strides[t][d];
      coord[d] = 0;
    }
  }
};

void along_dim_kernel(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& other, bool gather,
                      dispatch::ScatterMode mode) {
  int64_t n = idx.numel();
  if (n == 0) return;
  DimVector self_strides(self.strides());
  int64_t dim_stride = self_strides[size_t(dim)];
  self_strides[size_t(dim)] = 0;
  const int nd = int(idx.dim());
  const int64_t inner = idx.size(nd - 1);
  const int64_t* ip = idx.data_ptr<int64_t>();
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* sp = static_cast<T*>(self.data_ptr());
    T* op = static_cast<T*>(other.data_ptr());
    auto run = [&](int64_t b, int64_t e) {
      AlongDimWalk w{idx.sizes(), {self_strides.data(), idx.strides().data(), other.strides().data()}, {}, {}, nd};
      w.seek_row(b / inner);
      const int64_t ss = self_strides[size_t(nd - 1)], is = idx.stride(nd - 1), os = other.stride(nd - 1);
      for (int64_t p = b, i = b % inner; p < e; w.next_row(), i = 0) {
        // Locals, so the compiler need not reload them after every store through a T*.
        const int64_t i1 = std::min(inner, i + e - p);
        T* s_row = sp + w.base[0];
        const int64_t* i_row = ip + w.base[1];
        T* o_row = op + w.base[2];
        if (gather) {
          for (int64_t j = i; j < i1; ++j) o_row[j * os] = s_row[j * ss + i_row[j * is] * dim_stride];
        } else if (mode == dispatch::ScatterMode::Copy) {
          for (int64_t j = i; j < i1; ++j)
            std::atomic_ref<T>(s_row[j * ss + i_row[j * is] * dim_stride]).store(o_row[j * os], std::memory_order_relaxed);
        } else {
          for (int64_t j = i; j < i1; ++j) {
            T& at = s_row[j * ss + i_row[j * is] * dim_stride];
            at = scatter_combine<T>(at, o_row[j * os], mode);
          }
        }
        p += i1 - i;
      }
    };
    if (gather || mode == dispatch::ScatterMode::Copy) core::parallel_for(0, n, kIndexGrain, run);
    else run(0, n);
  });
}

// Walks a contiguous tensor once to count its non-zeros and once to emit, for each, either its
// coordinates (coords) or its offset under `strides`.
Tensor nonzero_walk(const Tensor& self, bool coords, IntArrayRef strides) {
  int64_t nd = self.dim(), n = self.numel();
  return visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = static_cast<const T*>(self.data_ptr());
    auto nonzero = [](T x) {
      if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return float(x) != 0.f;
      else return x != T(0);
    };
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i) count += nonzero(p[i]);
    Tensor out = coords ? empty({count, nd}, TensorOptions(kInt64)) : empty({count}, TensorOptions(kInt64));
    int64_t* o = out.data_ptr<int64_t>();
    std::vector<int64_t> coord(size_t(nd), 0);
    int64_t offset = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (nonzero(p[i])) {
        if (coords) {
          std::copy(coord.begin(), coord.end(), o);
          o += nd;
        } else {
          *o++ = offset;
        }
      }
      for (int64_t d = nd - 1; d >= 0; --d) {
        if (!coords) offset += strides[size_t(d)];
        if (++coord[size_t(d)] < self.sizes()[size_t(d)]) break;
        if (!coords) offset -= coord[size_t(d)] * strides[size_t(d)];
        coord[size_t(d)] = 0;
      }
    }
    return out;
  });
}

Tensor nonzero_kernel(const Tensor& self) { return nonzero_walk(self, true, {}); }
Tensor mask_offsets_kernel(const Tensor& mask, IntArrayRef strides) { return nonzero_walk(mask, false, strides); }

void index_minmax_kernel(const Tensor& t, int64_t& mn, int64_t& mx) {
  const int64_t* p = t.data_ptr<int64_t>();
  mn = std::numeric_limits<int64_t>::max();
  mx = std::numeric_limits<int64_t>::min();
  for (int64_t i = 0; i < t.numel(); ++i) {
    mn = std::min(mn, p[i]);
    mx = std::max(mx, p[i]);
  }
}

void mean_divide_kernel(Tensor& self, const Tensor& count) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* s = static_cast<T*>(self.data_ptr());
    const T* c = static_cast<const T*>(count.data_ptr());
    for (int64_t i = 0; i < self.numel(); ++i) scatter_mean_divide<T>(s[i], c[i]);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("index_strided_offsets", kCPU, &strided_offsets_kernel);
EMBER_REGISTER_KERNEL("index_check", kCPU, &check_kernel);
EMBER_REGISTER_KERNEL("index_wrap", kCPU, &wrap_kernel);
EMBER_REGISTER_KERNEL("index_gather", kCPU, &gather_kernel);
EMBER_REGISTER_KERNEL("index_scatter", kCPU, &scatter_kernel);
EMBER_REGISTER_KERNEL("index_along_dim", kCPU, &along_dim_kernel);
EMBER_REGISTER_KERNEL("index_nonzero", kCPU, &nonzero_kernel);
EMBER_REGISTER_KERNEL("index_mask_offsets", kCPU, &mask_offsets_kernel);
EMBER_REGISTER_KERNEL("index_minmax", kCPU, &index_minmax_kernel);
EMBER_REGISTER_KERNEL("index_mean_divide", kCPU, &mean_divide_kernel);

}  // namespace ember::kernels
