// Copies and dtype conversions with their derivative rules.
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember {

Tensor Tensor::clone() const {
  Tensor out = ops::clone(*this);
  if (autograd::any_requires_grad({this}))
    autograd::record("CloneBackward0", {&out}, {this},
                     [](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0]}; });
  return out;
}

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  Tensor out = ops::contiguous(*this);
  if (autograd::any_requires_grad({this}))
    autograd::record("CloneBackward0", {&out}, {this},
                     [](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0]}; });
  return out;
}

Tensor Tensor::to(DType t, bool, bool copy) const {
  if (t == dtype() && !copy) return *this;
  Tensor out = ops::cast(*this, t);
  if (out.is_same(*this)) out = ops::clone(*this);
  if (autograd::any_requires_grad({this})) {
    DType in_dt = dtype();
    if (ember::is_floating_point(t))
      autograd::record("ToCopyBackward0", {&out}, {this},
                       [in_dt](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0].to(in_dt)}; });
  }
  return out;
}

Tensor Tensor::to(Device d, bool non_blocking, bool copy) const {
  if (d.type() == device().type() && (!d.has_index() || d == device())) return copy ? clone() : *this;
  EMBER_CHECK(d.type() != device().type(), "to(", d, "): copies between two GPUs are not supported yet");
  Tensor out = ops::empty(sizes(), dtype(), d);
  ops::copy_(out, *this, non_blocking);
  if (autograd::any_requires_grad({this})) {
    Device from = device();
    autograd::record("ToCopyBackward0", {&out}, {this},
                     [from](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0].to(from)}; });
  }
  return out;
}
Tensor Tensor::to(Device d, DType t, bool non_blocking, bool copy) const {
  return to(d, non_blocking, false).to(t, non_blocking, copy);
}
Tensor Tensor::to(const TensorOptions& o, bool non_blocking, bool copy) const {
  return to(o.has_device() ? o.device() : device(), o.has_dtype() ? o.dtype() : dtype(), non_blocking, copy);
}

Tensor& Tensor::copy_(const Tensor& src, bool non_blocking) {
  bool src_rg = GradMode::is_enabled() && src.requires_grad();
  if (!GradMode::is_enabled() || !(requires_grad() || src_rg)) {
    ops::copy_(*this, src, non_blocking);
    bump_version();
    return *this;
  }
  autograd::check_inplace(*this);
  DimVector src_sizes(src.sizes());
  DType src_dt = src.dtype();
  Device src_dev = src.device();
  ops::copy_(*this, src, non_blocking);
  bump_version();
  // The old values of self are overwritten: no gradient flows to self's history.
  Tensor self_ref = *this;
  autograd::record("CopyBackwards", {&self_ref}, {&src},
                   [src_sizes, src_dt, src_dev](autograd::Node&, const tensor_list& g) -> tensor_list {
                     return {autograd::sum_to(g[0], src_sizes).to(src_dev, src_dt)};
                   });
  return *this;
}

Tensor& Tensor::fill_(const Scalar& v) {
  if (GradMode::is_enabled() && requires_grad()) autograd::check_inplace(*this);
  ops::check_fill_value(v, dtype());
  ops::fill_(*this, v);
  bump_version();
  if (GradMode::is_enabled() && requires_grad()) {
    Tensor self_ref = *this;
    autograd::record("FillBackward0", {&self_ref}, {},
                     [](autograd::Node&, const tensor_list&) -> tensor_list { return {}; });
  }
  return *this;
}

Tensor& Tensor::fill_(const Tensor& v) {
  EMBER_CHECK(v.dim() == 0, "fill_ only supports 0-dimension value tensor but got tensor with ", v.dim(),
              " dimensions.");
  return copy_(v.expand(sizes()));
}

Tensor& Tensor::zero_() { return fill_(0); }

}  // namespace ember
