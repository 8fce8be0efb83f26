// Tensor accessors that read metadata or single values.
#include "backend/common/visit_dtype.h"
#include "ops/ops.h"

namespace ember {

int64_t Tensor::size(int64_t d) const { return sizes()[size_t(ops::maybe_wrap_dim(d, dim(), false))]; }
int64_t Tensor::stride(int64_t d) const { return strides()[size_t(ops::maybe_wrap_dim(d, dim(), false))]; }

template <class T>
T* Tensor::data_ptr() const {
  EMBER_CHECK_TYPE(dtype() == dtype_of<T>, "expected scalar type ", dtype_title(dtype_of<T>), " but found ",
                   dtype_title(dtype()));
  return static_cast<T*>(impl_->data());
}

Scalar Tensor::item() const {
  EMBER_CHECK(numel() == 1, "a Tensor with ", numel(), " elements cannot be converted to Scalar");
  if (!is_cpu()) return cpu().item();
  return kernels::visit_dtype(dtype(), [&](auto tag) -> Scalar {
    using T = typename decltype(tag)::type;
    return Scalar(*static_cast<const T*>(impl_->data()));
  });
}

template <class T>
T Tensor::item() const {
  return item().to<T>();
}

#define EMBER_INSTANTIATE(T, N, S)                 \
  template T* Tensor::data_ptr<T>() const;         \
  template T Tensor::item<T>() const;
EMBER_FORALL_DTYPES(EMBER_INSTANTIATE)
#undef EMBER_INSTANTIATE

}  // namespace ember
