// CPU kernels of searchsorted, unique, bincount and histc.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "backend/common/visit_dtype.h"
#include "backend/cpu/sort_common.h"
#include "core/parallel.h"
#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"

namespace ember::kernels {
namespace {

// PyTorch's bisection, written with negated comparisons so a NaN value lands where PyTorch puts it.
template <class K, class Get>
int64_t bisect(const Get& at, int64_t n, K v, bool right) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    K m = at(mid);
    if (right ? !(m > v) : !(m >= v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void searchsorted_kernel(const Tensor& boundaries, const Tensor& sorter, const Tensor& values, const Tensor& out,
                         bool right) {
  visit_dtype(boundaries.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    const T* bd = static_cast<const T*>(boundaries.data_ptr());
    const T* vs = static_cast<const T*>(values.data_ptr());
    const int64_t* so = sorter.defined() ? static_cast<const int64_t*>(sorter.data_ptr()) : nullptr;
    int64_t rows = out.size(0), m = out.size(1), n = boundaries.size(1);
    bool one_row = boundaries.size(0) == 1 && rows > 1;
    bool int32 = out.dtype() == kInt32;
    core::parallel_for(0, rows * m, 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        int64_t r = one_row ? 0 : i / m;
        const T* row = bd + r * n;
        const int64_t* srow = so ? so + r * n : nullptr;
        K v = K(vs[i]);
        int64_t pos = srow ? bisect([&](int64_t j) { return K(row[srow[j]]); }, n, v, right)
                           : bisect([&](int64_t j) { return K(row[j]); }, n, v, right);
        if (int32) static_cast<int32_t*>(out.data_ptr())[i] = int32_t(pos);
        else static_cast<int64_t*>(out.data_ptr())[i] = pos;
      }
    });
  });
}

template <class K>
bool same_key(K a, K b) {
  return a == b;  // NaN differs from everything, itself included, as PyTorch's unique treats it
}

int64_t unique_kernel(const Tensor& flat, bool consecutive, const Tensor& values, const Tensor& inverse,
                      const Tensor& counts) {
  return visit_dtype(flat.dtype(), [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    const T* in = static_cast<const T*>(flat.data_ptr());
    T* val = static_cast<T*>(values.data_ptr());
    int64_t* inv = static_cast<int64_t*>(inverse.data_ptr());
    int64_t* cnt = static_cast<int64_t*>(counts.data_ptr());
    int64_t n = flat.numel();
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t(0));
    if (!consecutive)
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t i, int64_t j) { return nan_last_less(K(in[i]), K(in[j])); });
    int64_t u = 0;
    for (int64_t j = 0; j < n; ++j) {
      int64_t p = order[size_t(j)];
      if (j == 0 || !same_key(K(in[p]), K(in[order[size_t(j - 1)]]))) {
        val[u] = in[p];
        cnt[u] = 0;
        ++u;
      }
      ++cnt[u - 1];
      inv[p] = u - 1;
    }
    return u;
  });
}

int64_t unique_rows_kernel(const Tensor& rows, bool consecutive, const Tensor& first_row, const Tensor& inverse,
                           const Tensor& counts) {
  return visit_dtype(rows.dtype(), [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    const T* in = static_cast<const T*>(rows.data_ptr());
    int64_t* first = static_cast<int64_t*>(first_row.data_ptr());
    int64_t* inv = static_cast<int64_t*>(inverse.data_ptr());
    int64_t* cnt = static_cast<int64_t*>(counts.data_ptr());
    int64_t n = rows.size(0), m = rows.size(1);
    auto less = [&](int64_t a, int64_t b) {
      for (int64_t c = 0; c < m; ++c) {
        K x = K(in[a * m + c]), y = K(in[b * m + c]);
        if (nan_last_less(x, y)) return true;
        if (nan_last_less(y, x)) return false;
      }
      return false;
    };
    auto equal = [&](int64_t a, int64_t b) {
      for (int64_t c = 0; c < m; ++c)
        if (!same_key(K(in[a * m + c]), K(in[b * m + c]))) return false;
      return true;
    };
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t(0));
    if (!consecutive) std::stable_sort(order.begin(), order.end(), less);
    int64_t u = 0;
    for (int64_t j = 0; j < n; ++j) {
      int64_t p = order[size_t(j)];
      if (j == 0 || !equal(p, order[size_t(j - 1)])) {
        first[u] = p;
        cnt[u] = 0;
        ++u;
      }
      ++cnt[u - 1];
      inv[p] = u - 1;
    }
    return u;
  });
}

void bincount_kernel(const Tensor& self, const Tensor& weights, const Tensor& out) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = static_cast<const T*>(self.data_ptr());
    int64_t n = self.numel();
    if (!weights.defined()) {
      int64_t* o = static_cast<int64_t*>(out.data_ptr());
      for (int64_t i = 0; i < n; ++i) ++o[int64_t(in[i])];
      return;
    }
    visit_dtype(weights.dtype(), [&](auto wtag) {
      using W = typename decltype(wtag)::type;
      if constexpr (std::is_same_v<W, float> || std::is_same_v<W, double>) {
        const W* w = static_cast<const W*>(weights.data_ptr());
        W* o = static_cast<W*>(out.data_ptr());
        for (int64_t i = 0; i < n; ++i) o[int64_t(in[i])] += w[i];
      }
    });
  });
}

void histc_kernel(const Tensor& self, const Tensor& out, double min, double max) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<sort_key_t<T>>) {
      using K = sort_key_t<T>;
      const T* in = static_cast<const T*>(self.data_ptr());
      T* o = static_cast<T*>(out.data_ptr());
      int64_t bins = out.numel(), n = self.numel();
      K lo = K(T(min)), hi = K(T(max));
      for (int64_t i = 0; i < n; ++i) {
        K x = K(in[i]);
        if (!(x >= lo && x <= hi)) continue;
        // The bin as PyTorch's histogram computes it: linear position, the right edge in the last bin.
        int64_t pos = int64_t((x - lo) * K(bins) / (hi - lo));
        if (pos >= bins) pos = bins - 1;
        o[pos] = T(K(o[pos]) + K(1));
      }
    }
  });
}

void sort_minmax_kernel(const Tensor& self, double* min, double* max) {
  visit_dtype(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using K = sort_key_t<T>;
    const T* in = static_cast<const T*>(self.data_ptr());
    double lo = double(K(in[0])), hi = lo;
    for (int64_t i = 1; i < self.numel(); ++i) {
      double x = double(K(in[i]));
      if (std::isnan(x) || std::isnan(lo)) {
        lo = hi = std::nan("");
        break;
      }
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    *min = lo;
    *max = hi;
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("searchsorted", ::ember::kCPU, &searchsorted_kernel);
EMBER_REGISTER_KERNEL("unique", ::ember::kCPU, &unique_kernel);
EMBER_REGISTER_KERNEL("unique_rows", ::ember::kCPU, &unique_rows_kernel);
EMBER_REGISTER_KERNEL("bincount", ::ember::kCPU, &bincount_kernel);
EMBER_REGISTER_KERNEL("histc", ::ember::kCPU, &histc_kernel);
EMBER_REGISTER_KERNEL("sort_minmax", ::ember::kCPU, &sort_minmax_kernel);

}  // namespace ember::kernels
