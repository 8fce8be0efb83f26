#pragma once
// ember::Tensor: a cheap handle (one shared pointer) to a TensorImpl, with libtorch's method names.
// Op methods are declared per family in ember/ops/*_methods.inc so each family stays in its own files.
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <ember/core/array_ref.h>
#include <ember/core/device.h>
#include <ember/core/dtype.h>
#include <ember/core/error.h>
#include <ember/core/generator.h>
#include <ember/core/scalar.h>
#include <ember/core/tensor_impl.h>
#include <ember/core/tensor_options.h>

namespace ember {

class Tensor;
using tensor_list = std::vector<Tensor>;
namespace autograd {
struct Node;
}
namespace indexing {
struct TensorIndex;
}
namespace cuda {
class CUDAStream;
}

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* unsafeGetTensorImpl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }
  long use_count() const { return impl_.use_count(); }

  // ---- metadata ----
  IntArrayRef sizes() const { return impl_->sizes; }
  IntArrayRef strides() const { return impl_->strides; }
  IntArrayRef shape() const { return impl_->sizes; }
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const { return int64_t(impl_->sizes.size()); }
  int64_t ndimension() const { return dim(); }
  int64_t numel() const { return impl_->numel; }
  int64_t storage_offset() const { return impl_->storage_offset; }
  DType dtype() const { return impl_->dtype; }
  DType scalar_type() const { return impl_->dtype; }
  Device device() const { return impl_->device(); }
  TensorOptions options() const { return TensorOptions(dtype()).device(device()); }
  size_t element_size() const { return ember::element_size(impl_->dtype); }
  size_t itemsize() const { return element_size(); }
  size_t nbytes() const { return size_t(numel()) * element_size(); }
  bool is_contiguous() const { return impl_->is_contiguous; }
  bool is_floating_point() const { return ember::is_floating_point(dtype()); }
  bool is_cpu() const { return device().is_cpu(); }
  bool is_cuda() const { return device().is_cuda(); }
  const std::shared_ptr<StorageImpl>& storage() const { return impl_->storage; }
  // Tells the caching allocator that `stream` uses this tensor's memory, so that when the tensor dies
  // the memory is reused only after the work queued on `stream` by then has run (ember/cuda.h).
  void record_stream(const cuda::CUDAStream& stream) const;
  void* data_ptr() const { return impl_->data(); }
  template <class T>
  T* data_ptr() const;
  template <class T>
  T* mutable_data_ptr() const { return data_ptr<T>(); }
  template <class T>
  const T* const_data_ptr() const { return data_ptr<T>(); }
  template <class T>
  T item() const;
  Scalar item() const;
  uint32_t _version() const { return impl_->storage->version.load(std::memory_order_relaxed); }
  void bump_version() const { impl_->storage->version.fetch_add(1, std::memory_order_relaxed); }
  std::string toString() const;

  // ---- conversions and copies ----
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(DType t, bool non_blocking = false, bool copy = false) const;
  Tensor to(Device d, bool non_blocking = false, bool copy = false) const;
  Tensor to(Device d, DType t, bool non_blocking = false, bool copy = false) const;
  Tensor to(const TensorOptions& o, bool non_blocking = false, bool copy = false) const;
  Tensor cpu() const { return to(Device(kCPU)); }
  Tensor cuda() const { return to(Device(kCUDA)); }
  Tensor toType(DType t) const { return to(t); }
  Tensor& copy_(const Tensor& src, bool non_blocking = false);
  Tensor& fill_(const Scalar& v);
  Tensor& fill_(const Tensor& v);
  Tensor& zero_();

  // ---- autograd ----
  bool requires_grad() const;
  Tensor& requires_grad_(bool r = true);
  Tensor& set_requires_grad(bool r) { return requires_grad_(r); }
  const Tensor& grad() const;
  Tensor& mutable_grad() const;
  void set_grad(const Tensor& g) const { mutable_grad() = g; }
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  bool is_leaf() const;
  uint32_t output_nr() const;
  void retain_grad() const;
  bool retains_grad() const;
  Tensor detach() const;
  Tensor& detach_();
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, const std::vector<Tensor>& inputs = {}) const;
  // The handle's remove() unregisters the hook; a hook may return an undefined Tensor to keep the grad.
  struct HookHandle;
  HookHandle register_hook(std::function<Tensor(const Tensor&)> hook) const;
  HookHandle register_hook(std::function<void(const Tensor&)> hook) const;
  // Any other callable, by its return type (as libtorch): void observes, Tensor may replace the grad.
  // Defined in ember/autograd/engine.h.
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, std::function<Tensor(const Tensor&)>> &&
                                              !std::is_same_v<std::decay_t<F>, std::function<void(const Tensor&)>>>>
  HookHandle register_hook(F&& hook) const;
  Tensor variable_data() const;  // a view with no autograd history, not sharing the version counter semantics

  // ---- indexing (libtorch's t.index({...}) syntax) ----
  Tensor index(ArrayRef<indexing::TensorIndex> indices) const;
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor& index_put_(ArrayRef<indexing::TensorIndex> indices, const Tensor& v);
  Tensor& index_put_(ArrayRef<indexing::TensorIndex> indices, const Scalar& v);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& v);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& v);
  Tensor operator[](int64_t i) const;

  // ---- ops by family ----
#include <ember/ops/pointwise_methods.inc>
#include <ember/ops/reduce_methods.inc>
#include <ember/ops/linalg_methods.inc>
#include <ember/ops/shape_methods.inc>
#include <ember/ops/index_methods.inc>
#include <ember/ops/random_methods.inc>
#include <ember/ops/sort_methods.inc>

  // ---- operators ----
  Tensor operator-() const;
  Tensor& operator+=(const Tensor& o);
  Tensor& operator+=(const Scalar& o);
  Tensor& operator-=(const Tensor& o);
  Tensor& operator-=(const Scalar& o);
  Tensor& operator*=(const Tensor& o);
  Tensor& operator*=(const Scalar& o);
  Tensor& operator/=(const Tensor& o);
  Tensor& operator/=(const Scalar& o);

 private:
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace ember
