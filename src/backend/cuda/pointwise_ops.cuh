#pragma once
// The dtype dispatch of the CUDA pointwise kernels: each functor of ember/ops/pointwise.def
// (backend/common/pointwise_functors.h, shared with the CPU backend) is wrapped into an operation on
// storage types and handed to the generic loop of elementwise.cuh. Which operand selects the dtype,
// bool results and float compute for float16/bfloat16 follow the CPU kernels in
// backend/cpu/vec/pointwise*_kernels.cpp. The kernel families are registered from several .cu files
// (pointwise_*kernels.cu) so that they compile in parallel.
#include "backend/cuda/elementwise.cuh"
// elementwise.cuh defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/not_implemented.h"
#include "dispatch/pointwise_kernel_types.h"
#include "dispatch/registry.h"

// Registers `fn` for CUDA, checking it has the registry's signature `Sig` (dispatch/*kernel_types.h).
#define EMBER_REGISTER_CUDA_KERNEL(name, Sig, fn) \
  EMBER_REGISTER_KERNEL(name, ::ember::kCUDA, static_cast<::ember::dispatch::Sig*>(fn))

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

// Integer division by zero is undefined behaviour. The CPU never meets it (the ops layer raises
// ZeroDivisionError first, which on CUDA would mean reading the divisor back), so here a zero divisor
// gives a fixed value instead, like the arbitrary one PyTorch's CUDA kernels return: -1 for a quotient,
// the dividend for a remainder.
enum class IntDivision { kNone, kQuotient, kRemainder };
template <class F>
constexpr IntDivision int_division = IntDivision::kNone;
template <>
constexpr IntDivision int_division<DivTrunc> = IntDivision::kQuotient;
template <>
constexpr IntDivision int_division<DivFloor> = IntDivision::kQuotient;
template <>
constexpr IntDivision int_division<Remainder> = IntDivision::kRemainder;
template <>
constexpr IntDivision int_division<Fmod> = IntDivision::kRemainder;

template <class F, class T, class O>
struct UnaryOp {
  F f;
  __device__ O operator()(T x) const { return O(f(compute_t<T>(x))); }
};

template <class F, class T, class O>
struct BinaryOp {
  F f;
  __device__ O operator()(T a, T b) const {
    if constexpr (is_int_v<T> && int_division<F> != IntDivision::kNone) {
      if (b == T(0)) return int_division<F> == IntDivision::kQuotient ? T(-1) : a;
    }
    return O(f(compute_t<T>(a), compute_t<T>(b)));
  }
};

// The operand type of a ternary functor's first input: bool for where's condition, else the dtype.
template <class F, class T, class = void>
struct first_operand {
  using type = T;
};
template <class F, class T>
struct first_operand<F, T, std::void_t<typename F::first_operand>> {
  using type = typename F::first_operand;
};

template <class F, class T, class A>
struct TernaryOp {
  F f;
  compute_t<T> value;
  __device__ T operator()(A a, T b, T c) const {
    using C = compute_t<T>;
    using CA = std::conditional_t<std::is_same_v<A, T>, C, A>;
    return T(f(CA(a), C(b), C(c), value));
  }
};

template <class F>
void unary_kernel(const dispatch::TensorIterator& it, const char* name) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      cuda::not_implemented(name, it.dtype(1));
    } else {
      using O = std::conditional_t<returns_bool<F>::value, bool, T>;
      cuda::launch_elementwise<O, T>(it, UnaryOp<F, T, O>{F{}}, name);
    }
  });
}

template <class F>
void binary_kernel(const dispatch::TensorIterator& it, const char* name) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      cuda::not_implemented(name, it.dtype(1));
    } else {
      using O = std::conditional_t<returns_bool<F>::value, bool, T>;
      cuda::launch_elementwise<O, T, T>(it, BinaryOp<F, T, O>{F{}}, name);
    }
  });
}

template <class F>
void unary_param_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      cuda::not_implemented(name, it.dtype(1));
    } else {
      cuda::launch_elementwise<T, T>(it, UnaryOp<F, T, T>{F(params)}, name);
    }
  });
}

template <class F>
void ternary_kernel(const dispatch::TensorIterator& it, const char* name, const Scalar& value) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      cuda::not_implemented(name, it.dtype(0));
    } else {
      using A = typename first_operand<F, T>::type;
      cuda::launch_elementwise<T, A, T, T>(it, TernaryOp<F, T, A>{F{}, value.to<compute_t<T>>()}, name);
    }
  });
}

}  // namespace
}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
