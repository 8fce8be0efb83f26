// Public linalg ops with their derivative rules. The primitives (mm, bmm, addmm, addmv, baddbmm, mv, dot,
// tril/triu) record a node whose backward uses public ops, so double backward works; matmul, outer,
// kron and tensordot are compositions of differentiable ops, as in PyTorch, and need no rule of their own.
#include <ember/autocast.h>
#include <ember/ops/linalg.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "dispatch/tensor_iterator.h"
#include "ops/linalg.h"
#include "ops/ops.h"

namespace ember {

using autograd::record;
using autograd::save_if;
using autograd::SavedVariable;
using autograd::sum_to;

namespace {

Tensor scaled(const Tensor& g, const Scalar& s) { return s.isIntegral(false) && s.toLong() == 1 ? g : g * s; }

// Records out = beta * self + alpha * (a x b), where grad_a(g, b) and grad_b(g, a) give the product's
// gradients for a and b from the output gradient g: shared by mm/bmm/mv/dot (self undefined) and
// addmm/baddbmm/addmv. self's gradient keeps self's dtype (baddbmm accepts a self of another dtype).
template <class GradA, class GradB>
void record_product(const char* name, const Tensor& out, const Tensor& self, const Tensor& a, const Tensor& b,
                    const Scalar& beta, const Scalar& alpha, GradA grad_a, GradB grad_b) {
  const bool need_self = self.defined() && self.requires_grad();
  const bool need_a = a.requires_grad(), need_b = b.requires_grad();
  DimVector self_sizes = self.defined() ? DimVector(self.sizes()) : DimVector();
  const DType self_dtype = self.defined() ? self.dtype() : out.dtype();
  record(name, {&out}, {&self, &a, &b},
         [=, sa = save_if(need_b, a), sb = save_if(need_a, b)](autograd::Node&, const tensor_list& g) -> tensor_list {
           Tensor ds, da, db;
           if (need_self) ds = sum_to(scaled(g[0], beta), self_sizes).to(self_dtype);
           if (need_a) da = scaled(grad_a(g[0], sb.unpack()), alpha);
           if (need_b) db = scaled(grad_b(g[0], sa.unpack()), alpha);
           return {ds, da, db};
         });
}

const Tensor kNone;

}  // namespace

Tensor mm(const Tensor& self, const Tensor& mat2) {
  EMBER_AUTOCAST("mm", mm, self, mat2);
  Tensor out = ops::mm(self, mat2);
  if (autograd::any_requires_grad({&self, &mat2}))
    record_product(
        "MmBackward0", out, kNone, self, mat2, 0, 1, [](const Tensor& g, const Tensor& b) { return g.mm(b.t()); },
        [](const Tensor& g, const Tensor& a) { return a.t().mm(g); });
  return out;
}

Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha) {
  EMBER_AUTOCAST("addmm", addmm, self, mat1, mat2, beta, alpha);
  Tensor out = ops::addmm(self, mat1, mat2, beta, alpha);
  if (autograd::any_requires_grad({&self, &mat1, &mat2}))
    record_product(
        "AddmmBackward0", out, self, mat1, mat2, beta, alpha,
        [](const Tensor& g, const Tensor& b) { return g.mm(b.t()); },
        [](const Tensor& g, const Tensor& a) { return a.t().mm(g); });
  return out;
}

Tensor _addmm_activation(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
                         const Scalar& alpha, bool use_gelu) {
  Tensor out = ops::addmm_activation(self, mat1, mat2, beta, alpha, use_gelu);
  if (autograd::any_requires_grad({&self, &mat1, &mat2}))
    autograd::record("NotImplemented", {&out}, {&self, &mat1, &mat2},
                     [](autograd::Node&, const tensor_list&) -> tensor_list {
                       throw Error("derivative for aten::_addmm_activation is not implemented");
                     });
  return out;
}

