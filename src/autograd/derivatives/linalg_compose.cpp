// Linalg ops composed from other public differentiable ops, so their gradients come from those:
// addbmm and addr (addmm and outer), inner (tensordot), cross (products of slices) and trace.
#include <ember/autocast.h>
#include <ember/ops/factory.h>
#include <ember/ops/linalg.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/shape.h>

#include "ops/ops.h"

namespace ember {

namespace {
bool is_zero(const Scalar& s) { return s.toDouble() == 0; }
bool is_one(const Scalar& s) { return !s.isFloatingPoint() && s.toLong() == 1; }
}  // namespace

// The batched products summed over the batch are one mm of the batches laid side by side:
// [b1[0] | b1[1] | ...] (n x b*k) times [b2[0]; b2[1]; ...] (b*k x p).
Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha) {
  EMBER_AUTOCAST("addbmm", addbmm, self, batch1, batch2, beta, alpha);
  // PyTorch reads the result's size (batch1.size(1), batch2.size(2)) before it checks the ranks, so a
  // batch with too few dims is an IndexError there; the same here.
  batch1.size(1);
  batch2.size(2);
  EMBER_CHECK(batch1.dim() == 3, "batch1 must be a 3D tensor");
  EMBER_CHECK(batch2.dim() == 3, "batch2 must be a 3D tensor");
  EMBER_CHECK(batch1.size(0) == batch2.size(0), "batch1 and batch2 must have same number of batches, got ",
              batch1.size(0), " and ", batch2.size(0));
  EMBER_CHECK(batch1.size(2) == batch2.size(1), "Incompatible matrix sizes for bmm (", batch1.size(1), "x",
              batch1.size(2), " and ", batch2.size(1), "x", batch2.size(2), ")");
  const int64_t b = batch1.size(0), n = batch1.size(1), k = batch1.size(2), p = batch2.size(2);
  return addmm(self, batch1.permute({1, 0, 2}).reshape({n, b * k}), batch2.reshape({b * k, p}), beta, alpha);
}

// Elementwise, as PyTorch's addr, so the dtypes promote and bool works; with beta == 0, self's values
// are ignored (NaN does not propagate).
Tensor addr(const Tensor& self, const Tensor& vec1, const Tensor& vec2, const Scalar& beta, const Scalar& alpha) {
  EMBER_AUTOCAST("addr", addr, self, vec1, vec2, beta, alpha);
  EMBER_CHECK(vec1.dim() == 1, "addr: Expected 1-D argument vec1, but got ", vec1.dim(), "-D");
  EMBER_CHECK(vec2.dim() == 1, "addr: Expected 1-D argument vec2, but got ", vec2.dim(), "-D");
  Tensor product = outer(vec1, vec2);
  if (!is_one(alpha)) product = product * alpha;
  // masked_fill rather than zeros: self stays in the graph, so its gradient is zeros as in PyTorch.
  if (is_zero(beta))
    return self.masked_fill(ones(self.sizes(), TensorOptions(kBool).device(self.device())), 0) + product;
  return (is_one(beta) ? self : self * beta) + product;
}

Tensor inner(const Tensor& self, const Tensor& other) {
  if (self.dim() == 0 || other.dim() == 0) return self * other;
  EMBER_CHECK(self.size(-1) == other.size(-1),
              "inner() the last dimension must match on both input tensors but got shapes ", self.sizes(), " and ",
              other.sizes());
  return tensordot(self, other, {-1}, {-1});
}

Tensor cross(const Tensor& self, const Tensor& other, std::optional<int64_t> dim) {
  EMBER_AUTOCAST("cross", cross, self, other, dim);
  int64_t d = -1;
  if (dim) {
    d = *dim;
  } else {
    for (int64_t i = 0; i < self.dim() && d < 0; ++i)
      if (self.size(i) == 3) d = i;
    EMBER_CHECK(d >= 0, "no dimension of size 3 in input");
  }
  EMBER_CHECK(self.dim() == other.dim(), "linalg.cross: inputs must have the same number of dimensions.");
  d = ops::maybe_wrap_dim(d, self.dim());
  EMBER_CHECK(self.size(d) == 3 && other.size(d) == 3, "linalg.cross: inputs dimension ", d,
              " must have length 3. Got ", self.size(d), " and ", other.size(d));
  EMBER_CHECK(self.dtype() == other.dtype(), "expected scalar type ", dtype_title(self.dtype()), " but found ",
              dtype_title(other.dtype()));
  auto a = [&](int64_t i) { return self.select(d, i); };
  auto b = [&](int64_t i) { return other.select(d, i); };
  return stack({a(1) * b(2) - a(2) * b(1), a(2) * b(0) - a(0) * b(2), a(0) * b(1) - a(1) * b(0)}, d);
}

Tensor trace(const Tensor& self) {
  EMBER_AUTOCAST("trace", trace, self);
  EMBER_CHECK(self.dim() == 2, "trace: expected a matrix, but got tensor with dim ", self.dim());
  DType t = self.dtype();
  EMBER_CHECK(t != kBool && t != kFloat16 && t != kBFloat16, "\"trace\" not implemented for '", dtype_title(t), "'");
  return self.diagonal().sum();
}

Tensor Tensor::addbmm(const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) const {
  return ember::addbmm(*this, b1, b2, beta, alpha);
}
Tensor Tensor::addr(const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) const {
  return ember::addr(*this, v1, v2, beta, alpha);
}
Tensor Tensor::inner(const Tensor& other) const { return ember::inner(*this, other); }
Tensor Tensor::cross(const Tensor& other, std::optional<int64_t> dim) const { return ember::cross(*this, other, dim); }
Tensor Tensor::trace() const { return ember::trace(*this); }

}  // namespace ember
