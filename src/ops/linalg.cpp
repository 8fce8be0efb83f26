// Matrix products and tril/triu: PyTorch's argument checks, then one call into the "gemm" kernel with
// the operands' own strides (the backend decides what BLAS can take as is).
#include "ops/linalg.h"

#include "dispatch/gemm_kernel.h"
#include "dispatch/registry.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {

using dispatch::GemmProblem;
using dispatch::MatrixOperand;

void check_scalar_type(const Tensor& expected, const Tensor& found) {
  EMBER_CHECK(expected.dtype() == found.dtype(), "expected scalar type ", dtype_title(expected.dtype()),
              " but found ", dtype_title(found.dtype()));
}

void check_not_bool(const char* kernel, DType t) {
  EMBER_CHECK_T(NotImplementedError, t != kBool, "\"", kernel, "\" not implemented for '", dtype_title(t), "'");
}

void check_mm_shapes(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
              " and ", b.size(0), "x", b.size(1), ")");
  EMBER_CHECK(a.dtype() == b.dtype(), "expected m1 and m2 to have the same dtype, but got: ", dtype_cpp_name(a.dtype()),
              " != ", dtype_cpp_name(b.dtype()));
}

// The matrix dims are the last two of `t`; the ones before are batch dims.
MatrixOperand operand(const Tensor& t) {
  MatrixOperand o;
  o.data = t.data_ptr();
  size_t nb = size_t(t.dim() - 2);
  for (size_t d = 0; d < nb; ++d) o.batch_strides.push_back(t.strides()[d]);
  o.row_stride = t.strides()[nb];
  o.col_stride = t.strides()[nb + 1];
  return o;
}

// out (batch..., m, n), contiguous and freshly allocated, = beta * out + alpha * a @ b. With k == 0 the
// product is zero, so only the scaling of out is left.
void gemm_into(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha,
               const Tensor& bias = Tensor(), dispatch::GemmActivation activation = dispatch::GemmActivation::kNone) {
  const int64_t nd = out.dim();
  GemmProblem p;
  p.dtype = out.dtype();
  for (int64_t d = 0; d < nd - 2; ++d) p.batch.push_back(out.size(d));
  p.m = out.size(nd - 2);
  p.n = out.size(nd - 1);
  p.k = a.size(nd - 1);
  if (p.k == 0) {
    // Integer outputs take beta as an integer, as the kernels do.
    const Scalar b = is_integral(out.dtype(), true) ? Scalar(beta.toLong()) : beta;
    if (b.toDouble() == 0) fill_(out, 0);
    else if (b.toDouble() != 1) copy_(out, ops::mul(out, wrap_scalar(out, b)));
    dispatch::apply_activation(out, activation);
    return;
  }
  p.a = operand(a);
  p.b = operand(b);
  p.c = operand(out);
  p.alpha = alpha;
  p.beta = beta;
  if (bias.defined()) p.bias = bias.data_ptr();
  p.activation = activation;
  static auto& k = dispatch::slot("gemm");
  dispatch::kernel<dispatch::GemmKernel>(k, out.device().type())(p);
}

// A fresh contiguous tensor holding `self` broadcast to `shape` (the C of an add-and-multiply op), or an
// uninitialised one when beta == 0 makes its values irrelevant.
Tensor prepare_output(const Tensor& self, IntArrayRef shape, DType dt, const Scalar& beta) {
  Tensor expanded = expand(self, shape);
  Tensor out = empty(shape, dt, self.device());
  if (beta.toDouble() != 0) copy_(out, expanded);
  return out;
}

// A vector viewed as a (k, 1) column or a (1, k) row, for the kernel.
Tensor as_column(const Tensor& v) { return make_view(v, {v.size(0), 1}, {v.stride(0), 1}, v.storage_offset()); }
Tensor as_row(const Tensor& v) { return make_view(v, {1, v.size(0)}, {1, v.stride(0)}, v.storage_offset()); }

