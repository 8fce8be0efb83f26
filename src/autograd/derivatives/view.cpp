// Public view ops. A view of a tensor that requires grad gets a node whose backward maps the gradient
// back to the base's shape.
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember {

using autograd::record;

namespace {
template <class F>
Tensor record_view(const char* name, const Tensor& self, Tensor out, F backward) {
  if (autograd::any_requires_grad({&self})) {
    record(name, {&out}, {&self}, [backward](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {backward(g[0])};
    });
    out.unsafeGetTensorImpl()->autograd->is_differentiable_view = true;
  }
  return out;
}
}  // namespace

Tensor Tensor::view(IntArrayRef size) const {
  DimVector in(sizes());
  return record_view("ViewBackward0", *this, ops::view(*this, size), [in](const Tensor& g) { return g.reshape(in); });
}

Tensor Tensor::reshape(IntArrayRef size) const {
  DimVector shape = ops::infer_size(size, numel());
  if (is_contiguous()) return view(shape);
  // Try a view first; copy only when the strides can't express the new shape.
  try {
    NoGradGuard ng;
    ops::view(*this, shape);
  } catch (const Error&) {
    return contiguous().view(shape);
  }
  return view(shape);
}

Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride, std::optional<int64_t> offset) const {
  EMBER_CHECK(!requires_grad() || !GradMode::is_enabled(),
              "as_strided: differentiating through as_strided is not supported yet");
  return ops::as_strided(*this, size, stride, offset.value_or(storage_offset()));
}

Tensor Tensor::expand(IntArrayRef size, bool) const {
  DimVector in(sizes());
  return record_view("ExpandBackward0", *this, ops::expand(*this, size),
                     [in](const Tensor& g) { return autograd::sum_to(g, in); });
}
Tensor Tensor::expand_as(const Tensor& other) const { return expand(other.sizes()); }

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  return record_view("TransposeBackward0", *this, ops::transpose(*this, d0, d1),
                     [d0, d1](const Tensor& g) { return g.transpose(d0, d1); });
}
Tensor Tensor::t() const {
  EMBER_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
  return dim() < 2 ? record_view("TBackward0", *this, ops::make_view(*this, sizes(), strides(), storage_offset()),
                                 [](const Tensor& g) { return g; })
                   : transpose(0, 1);
}

Tensor Tensor::permute(IntArrayRef dims) const {
  Tensor out = ops::permute(*this, dims);
  DimVector inv(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) inv[size_t(ops::maybe_wrap_dim(dims[i], dim()))] = int64_t(i);
  return record_view("PermuteBackward0", *this, out, [inv](const Tensor& g) { return g.permute(inv); });
}

Tensor Tensor::squeeze() const {
  DimVector in(sizes());
  return record_view("SqueezeBackward0", *this, ops::squeeze(*this, std::nullopt),
                     [in](const Tensor& g) { return g.reshape(in); });
}
Tensor Tensor::squeeze(int64_t d) const {
  DimVector in(sizes());
  return record_view("SqueezeBackward1", *this, ops::squeeze(*this, d), [in](const Tensor& g) { return g.reshape(in); });
}
Tensor Tensor::unsqueeze(int64_t d) const {
  int64_t w = ops::maybe_wrap_dim(d, dim() + 1);
  return record_view("UnsqueezeBackward0", *this, ops::unsqueeze(*this, d), [w](const Tensor& g) { return g.squeeze(w); });
}

}  // namespace ember