Tensor bmm(const Tensor& self, const Tensor& mat2) {
  EMBER_AUTOCAST("bmm", bmm, self, mat2);
  Tensor out = ops::bmm(self, mat2);
  if (autograd::any_requires_grad({&self, &mat2}))
    record_product(
        "BmmBackward0", out, kNone, self, mat2, 0, 1,
        [](const Tensor& g, const Tensor& b) { return g.bmm(b.transpose(1, 2)); },
        [](const Tensor& g, const Tensor& a) { return a.transpose(1, 2).bmm(g); });
  return out;
}

Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
               const Scalar& alpha) {
  EMBER_AUTOCAST("baddbmm", baddbmm, self, batch1, batch2, beta, alpha);
  Tensor out = ops::baddbmm(self, batch1, batch2, beta, alpha);
  if (autograd::any_requires_grad({&self, &batch1, &batch2}))
    record_product(
        "BaddbmmBackward0", out, self, batch1, batch2, beta, alpha,
        [](const Tensor& g, const Tensor& b) { return g.bmm(b.transpose(1, 2)); },
        [](const Tensor& g, const Tensor& a) { return a.transpose(1, 2).bmm(g); });
  return out;
}

Tensor mv(const Tensor& self, const Tensor& vec) {
  EMBER_AUTOCAST("mv", mv, self, vec);
  Tensor out = ops::mv(self, vec);
  if (autograd::any_requires_grad({&self, &vec}))
    record_product(
        "MvBackward0", out, kNone, self, vec, 0, 1, [](const Tensor& g, const Tensor& v) { return outer(g, v); },
        [](const Tensor& g, const Tensor& m) { return m.t().mv(g); });
  return out;
}

Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
  EMBER_AUTOCAST("addmv", addmv, self, mat, vec, beta, alpha);
  Tensor out = ops::addmv(self, mat, vec, beta, alpha);
  if (autograd::any_requires_grad({&self, &mat, &vec}))
    record_product(
        "AddmvBackward0", out, self, mat, vec, beta, alpha, [](const Tensor& g, const Tensor& v) { return outer(g, v); },
        [](const Tensor& g, const Tensor& m) { return m.t().mv(g); });
  return out;
}

Tensor dot(const Tensor& self, const Tensor& tensor) {
  EMBER_AUTOCAST("dot", dot, self, tensor);
  Tensor out = ops::dot(self, tensor);
  if (autograd::any_requires_grad({&self, &tensor}))
    record_product(
        "DotBackward0", out, kNone, self, tensor, 0, 1, [](const Tensor& g, const Tensor& b) { return g * b; },
        [](const Tensor& g, const Tensor& a) { return g * a; });
  return out;
}

// Real dtypes only, so conjugating the first argument changes nothing.
Tensor vdot(const Tensor& self, const Tensor& other) { return dot(self, other); }

Tensor outer(const Tensor& self, const Tensor& vec2) {
  EMBER_CHECK(self.dim() == 1, "outer: Expected 1-D argument self, but got ", self.dim(), "-D");
  EMBER_CHECK(vec2.dim() == 1, "outer: Expected 1-D argument vec2, but got ", vec2.dim(), "-D");
  return self.reshape({-1, 1}) * vec2;
}
Tensor ger(const Tensor& self, const Tensor& vec2) { return outer(self, vec2); }

Tensor tril(const Tensor& self, int64_t diagonal) {
  Tensor out = ops::triangle(self, diagonal, false);
  if (autograd::any_requires_grad({&self}))
    record("TrilBackward0", {&out}, {&self}, [diagonal](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {g[0].tril(diagonal)};
    });
  return out;
}

Tensor triu(const Tensor& self, int64_t diagonal) {
  Tensor out = ops::triangle(self, diagonal, true);
  if (autograd::any_requires_grad({&self}))
    record("TriuBackward0", {&out}, {&self}, [diagonal](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {g[0].triu(diagonal)};
    });
  return out;
}