void check_addmv_args(const Tensor& self, const Tensor& mat, const Tensor& vec) {
  EMBER_CHECK(mat.dim() == 2 && vec.dim() == 1 && self.dim() <= 1, "vector + matrix @ vector expected, got ",
              self.dim(), ", ", mat.dim(), ", ", vec.dim());
  EMBER_CHECK(mat.size(1) == vec.size(0) && (mat.size(0) == self.numel() || self.numel() == 1), "size mismatch, got ",
              self.dim() == 0 ? 1 : self.size(0), ", ", mat.size(0), "x", mat.size(1), ",", vec.size(0));
  check_scalar_type(mat, vec);
  check_not_bool("addmv_impl_cpu", mat.dtype());
}

void check_bmm_args(const Tensor& b1, const Tensor& b2) {
  EMBER_CHECK(b1.dim() == 3, "batch1 must be a 3D tensor");
  EMBER_CHECK(b2.dim() == 3, "batch2 must be a 3D tensor");
  EMBER_CHECK(b2.size(0) == b1.size(0) && b2.size(1) == b1.size(2),
              "Expected size for first two dimensions of batch2 tensor to be: [", b1.size(0), ", ", b1.size(2),
              "] but got: [", b2.size(0), ", ", b2.size(1), "].");
  check_scalar_type(b1, b2);
  check_not_bool("bmm", b1.dtype());
}

}  // namespace

Tensor mm(const Tensor& self, const Tensor& mat2) {
  EMBER_CHECK(self.dim() == 2, "self must be a matrix");
  EMBER_CHECK(mat2.dim() == 2, "mat2 must be a matrix");
  check_same_device("mm", self, mat2);
  check_mm_shapes(self, mat2);
  check_not_bool("addmm_impl_cpu_", self.dtype());
  Tensor out = empty({self.size(0), mat2.size(1)}, self.dtype(), self.device());
  gemm_into(out, self, mat2, 0, 1);
  return out;
}

namespace {
Tensor addmm_impl(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha,
                  dispatch::GemmActivation activation) {
  EMBER_CHECK(mat1.dim() == 2, "mat1 must be a matrix, got ", mat1.dim(), "-D tensor");
  EMBER_CHECK(mat2.dim() == 2, "mat2 must be a matrix, got ", mat2.dim(), "-D tensor");
  check_same_device("addmm", mat1, mat2);
  check_same_device("addmm", self, mat2);
  check_mm_shapes(mat1, mat2);
  EMBER_CHECK(self.dtype() == mat2.dtype(), "self and mat2 must have the same dtype");
  check_not_bool("addmm_impl_cpu_", self.dtype());
  // A GELU the dtype cannot take is refused before the product (PyTorch's message for it).
  EMBER_CHECK(activation == dispatch::GemmActivation::kNone || activation == dispatch::GemmActivation::kRelu ||
                  is_floating_point(self.dtype()),
              "\"GeluKernelImpl\" not implemented for '", dtype_title(self.dtype()), "'");
  // A contiguous bias vector added once (linear's case) goes to the kernel as the product's bias, which
  // cuBLASLt adds in its epilogue instead of a copy of the bias into every row of out beforehand.
  if (self.dim() == 1 && self.size(0) == mat2.size(1) && self.is_contiguous() && beta.toDouble() == 1 &&
      mat1.size(1) > 0) {
    Tensor out = empty({mat1.size(0), mat2.size(1)}, self.dtype(), self.device());
    gemm_into(out, mat1, mat2, 0, alpha, self, activation);
    return out;
  }
  Tensor out = prepare_output(self, {mat1.size(0), mat2.size(1)}, self.dtype(), beta);
  gemm_into(out, mat1, mat2, beta, alpha, Tensor(), activation);
  return out;
}
}  // namespace

Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha) {
  return addmm_impl(self, mat1, mat2, beta, alpha, dispatch::GemmActivation::kNone);
}

