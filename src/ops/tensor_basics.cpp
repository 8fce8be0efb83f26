// Allocation, copy, fill and dtype conversion: the ops every other op builds on.
#include <cmath>
#include <limits>

#include "dispatch/kernel_types.h"
#include "dispatch/registry.h"
#include "ops/dtype_limits.h"
#include "ops/ops.h"

namespace ember::ops {

int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, bool wrap_scalar) {
  if (ndim <= 0 && wrap_scalar) ndim = 1;
  EMBER_CHECK_INDEX(dim >= -ndim && dim < ndim, "Dimension out of range (expected to be in range of [", -ndim,
                    ", ", ndim - 1, "], but got ", dim, ")");
  return dim < 0 ? dim + ndim : dim;
}

void check_same_device(const char* op, const Tensor& a, const Tensor& b) {
  if (__builtin_expect(a.device() != b.device(), 0))
    throw Error(detail::str("Expected all tensors to be on the same device, but found at least two devices, ",
                            a.device(), " and ", b.device(), "! (when checking arguments for ", op, ")"));
}

namespace {
bool is_cpu_scalar(const Tensor& t) { return t.dim() == 0 && t.is_cpu(); }
}  // namespace

Device common_device(const char* op, std::initializer_list<const Tensor*> operands) {
  const Tensor* first = nullptr;  // the first operand that fixes the device
  for (const Tensor* t : operands)
    if (t->defined() && !is_cpu_scalar(*t)) {
      first = t;
      break;
    }
  if (!first) return Device(kCPU);
  for (const Tensor* t : operands)
    if (t->defined() && t->device() != first->device() && !is_cpu_scalar(*t)) check_same_device(op, *first, *t);
  return first->device();
}

Tensor scalar_on(const Tensor& t, Device device) {
  if (!t.defined() || t.device() == device || !is_cpu_scalar(t)) return t;
  return scalar_tensor(t.item(), t.dtype(), device);
}

}  // namespace ember::ops

bool ember::can_cast(DType from, DType to) {
  if (is_floating_point(from) && is_integral(to, true)) return false;
  if (from != kBool && to == kBool) return false;
  return true;
}

namespace ember::ops {

Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, DType dtype, Device device) {
  int64_t extent = 1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EMBER_CHECK(sizes[i] >= 0, "Trying to create tensor with negative dimension ", sizes[i], ": ", sizes);
    if (sizes[i] == 0) extent = 0;
  }
  if (extent != 0)
    for (size_t i = 0; i < sizes.size(); ++i) extent += (sizes[i] - 1) * strides[i];
  auto storage = std::make_shared<StorageImpl>(size_t(extent) * element_size(dtype), device);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), dtype, sizes, strides, 0));
}

Tensor empty(IntArrayRef sizes, DType dtype, Device device) {
  return empty_strided(sizes, contiguous_strides(sizes), dtype, device);
}

Tensor on_device(const Tensor& t, Device device) {
  if (t.device() == device) return t;
  Tensor out = empty(t.sizes(), t.dtype(), device);
  return copy_(out, t);
}

Tensor scalar_tensor(const Scalar& s, DType dtype, Device device) {
  Tensor t = empty({}, dtype, device);
  return fill_(t, s);
}

namespace {
// A copy of `t` in `dtype` laid out like `t` (PyTorch's preserve_format: a transposed input gives a
// transposed copy; expanded dims are materialised densely).
Tensor copy_preserving_layout(const Tensor& t, DType dtype) {
  Tensor out;
  dispatch::TensorIterator it(out, dtype, {&t});
  static auto& k = dispatch::slot("copy");
  if (t.numel() > 0) dispatch::kernel<dispatch::CopyKernel>(k, t.device().type())(it);
  return out;
}
}  // namespace

Tensor cast(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  return copy_preserving_layout(t, dtype);
}

Tensor& copy_(Tensor& self, const Tensor& src, bool non_blocking) {
  if (self.is_same(src)) return self;
  if (self.device().type() != src.device().type()) {
    static auto& kx = dispatch::slot("copy_across_devices");
    if (self.numel() == 0) return self;
    DeviceType backend = self.is_cpu() ? src.device().type() : self.device().type();
    dispatch::kernel<dispatch::CopyAcrossDevicesKernel>(kx, backend)(self, src, non_blocking);
    return self;
  }
  check_same_device("copy_", self, src);
  if (self.numel() == 0) return self;
  if (src.storage() == self.storage() && src.storage_offset() == self.storage_offset() &&
      src.sizes().equals(self.sizes()) && src.strides().equals(self.strides()) && src.dtype() == self.dtype())
    return self;
  Tensor out = self;
  dispatch::TensorIterator it(out, self.dtype(), {&src});
  static auto& k = dispatch::slot("copy");
  dispatch::kernel<dispatch::CopyKernel>(k, self.device().type())(it);
  return self;
}

Tensor& fill_(Tensor& self, const Scalar& value) {
  if (self.numel() == 0) return self;
  Tensor out = self;
  dispatch::TensorIterator it(out, self.dtype(), {}, true, false);
  static auto& k = dispatch::slot("fill");
  dispatch::kernel<dispatch::FillKernel>(k, self.device().type())(it, value);
  return self;
}

void check_fill_value(const Scalar& value, DType dtype) {
  if (dtype == kBool || value.isBoolean()) return;
  auto [lo, hi] = dtype_range(dtype);
  bool fits;
  if (value.isFloatingPoint()) {
    double d = value.toDouble();
    if (is_floating_point(dtype)) fits = std::isnan(d) || std::isinf(d) || (d >= lo && d <= hi);
    else fits = d >= lo && d <= hi;  // false for NaN and infinities
  } else if (dtype == kInt64) {
    fits = true;
  } else {
    int64_t i = value.toLong();
    // Unsigned targets take negatives down to -max (c10 lets them wrap around).
    fits = dtype == kUInt8 ? (i <= int64_t(hi) && i >= -int64_t(hi)) : (double(i) >= lo && double(i) <= hi);
  }
  EMBER_CHECK(fits, "value cannot be converted to type ", checked_convert_type_name(dtype), " without overflow");
}

Tensor contiguous(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor out = empty(t.sizes(), t.dtype(), t.device());
  return copy_(out, t);
}

Tensor clone(const Tensor& t) { return copy_preserving_layout(t, t.dtype()); }

}  // namespace ember::ops
