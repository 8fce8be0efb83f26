// Factories: allocation with TensorOptions, the *_like family, and from_blob.
#include <algorithm>
#include <numeric>

#include <ember/ops/factory.h>

#include "ops/factory_util.h"
#include "ops/layout.h"
#include "ops/ops.h"

namespace ember {

namespace ops {

TensorOptions like_options(const Tensor& t, const TensorOptions& o) {
  TensorOptions r = o.has_dtype() ? o : o.dtype(t.dtype());
  return r.has_device() ? r : r.device(t.device());
}

Tensor finish_factory(Tensor t, const TensorOptions& o) {
  if (!o.requires_grad()) return t;
  // PyTorch words this check differently for factories than for requires_grad_().
  EMBER_CHECK(is_floating_point(t.dtype()), "Only Tensors of floating point and complex dtype can require gradients");
  t.requires_grad_(true);
  return t;
}

}  // namespace ops

namespace {

// PyTorch's infer_dense_strides: dense strides that keep the input's dimension order (a stable insertion
// sort by stride, zero strides staying in place).
DimVector dense_strides_like(IntArrayRef sizes, IntArrayRef strides) {
  int n = int(sizes.size());
  std::vector<int> perm(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) perm[size_t(i)] = n - 1 - i;
  auto should_swap = [&](int d0, int d1) {
    int64_t s0 = strides[size_t(d0)], s1 = strides[size_t(d1)];
    if (s0 == 0 || s1 == 0) return 0;
    if (s0 != s1) return s0 < s1 ? -1 : 1;
    return sizes[size_t(d0)] > sizes[size_t(d1)] ? 1 : 0;
  };
  for (int i = 1; i < n; ++i) {
    int d1 = i;
    for (int d0 = i - 1; d0 >= 0; --d0) {
      int c = should_swap(perm[size_t(d0)], perm[size_t(d1)]);
      if (c > 0) {
        std::swap(perm[size_t(d0)], perm[size_t(d1)]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  DimVector out(sizes.size());
  int64_t stride = 1;
  for (int d : perm) {
    out[size_t(d)] = stride;
    if (sizes[size_t(d)] > 1) stride *= sizes[size_t(d)];
  }
  return out;
}

Tensor empty_in_layout_of(const Tensor& t, const TensorOptions& o) {
  if (ops::non_overlapping_and_dense(t.sizes(), t.strides())) return empty_strided(t.sizes(), t.strides(), o);
  return empty_strided(t.sizes(), dense_strides_like(t.sizes(), t.strides()), o);
}

}  // namespace

Tensor empty(IntArrayRef size, const TensorOptions& o) {
  return ops::finish_factory(ops::empty(size, o.dtype(), o.device()), o);
}
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, const TensorOptions& o) {
  EMBER_CHECK(size.size() == stride.size(), "mismatch in length of strides and shape");
  return ops::finish_factory(ops::empty_strided(size, stride, o.dtype(), o.device()), o);
}
Tensor full(IntArrayRef size, const Scalar& value, const TensorOptions& o) {
  DType dt = o.has_dtype() ? o.dtype() : value.type();
  ops::check_fill_value(value, dt);
  Tensor t = ops::empty(size, dt, o.device());
  ops::fill_(t, value);
  return ops::finish_factory(t, o);
}
Tensor zeros(IntArrayRef size, const TensorOptions& o) { return full(size, 0, o.dtype(o.dtype())); }
Tensor ones(IntArrayRef size, const TensorOptions& o) { return full(size, 1, o.dtype(o.dtype())); }
Tensor scalar_tensor(const Scalar& value, const TensorOptions& o) { return full({}, value, o.dtype(o.dtype())); }

Tensor empty_like(const Tensor& t, const TensorOptions& o) {
  return empty_in_layout_of(t, ops::like_options(t, o));
}
Tensor full_like(const Tensor& t, const Scalar& v, const TensorOptions& o) {
  TensorOptions lo = ops::like_options(t, o);
  ops::check_fill_value(v, lo.dtype());
  Tensor r = empty_in_layout_of(t, lo.requires_grad(false));
  ops::fill_(r, v);
  return ops::finish_factory(r, lo);
}
Tensor zeros_like(const Tensor& t, const TensorOptions& o) { return full_like(t, 0, o); }
Tensor ones_like(const Tensor& t, const TensorOptions& o) { return full_like(t, 1, o); }

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, std::function<void(void*)> deleter,
                 const TensorOptions& o) {
  EMBER_CHECK(sizes.size() == strides.size(), "from_blob: mismatch in length of strides and shape");
  int64_t extent = 1;
  for (int64_t s : sizes) {
    EMBER_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", sizes);
    if (s == 0) extent = 0;
  }
  if (extent)
    for (size_t i = 0; i < sizes.size(); ++i) extent += (sizes[i] - 1) * strides[i];
  DType dt = o.dtype();
  auto storage = std::make_shared<StorageImpl>(data, size_t(extent) * element_size(dt), o.device(), std::move(deleter));
  return ops::finish_factory(Tensor(std::make_shared<TensorImpl>(std::move(storage), dt, sizes, strides, 0)), o);
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

}  // namespace ember
