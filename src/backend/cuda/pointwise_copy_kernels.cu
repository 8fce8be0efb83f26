// CUDA kernels of add (out = a + alpha * b), copy (between any two dtypes) and fill, on the generic loop
// of elementwise.cuh.
#include <cstring>

#include "backend/cuda/pointwise_ops.cuh"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

// Integers wrap on overflow, as on the CPU, without signed-overflow undefined behaviour.
template <class T>
struct AddOp {
  compute_t<T> alpha;
  __device__ T operator()(T a, T b) const {
    if constexpr (is_int_v<T>) {
      using U = std::make_unsigned_t<T>;
      return T(U(U(a) + U(alpha) * U(b)));
    } else {
      using C = compute_t<T>;
      return T(C(a) + alpha * C(b));
    }
  }
};
struct BoolAddOp {
  bool alpha;
  __device__ bool operator()(bool a, bool b) const { return a || (alpha && b); }
};

// The CPU copy_kernel's conversions: to bool by comparing with zero, to float16/bfloat16 through float.
template <class I, class O>
struct CastOp {
  __device__ O operator()(I v) const {
    if constexpr (std::is_same_v<O, bool>) return bool(compute_t<I>(v) != compute_t<I>(0));
    else if constexpr (std::is_same_v<O, Half> || std::is_same_v<O, BFloat16>) return O(float(compute_t<I>(v)));
    else return O(compute_t<I>(v));
  }
};

// Same-dtype copies and fills move bits, so one kernel serves every dtype of a size.
template <size_t Size>
struct bits;
template <>
struct bits<1> {
  using type = uint8_t;
};
template <>
struct bits<2> {
  using type = uint16_t;
};
template <>
struct bits<4> {
  using type = uint32_t;
};
template <>
struct bits<8> {
  using type = uint64_t;
};
template <class T>
using bits_t = typename bits<sizeof(T)>::type;

template <class U>
struct IdentityOp {
  __device__ U operator()(U v) const { return v; }
};
template <class U>
struct FillOp {
  U value;
  __device__ U operator()() const { return value; }
};

void add_kernel(const dispatch::TensorIterator& it, const Scalar& alpha) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, bool>)
      cuda::launch_elementwise<bool, bool, bool>(it, BoolAddOp{alpha.toBool()}, "add");
    else
      cuda::launch_elementwise<T, T, T>(it, AddOp<T>{alpha.to<compute_t<T>>()}, "add");
  });
}

void copy_kernel(const dispatch::TensorIterator& it) {
  if (it.dtype(0) == it.dtype(1)) {
    visit_dtype(it.dtype(0), [&](auto tag) {
      using U = bits_t<typename decltype(tag)::type>;
      cuda::launch_elementwise<U, U>(it, IdentityOp<U>{}, "copy_");
    });
    return;
  }
  visit_dtype(it.dtype(0), [&](auto otag) {
    using O = typename decltype(otag)::type;
    visit_dtype(it.dtype(1), [&](auto itag) {
      using I = typename decltype(itag)::type;
      if constexpr (!std::is_same_v<I, O>) cuda::launch_elementwise<O, I>(it, CastOp<I, O>{}, "copy_");
    });
  });
}

void fill_kernel(const dispatch::TensorIterator& it, const Scalar& value) {
  visit_dtype(it.dtype(0), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using U = bits_t<T>;
    const T v = std::is_same_v<T, bool> ? T(value.toBool()) : T(value.to<compute_t<T>>());
    U u;
    std::memcpy(&u, &v, sizeof(U));
    cuda::launch_elementwise<U>(it, FillOp<U>{u}, "fill_");
  });
}

}  // namespace

EMBER_REGISTER_CUDA_KERNEL("add", AddKernel, &add_kernel);
EMBER_REGISTER_CUDA_KERNEL("copy", CopyKernel, &copy_kernel);
EMBER_REGISTER_CUDA_KERNEL("fill", FillKernel, &fill_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