Tensor addmm_activation(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
                        const Scalar& alpha, bool use_gelu) {
  using dispatch::GemmActivation;
  const GemmActivation a = !use_gelu ? GemmActivation::kRelu
                           : self.is_cuda() ? GemmActivation::kGeluTanh
                                            : GemmActivation::kGelu;
  return addmm_impl(self, mat1, mat2, beta, alpha, a);
}

Tensor bmm(const Tensor& self, const Tensor& mat2) {
  check_bmm_args(self, mat2);
  check_same_device("bmm", self, mat2);
  Tensor out = empty({self.size(0), self.size(1), mat2.size(2)}, self.dtype(), self.device());
  gemm_into(out, self, mat2, 0, 1);
  return out;
}

Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha) {
  check_bmm_args(batch1, batch2);
  check_same_device("baddbmm", batch1, batch2);
  check_same_device("baddbmm", self, batch1);
  Tensor out = prepare_output(self, {batch1.size(0), batch1.size(1), batch2.size(2)}, batch1.dtype(), beta);
  gemm_into(out, batch1, batch2, beta, alpha);
  return out;
}

Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
  check_addmv_args(self, mat, vec);
  check_same_device("addmv", mat, vec);
  check_same_device("addmv", self, mat);
  check_scalar_type(mat, self);
  Tensor out = prepare_output(self, {mat.size(0)}, mat.dtype(), beta);
  Tensor out_col = as_column(out);
  gemm_into(out_col, mat, as_column(vec), beta, alpha);
  return out;
}

Tensor mv(const Tensor& self, const Tensor& vec) {
  // PyTorch's mv is addmv into its own 1-D result, so the messages count that result as `self`.
  EMBER_CHECK(self.dim() == 2 && vec.dim() == 1, "vector + matrix @ vector expected, got 1, ", self.dim(), ", ",
              vec.dim());
  EMBER_CHECK(self.size(1) == vec.size(0), "size mismatch, got ", self.size(0), ", ", self.size(0), "x", self.size(1),
              ",", vec.size(0));
  check_scalar_type(self, vec);
  check_not_bool("addmv_impl_cpu", self.dtype());
  check_same_device("mv", self, vec);
  Tensor out = empty({self.size(0)}, self.dtype(), self.device());
  Tensor out_col = as_column(out);
  gemm_into(out_col, self, as_column(vec), 0, 1);
  return out;
}

Tensor dot(const Tensor& self, const Tensor& other) {
  EMBER_CHECK(self.dim() == 1 && other.dim() == 1, "1D tensors expected, but got ", self.dim(), "D and ", other.dim(),
              "D tensors");
  EMBER_CHECK(self.dtype() == other.dtype(), "dot : expected both vectors to have same dtype, but found ",
              dtype_title(self.dtype()), " and ", dtype_title(other.dtype()));
  EMBER_CHECK(self.numel() == other.numel(), "inconsistent tensor size, expected tensor [", self.numel(),
              "] and src [", other.numel(), "] to have the same number of elements, but got ", self.numel(), " and ",
              other.numel(), " elements respectively");
  check_same_device("dot", self, other);
  check_not_bool("dot", self.dtype());
  Tensor out = empty({}, self.dtype(), self.device());
  Tensor out_mat = make_view(out, {1, 1}, {1, 1}, out.storage_offset());
  gemm_into(out_mat, as_row(self), as_column(other), 0, 1);
  return out;
}

Tensor triangle(const Tensor& self, int64_t diagonal, bool upper) {
  maybe_wrap_dim(-2, self.dim());
  Tensor out = empty(self.sizes(), self.dtype(), self.device());
  copy_(out, self);
  static auto& k = dispatch::slot("triangle");
  dispatch::kernel<dispatch::TriangleKernel>(k, self.device().type())(out, self.size(-2), self.size(-1), diagonal,
                                                                     upper);
  return out;
}

}  // namespace ember::ops
