// Factories: allocation with TensorOptions, from_blob, and ember::tensor from nested lists.
#include <ember/ops/factory.h>

#include "ops/ops.h"

namespace ember {

namespace {
Tensor finish(Tensor t, const TensorOptions& o) {
  if (o.requires_grad()) t.requires_grad_(true);
  return t;
}
TensorOptions like(const Tensor& t, const TensorOptions& o) {
  TensorOptions r = o.has_dtype() ? o : o.dtype(t.dtype());
  return r.device(t.device());
}
}  // namespace

Tensor empty(IntArrayRef size, const TensorOptions& o) { return finish(ops::empty(size, o.dtype(), o.device()), o); }
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& o) {
  EMBER_CHECK(size.size() == stride.size(), "mismatch in length of strides and shape");
  return finish(ops::empty_strided(size, stride, o.dtype(), o.device()), o);
}
Tensor full(IntArrayRef size, const Scalar& value, const TensorOptions& o) {
  DType dt = o.has_dtype() ? o.dtype() : value.type();
  Tensor t = ops::empty(size, dt, o.device());
  ops::fill_(t, value);
  return finish(t, o);
}
Tensor zeros(IntArrayRef size, const TensorOptions& o) { return full(size, 0, o.dtype(o.dtype())); }
Tensor ones(IntArrayRef size, const TensorOptions& o) { return full(size, 1, o.dtype(o.dtype())); }
Tensor scalar_tensor(const Scalar& value, const TensorOptions& o) { return full({}, value, o.dtype(o.dtype())); }
Tensor empty_like(const Tensor& t, const TensorOptions& o) { return empty(t.sizes(), like(t, o)); }
Tensor zeros_like(const Tensor& t, const TensorOptions& o) { return zeros(t.sizes(), like(t, o)); }
Tensor ones_like(const Tensor& t, const TensorOptions& o) { return ones(t.sizes(), like(t, o)); }
Tensor full_like(const Tensor& t, const Scalar& v, const TensorOptions& o) { return full(t.sizes(), v, like(t, o)); }

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, std::function<void(void*)> deleter,
                 const TensorOptions& o) {
  EMBER_CHECK(sizes.size() == strides.size(), "from_blob: mismatch in length of strides and shape");
  int64_t extent = 1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EMBER_CHECK(sizes[i] >= 0, "from_blob: negative size ", sizes[i]);
    if (sizes[i] == 0) extent = 0;
  }
  if (extent) for (size_t i = 0; i < sizes.size(); ++i) extent += (sizes[i] - 1) * strides[i];
  DType dt = o.dtype();
  auto storage = std::make_shared<StorageImpl>(data, size_t(extent) * element_size(dt), o.device(), std::move(deleter));
  return finish(Tensor(std::make_shared<TensorImpl>(std::move(storage), dt, sizes, strides, 0)), o);
}
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, const TensorOptions& o) {
  return from_blob(data, sizes, strides, nullptr, o);
}
Tensor from_blob(void* data, IntArrayRef sizes, const TensorOptions& o) {
  return from_blob(data, sizes, contiguous_strides(sizes), nullptr, o);
}
Tensor from_blob(void* data, IntArrayRef sizes, std::function<void(void*)> deleter, const TensorOptions& o) {
  return from_blob(data, sizes, contiguous_strides(sizes), std::move(deleter), o);
}

TensorDataContainer::TensorDataContainer(std::initializer_list<TensorDataContainer> l) : children_(l) {
  init_from_children();
}

void TensorDataContainer::init_from_children() {
  sizes_ = {int64_t(children_.size())};
  dtype_ = kBool;
  for (size_t i = 0; i < children_.size(); ++i) {
    const auto& c = children_[i];
    if (i == 0) {
      for (int64_t s : c.sizes()) sizes_.push_back(s);
    } else {
      EMBER_CHECK(c.sizes().equals(children_[0].sizes()) && c.is_scalar() == children_[0].is_scalar(),
                  "Expected all sub-lists to have sizes: ", children_[0].sizes(), " (e.g. ", children_[0].sizes(),
                  "), but got sub-list with sizes: ", c.sizes());
    }
    DType cd = c.is_scalar() ? c.scalar().type() : c.inferred_dtype();
    dtype_ = i == 0 ? cd : promote_types(dtype_, cd);
  }
  if (children_.empty()) dtype_ = get_default_dtype();
}

namespace {
void fill_flat(const TensorDataContainer& c, std::vector<Scalar>& out) {
  if (c.is_scalar()) {
    out.push_back(c.scalar());
    return;
  }
  for (const auto& ch : c.children()) fill_flat(ch, out);
}
}  // namespace

Tensor tensor(const TensorDataContainer& data, const TensorOptions& o) {
  DType dt = o.has_dtype() ? o.dtype() : data.is_scalar() ? data.scalar().type() : data.inferred_dtype();
  std::vector<Scalar> flat;
  fill_flat(data, flat);
  IntArrayRef sizes = data.is_scalar() ? IntArrayRef() : data.sizes();
  Tensor t = ops::empty(sizes, dt, Device(kCPU));
  // Fill element by element through 0-dim views: values pass through the same casts as fill_.
  for (size_t i = 0; i < flat.size(); ++i) {
    Tensor e = ops::make_view(t, {}, {}, int64_t(i));
    ops::fill_(e, flat[i]);
  }
  if (o.device() != Device(kCPU)) t = t.to(o.device());
  return finish(t, o);
}

}  // namespace ember
