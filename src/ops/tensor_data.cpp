// ember::tensor from nested braced lists, vectors and single numbers (libtorch's TensorDataContainer).
#include <cstring>

#include <ember/ops/factory.h>

#include "backend/common/visit_dtype.h"
#include "ops/factory_util.h"
#include "ops/ops.h"

namespace ember {

TensorDataContainer::TensorDataContainer() : kind_(Kind::List), sizes_({0}), dtype_(get_default_dtype()) {}

TensorDataContainer::TensorDataContainer(std::initializer_list<TensorDataContainer> l)
    : kind_(Kind::List), children_(l) {
  if (children_.empty()) {
    sizes_ = {0};
    dtype_ = get_default_dtype();
    return;
  }
  const TensorDataContainer& first = children_.front();
  dtype_ = first.scalar_type();
  for (const auto& c : children_) {
    EMBER_CHECK(c.sizes().equals(first.sizes()), "Expected all sub-lists to have sizes: ", first.sizes(), " (e.g. ",
                first, "), but got sub-list ", c, " with sizes: ", c.sizes());
    dtype_ = promote_types(dtype_, c.scalar_type());
  }
  sizes_.reserve(first.sizes().size() + 1);
  sizes_.push_back(int64_t(children_.size()));
  sizes_.insert(sizes_.end(), first.sizes().begin(), first.sizes().end());
}

Tensor TensorDataContainer::vector_tensor(int64_t n, DType t) { return ops::empty({n}, t, Device(kCPU)); }

namespace {

void print_number(std::ostream& os, const Scalar& s, DType t) {
  if (t == kBool) os << int(s.toBool());
  else if (is_floating_point(t)) os << s.toDouble();
  else os << s.toLong();
}

template <class T>
void write_typed(const TensorDataContainer& c, T*& out) {
  if (c.is_scalar()) {
    *out++ = c.scalar().to<T>();
  } else if (c.is_vector()) {
    Tensor v = ops::cast(c.values(), dtype_of<T>);
    if (v.numel() == 0) return;  // an empty vector has no buffer: memcpy must not see a null pointer
    std::memcpy(static_cast<void*>(out), v.data_ptr(), size_t(v.numel()) * sizeof(T));
    out += v.numel();
  } else {
    for (const auto& child : c.children()) write_typed(child, out);
  }
}

// libtorch: int32/int64 literals become int64, float/double the default dtype (as Python numbers do).
DType desired_dtype(DType t) {
  if (t == kInt32 || t == kInt64) return kInt64;
  if (t == kFloat32 || t == kFloat64) return get_default_dtype();
  return t;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const TensorDataContainer& c) {
  if (c.is_scalar()) {
    print_number(os, c.scalar(), c.scalar_type());
    return os;
  }
  os << '{';
  if (c.is_vector()) {
    for (int64_t i = 0; i < c.values().numel(); ++i) {
      if (i) os << ", ";
      print_number(os, ops::make_view(c.values(), {}, {}, i).item(), c.scalar_type());
    }
  } else {
    for (size_t i = 0; i < c.children().size(); ++i) os << (i ? ", " : "") << c.children()[i];
  }
  return os << '}';
}

Tensor tensor(const TensorDataContainer& data, const TensorOptions& o) {
  DType dt = o.has_dtype() ? o.dtype() : desired_dtype(data.scalar_type());
  Tensor t = ops::empty(data.sizes(), dt, Device(kCPU));
  kernels::visit_dtype(dt, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = static_cast<T*>(t.data_ptr());
    write_typed(data, p);
  });
  if (o.device() != Device(kCPU)) t = t.to(o.device());
  return ops::finish_factory(t, o);
}

}  // namespace ember
