#pragma once
// Factories with TensorOptions, as libtorch's.
#include <functional>
#include <initializer_list>
#include <vector>

#include <ember/tensor.h>

namespace ember {

Tensor empty(IntArrayRef size, const TensorOptions& options = {});
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& options = {});
Tensor zeros(IntArrayRef size, const TensorOptions& options = {});
Tensor ones(IntArrayRef size, const TensorOptions& options = {});
// Without a dtype in options, the dtype follows the fill value (bool, int64 or the default float dtype).
Tensor full(IntArrayRef size, const Scalar& value, const TensorOptions& options = {});
Tensor scalar_tensor(const Scalar& value, const TensorOptions& options = {});
Tensor empty_like(const Tensor& t, const TensorOptions& options = {});
Tensor zeros_like(const Tensor& t, const TensorOptions& options = {});
Tensor ones_like(const Tensor& t, const TensorOptions& options = {});
Tensor full_like(const Tensor& t, const Scalar& value, const TensorOptions& options = {});

// Wraps memory ember does not own. The optional deleter runs when the last view of it goes away.
Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter, const TensorOptions& options = {});
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, std::function<void(void*)> deleter,
                 const TensorOptions& options = {});

// Nested braced lists and vectors of numbers, for ember::tensor (libtorch's TensorDataContainer).
class TensorDataContainer {
 public:
  TensorDataContainer(const Scalar& s) : scalar_(s), is_scalar_(true) {}  // NOLINT
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  TensorDataContainer(T v) : TensorDataContainer(Scalar(v)) {}  // NOLINT
  TensorDataContainer(std::initializer_list<TensorDataContainer> l);  // NOLINT
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  TensorDataContainer(const std::vector<T>& v) {  // NOLINT
    for (const T& x : v) children_.emplace_back(Scalar(x));
    init_from_children();
  }
  bool is_scalar() const { return is_scalar_; }
  const Scalar& scalar() const { return scalar_; }
  const std::vector<TensorDataContainer>& children() const { return children_; }
  IntArrayRef sizes() const { return sizes_; }
  DType inferred_dtype() const { return dtype_; }

 private:
  void init_from_children();
  Scalar scalar_;
  bool is_scalar_ = false;
  std::vector<TensorDataContainer> children_;
  std::vector<int64_t> sizes_;
  DType dtype_ = kBool;
};

Tensor tensor(const TensorDataContainer& data, const TensorOptions& options = {});

}  // namespace ember