namespace {
// a (..., n, k) @ b (..., k, p) for any batch shapes: broadcast the batch dims, flatten them, one bmm.
// A 1-D operand takes part as a row (a) or a column (b) whose dim is dropped from the result.
Tensor batched_matmul(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  const int64_t n = da > 1 ? a.size(-2) : 1, k = a.size(-1);
  const int64_t k2 = db > 1 ? b.size(-2) : b.size(0), p = db > 1 ? b.size(-1) : 1;
  IntArrayRef batch_a(a.sizes().data(), size_t(std::max<int64_t>(da - 2, 0)));
  IntArrayRef batch_b(b.sizes().data(), size_t(std::max<int64_t>(db - 2, 0)));
  DimVector batch = dispatch::TensorIterator::broadcast_shapes(batch_a, batch_b);
  int64_t batch_numel = 1;
  for (int64_t s : batch) batch_numel *= s;
  DimVector a_shape(batch), b_shape(batch);
  a_shape.push_back(n);
  a_shape.push_back(k);
  b_shape.push_back(k2);
  b_shape.push_back(p);
  Tensor a3 = (da == 1 ? a.unsqueeze(0) : a).expand(a_shape).reshape({batch_numel, n, k});
  Tensor b3 = (db == 1 ? b.unsqueeze(1) : b).expand(b_shape).reshape({batch_numel, k2, p});
  DimVector out_shape(batch);
  if (da > 1) out_shape.push_back(n);
  if (db > 1) out_shape.push_back(p);
  return a3.bmm(b3).view(out_shape);
}
}  // namespace

// PyTorch's matmul decomposition: dot, mv, mm, a folded mm when the batched operand can be flattened
// into rows, else a broadcast bmm.
Tensor matmul(const Tensor& self, const Tensor& other) {
  EMBER_AUTOCAST("matmul", matmul, self, other);
  const int64_t d1 = self.dim(), d2 = other.dim();
  EMBER_CHECK(d1 != 0 && d2 != 0, "both arguments to matmul need to be at least 1D, but they are ", d1, "D and ", d2,
              "D");
  if (d1 == 1 && d2 == 1) return dot(self, other);
  if (d1 == 2 && d2 == 1) return mv(self, other);
  if (d1 == 1 && d2 == 2) return self.unsqueeze(0).mm(other).squeeze(0);
  if (d1 == 2 && d2 == 2) return mm(self, other);
  if (d1 >= 3 && (d2 == 1 || d2 == 2)) {
    DimVector out_shape(IntArrayRef(self.sizes().data(), size_t(d1 - 1)));
    int64_t rows = 1;
    for (int64_t s : out_shape) rows *= s;
    Tensor folded = self.reshape({rows, self.size(-1)});
    if (d2 == 1) return folded.mv(other).view(out_shape);
    out_shape.push_back(other.size(1));
    return folded.mm(other).view(out_shape);
  }
  return batched_matmul(self, other);
}

Tensor kron(const Tensor& self, const Tensor& other) {
  const int64_t nd = std::max(self.dim(), other.dim());
  DimVector a_shape, b_shape, out_shape;
  for (int64_t i = 0; i < nd; ++i) {
    int64_t sa = i < nd - self.dim() ? 1 : self.size(i - (nd - self.dim()));
    int64_t sb = i < nd - other.dim() ? 1 : other.size(i - (nd - other.dim()));
    a_shape.push_back(sa);
    a_shape.push_back(1);
    b_shape.push_back(1);
    b_shape.push_back(sb);
    out_shape.push_back(sa * sb);
  }
  return (self.reshape(a_shape) * other.reshape(b_shape)).reshape(out_shape);
}

Tensor tensordot(const Tensor& self, const Tensor& other, int64_t dims) {
  EMBER_AUTOCAST("tensordot", tensordot, self, other, dims);
  EMBER_CHECK(dims >= 0, "tensordot expects dims >= 0, but got dims=", dims);
  DimVector da, db;
  for (int64_t i = 0; i < dims; ++i) {
    da.push_back(i - dims);
    db.push_back(i);
  }
  return tensordot(self, other, da, db);
}

