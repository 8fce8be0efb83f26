// Row sums for the reductions: pairwise (blocked) summation, so a float32 sum of 1e7 ones is exact and
// error grows with log(n) rather than n. Accumulates in float for float32/reduced floats (as PyTorch),
// double for float64, int64 for integers.
#include <algorithm>

#include "backend/cpu/capability.h"
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/kernel_types.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

// Sums n values of T starting at p (contiguous) in accumulator type A.
template <class T, class A>
A pairwise_sum(const T* p, int64_t n) {
  constexpr int64_t kBlock = 512;
  if (n <= kBlock) {
    constexpr int kLanes = 16;
    A lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
      for (int l = 0; l < kLanes; ++l) lanes[l] += A(compute_t<T>(p[i + l]));
    A tail = A(0);
    for (; i < n; ++i) tail += A(compute_t<T>(p[i]));
    for (int w = kLanes / 2; w > 0; w /= 2)
      for (int l = 0; l < w; ++l) lanes[l] += lanes[l + w];
    return lanes[0] + tail;
  }
  int64_t half = ((n / 2) + kBlock - 1) / kBlock * kBlock;
  return pairwise_sum<T, A>(p, half) + pairwise_sum<T, A>(p + half, n - half);
}

void sum_rows_kernel(const Tensor& in, Tensor& out, int64_t rows, int64_t cols) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using A = std::conditional_t<std::is_same_v<T, double>, double,
                                 std::conditional_t<is_float_v<T>, float, int64_t>>;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    if (rows == 1) {
      // One long row: each thread sums a chunk, then the partial sums are added in order.
      int nt = std::max(1, get_num_threads());
      std::vector<A> part(size_t(nt), A(0));
      int64_t per = (cols + nt - 1) / nt;
      core::parallel_for(0, nt, cols > (1 << 16) ? 1 : nt, [&](int64_t b, int64_t e) {
        for (int64_t t = b; t < e; ++t) {
          int64_t lo = t * per, hi = std::min(cols, lo + per);
          if (lo < hi) part[size_t(t)] = pairwise_sum<T, A>(src + lo, hi - lo);
        }
      });
      A total = A(0);
      for (A v : part) total += v;
      if constexpr (std::is_same_v<T, bool>) dst[0] = total != 0;
      else dst[0] = T(total);
      return;
    }
    core::parallel_for(0, rows, std::max<int64_t>(1, 32768 / std::max<int64_t>(cols, 1)), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        A s = pairwise_sum<T, A>(src + r * cols, cols);
        if constexpr (std::is_same_v<T, bool>) dst[r] = s != 0;
        else dst[r] = T(s);
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_CPU_KERNEL("sum_rows", &sum_rows_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
