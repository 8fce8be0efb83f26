// CPU kernels of the range factories. PyTorch's exact float values are part of the contract (users
// compare against them), so each kernel repeats PyTorch's arithmetic: the types each step is computed
// in and where it rounds, not only the formula.
#include <cmath>
#include <type_traits>

// The kernels spell out where PyTorch's build fuses a multiply-add (std::fma) and where it does not; the
// compiler must not fuse others on its own.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/range_kernel_types.h"
#include "dispatch/registry.h"

namespace ember::kernels {
namespace {

// PyTorch's GRAIN_SIZE. core::parallel_for splits work into the same chunks as at::parallel_for, and the
// vector blocks start at each chunk's start, so results match PyTorch's for the same thread count.
constexpr int64_t kRangeGrain = 32768;

template <class T>
constexpr bool is_reduced_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

// PyTorch's CPU accumulate type: double for float/double, float for half types, int64 for integers.
template <class T>
using acc_t = std::conditional_t<is_reduced_v<T>, float, std::conditional_t<std::is_floating_point_v<T>, double, int64_t>>;

// Rounds an intermediate to T's precision where PyTorch's Half/BFloat16 operators do.
template <class T, class V>
V round_as(V v) {
  if constexpr (is_reduced_v<T>) return V(float(T(float(v))));
  else return v;
}

// start + step * i as PyTorch's AVX2 build computes it: GCC contracts the multiply-add into one FMA
// there, so floating types round once.
template <class A>
A mul_add(A step, A i, A start) {
  if constexpr (std::is_floating_point_v<A>) return std::fma(step, i, start);
  else return start + step * i;
}

// PyTorch fills contiguous output in pairs of 256-bit vectors (Vectorized<T>::arange): each vector's
// first element is computed and rounded to T, the others are base + k * step from that rounded base
// (fused in arange, not in linspace: found by comparing with PyTorch's output, see gen_factory.py). The
// tail (less than two vectors) and torch.range compute each element directly.
template <class T>
constexpr int64_t kLanes = 32 / int64_t(sizeof(T));

void arange_kernel(Tensor& out, const Scalar& start_s, const Scalar& step_s, bool vector_blocks) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      using A = acc_t<T>;
      const A start = start_s.to<A>(), step = step_s.to<A>();
      T* p = static_cast<T*>(out.data_ptr());
      constexpr int64_t lanes = kLanes<T>;
      core::parallel_for(0, out.numel(), kRangeGrain, [&](int64_t b, int64_t e) {
        int64_t i = b;
        if (vector_blocks)
          for (int64_t stop = b + (e - b) / (2 * lanes) * (2 * lanes); i < stop; i += lanes) {
            T base = T(mul_add(step, A(i), start));
            for (int64_t k = 0; k < lanes; ++k) p[i + k] = T(mul_add(A(k), step, A(base)));
          }
        for (; i < e; ++i) p[i] = T(vector_blocks ? mul_add(step, A(i), start) : start + A(i) * step);
      });
    }
  });
}

// PyTorch's linspace: the first half counts up from start, the second half down from end, so both ends
// are exact; vectors of lanes as in arange. The step is double for integers and T itself otherwise, with
// every operation on half types rounded to T (c10::Half's operators).
template <class T>
void linspace_typed(T* p, const Scalar& start_s, const Scalar& end_s, int64_t steps) {
  const T start = start_s.to<T>(), end = end_s.to<T>();
  const int64_t halfway = steps / 2;
  constexpr int64_t lanes = kLanes<T>;
  if constexpr (is_reduced_v<T>) {
    auto r = [](float v) { return float(T(v)); };
    const float step = r(r(float(end) - float(start)) / r(float(steps - 1)));
    auto at = [&](int64_t i) {
      return i < halfway ? T(float(start) + r(step * r(float(i))))
                         : T(float(end) - r(step * r(float(steps - i - 1))));
    };
    core::parallel_for(0, steps, kRangeGrain, [&](int64_t b, int64_t e) {
      int64_t i = b;
      for (int64_t stop = b + (e - b) / (2 * lanes) * (2 * lanes); i < stop; i += lanes) {
        T base = at(i);
        for (int64_t k = 0; k < lanes; ++k) p[i + k] = T(float(base) + r(float(k) * step));
      }
      for (; i < e; ++i) p[i] = at(i);
    });
  } else {
    using S = std::conditional_t<std::is_integral_v<T>, double, T>;
    const S step = (S(end) - S(start)) / S(steps - 1);
    auto at = [&](int64_t i) {
      return i < halfway ? mul_add(step, S(i), S(start)) : mul_add(-step, S(steps - i - 1), S(end));
    };
    core::parallel_for(0, steps, kRangeGrain, [&](int64_t b, int64_t e) {
      int64_t i = b;
      for (int64_t stop = b + (e - b) / (2 * lanes) * (2 * lanes); i < stop; i += lanes) {
        T base = T(at(i));
        for (int64_t k = 0; k < lanes; ++k) p[i + k] = T(S(base) + S(k) * step);
      }
      for (; i < e; ++i) p[i] = T(at(i));
    });
  }
}

void linspace_kernel(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) linspace_typed(static_cast<T*>(out.data_ptr()), start, end, steps);
  });
}

void logspace_kernel(Tensor& out, const Scalar& start_s, const Scalar& end_s, int64_t steps, double base) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      const T start = start_s.to<T>(), end = end_s.to<T>();
      // end - start is computed in T (rounded for half types, integer for integers), then in double.
      const double step = double(round_as<T>(end - start)) / double(steps - 1);
      const int64_t halfway = steps / 2;
      T* p = static_cast<T*>(out.data_ptr());
      core::parallel_for(0, steps, kRangeGrain, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          if (i < halfway) p[i] = T(std::pow(base, double(start) + step * double(i)));
          else p[i] = T(std::pow(base, double(end) - step * double(steps - i - 1)));
        }
      });
    }
  });
}

}  // namespace
}  // namespace ember::kernels

EMBER_REGISTER_KERNEL("arange", ::ember::kCPU, &ember::kernels::arange_kernel);
EMBER_REGISTER_KERNEL("linspace", ::ember::kCPU, &ember::kernels::linspace_kernel);
EMBER_REGISTER_KERNEL("logspace", ::ember::kCPU, &ember::kernels::logspace_kernel);