Tensor tensordot(const Tensor& self, const Tensor& other, IntArrayRef dims_self, IntArrayRef dims_other) {
  EMBER_AUTOCAST("tensordot", tensordot, self, other, dims_self, dims_other);
  EMBER_CHECK(dims_self.size() == dims_other.size(), "both dimension lists should have same length");
  Tensor a = self, b = other;
  std::vector<bool> contracted_a(size_t(self.dim()), false), contracted_b(size_t(other.dim()), false);
  int64_t csize = 1;
  DimVector perm_a, perm_b;
  for (size_t i = 0; i < dims_self.size(); ++i) {
    int64_t x = ops::maybe_wrap_dim(dims_self[i], self.dim()), y = ops::maybe_wrap_dim(dims_other[i], other.dim());
    EMBER_CHECK(!contracted_a[size_t(x)], "dim ", x, " appears multiple times in the list of dims");
    EMBER_CHECK(!contracted_b[size_t(y)], "dim ", y, " appears multiple times in the list of dims");
    contracted_a[size_t(x)] = contracted_b[size_t(y)] = true;
    int64_t sa = self.size(x), sb = other.size(y);
    // A size-1 dim against a larger one is summed out of the other operand, as PyTorch does.
    if (sa != sb) {
      EMBER_CHECK(sa == 1 || sb == 1, "contracted dimensions need to match, but first has size ", sa, " in dim ", x,
                  " and second has size ", sb, " in dim ", y);
      if (sb == 1) a = a.sum(IntArrayRef{x}, true);
      else b = b.sum(IntArrayRef{y}, true);
    }
    csize *= std::min(sa, sb);
    perm_a.push_back(x);
    perm_b.push_back(y);
  }
  DimVector free_a, free_b, out_shape;
  int64_t rows = 1, cols = 1;
  for (int64_t d = 0; d < self.dim(); ++d)
    if (!contracted_a[size_t(d)]) {
      free_a.push_back(d);
      out_shape.push_back(self.size(d));
      rows *= self.size(d);
    }
  for (int64_t d = 0; d < other.dim(); ++d)
    if (!contracted_b[size_t(d)]) {
      free_b.push_back(d);
      out_shape.push_back(other.size(d));
      cols *= other.size(d);
    }
  for (int64_t d : perm_a) free_a.push_back(d);
  for (int64_t d : free_b) perm_b.push_back(d);
  Tensor am = a.permute(free_a).reshape({rows, csize});
  Tensor bm = b.permute(perm_b).reshape({csize, cols});
  return am.mm(bm).view(out_shape);
}

#define EMBER_LINALG_METHOD1(name) \
  Tensor Tensor::name(const Tensor& o) const { return ember::name(*this, o); }
EMBER_LINALG_METHOD1(matmul)
EMBER_LINALG_METHOD1(mm)
EMBER_LINALG_METHOD1(bmm)
EMBER_LINALG_METHOD1(mv)
EMBER_LINALG_METHOD1(dot)
EMBER_LINALG_METHOD1(vdot)
EMBER_LINALG_METHOD1(outer)
EMBER_LINALG_METHOD1(ger)
EMBER_LINALG_METHOD1(kron)
#undef EMBER_LINALG_METHOD1

Tensor Tensor::addmm(const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) const {
  return ember::addmm(*this, m1, m2, beta, alpha);
}
Tensor Tensor::addmv(const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) const {
  return ember::addmv(*this, mat, vec, beta, alpha);
}
Tensor Tensor::baddbmm(const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) const {
  return ember::baddbmm(*this, b1, b2, beta, alpha);
}
Tensor Tensor::tril(int64_t diagonal) const { return ember::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return ember::triu(*this, diagonal); }
Tensor& Tensor::tril_(int64_t diagonal) {
  return autograd::inplace(
      *this, false, [diagonal](const Tensor& s) { return ember::tril(s, diagonal); },
      [diagonal](Tensor& s) { ops::copy_(s, ops::triangle(s, diagonal, false)); });
}
Tensor& Tensor::triu_(int64_t diagonal) {
  return autograd::inplace(
      *this, false, [diagonal](const Tensor& s) { return ember::triu(s, diagonal); },
      [diagonal](Tensor& s) { ops::copy_(s, ops::triangle(s, diagonal, true)); });
}

}  // namespace ember
