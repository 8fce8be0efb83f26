#pragma once
// Factories with TensorOptions, as libtorch's.
#include <functional>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <vector>

#include <ember/tensor.h>

namespace ember {

Tensor empty(IntArrayRef size, const TensorOptions& options = {});
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& options = {});
Tensor zeros(IntArrayRef size, const TensorOptions& options = {});
Tensor ones(IntArrayRef size, const TensorOptions& options = {});
// Without a dtype in options, the dtype follows the fill value (bool, int64 or the default float dtype).
Tensor full(IntArrayRef size, const Scalar& value, const TensorOptions& options = {});
// Always the default float dtype unless options name one, as at::scalar_tensor.
Tensor scalar_tensor(const Scalar& value, const TensorOptions& options = {});
// The *_like factories keep the input's dtype and its memory layout (PyTorch's preserve_format).
Tensor empty_like(const Tensor& t, const TensorOptions& options = {});
Tensor zeros_like(const Tensor& t, const TensorOptions& options = {});
Tensor ones_like(const Tensor& t, const TensorOptions& options = {});
Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& options = {});

// [start, end) by step. All-integer (or bool) arguments give int64, any floating one the default dtype.
Tensor arange(const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options = {});
// Deprecated in PyTorch but still in libtorch: [start, end] inclusive, default dtype.
Tensor range(const Scalar& start, const Scalar& end, const TensorOptions& options = {});
Tensor range(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options = {});
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, const TensorOptions& options = {});
Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base = 10.0,
                const TensorOptions& options = {});
Tensor eye(int64_t n, const TensorOptions& options = {});
Tensor eye(int64_t n, int64_t m, const TensorOptions& options = {});

// Wraps memory ember does not own. The optional deleter runs once, when the last view of it goes away.
Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, std::function<void(void*)> deleter,
                 const TensorOptions& options = {});

namespace detail {
// The element type libtorch gives a C++ number before Python's defaults apply (int -> int32, double ->
// float64); other integer and floating types map to the ember dtype that holds them.
template <class T>
using number_storage_t = std::conditional_t<
    std::is_same_v<T, bool> || std::is_same_v<T, float> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, T,
    std::conditional_t<std::is_floating_point_v<T>, double,
    std::conditional_t<std::is_unsigned_v<T>, std::conditional_t<sizeof(T) == 1, uint8_t, int64_t>,
    std::conditional_t<sizeof(T) == 1, int8_t, std::conditional_t<sizeof(T) == 2, int16_t,
    std::conditional_t<sizeof(T) == 4, int32_t, int64_t>>>>>>;
template <class T>
constexpr bool is_tensor_number_v = std::is_arithmetic_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
}  // namespace detail

// Nested braced lists and vectors of numbers for ember::tensor (libtorch's TensorDataContainer). An empty
// `{}` is a dimension of size 0. Numbers of different C++ types in one list promote as PyTorch's types do.
class TensorDataContainer {
 public:
  TensorDataContainer();  // `{}`: an empty dimension
  template <class T, std::enable_if_t<detail::is_tensor_number_v<T>, int> = 0>
  TensorDataContainer(T v)  // NOLINT: implicit like libtorch
      : kind_(Kind::Scalar), scalar_(v), dtype_(dtype_of<detail::number_storage_t<T>>) {}
  // A Scalar keeps its kind: bool, int64 or the default float dtype.
  TensorDataContainer(const Scalar& s) : kind_(Kind::Scalar), scalar_(s), dtype_(s.type()) {}  // NOLINT
  TensorDataContainer(std::initializer_list<TensorDataContainer> l);  // NOLINT
  template <class T, std::enable_if_t<detail::is_tensor_number_v<T>, int> = 0>
  TensorDataContainer(const std::vector<T>& v)  // NOLINT
      : kind_(Kind::Vector), sizes_({int64_t(v.size())}), dtype_(dtype_of<detail::number_storage_t<T>>) {
    using Stored = detail::number_storage_t<T>;
    values_ = vector_tensor(int64_t(v.size()), dtype_);
    Stored* p = static_cast<Stored*>(values_.data_ptr());
    for (size_t i = 0; i < v.size(); ++i) p[i] = Stored(v[i]);
  }

  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_init_list() const { return kind_ == Kind::List; }
  bool is_vector() const { return kind_ == Kind::Vector; }
  const Scalar& scalar() const { return scalar_; }
  const std::vector<TensorDataContainer>& children() const { return children_; }
  const Tensor& values() const { return values_; }  // a vector's elements, 1-D in the vector's dtype
  IntArrayRef sizes() const { return sizes_; }
  // The dtype of the numbers as written in C++ (int -> int32, double -> float64).
  DType scalar_type() const { return dtype_; }

 private:
  enum class Kind : int8_t { Scalar, List, Vector };
  static Tensor vector_tensor(int64_t n, DType t);
  Kind kind_;
  Scalar scalar_;
  std::vector<TensorDataContainer> children_;
  Tensor values_;
  std::vector<int64_t> sizes_;
  DType dtype_;
};

// libtorch's format ({1, 2}, {{1}, {2}}), used in the ragged-list error message.
std::ostream& operator<<(std::ostream& os, const TensorDataContainer& c);

// int32/int64 numbers give int64 and float/double the default dtype, as libtorch (and Python) do; other
// C++ types (int16_t, uint8_t, bool, Half) keep their dtype.
Tensor tensor(const TensorDataContainer& data, const TensorOptions& options = {});

}  // namespace ember
