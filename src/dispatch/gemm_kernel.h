#pragma once
// The batched, strided matrix product the linalg ops hand to a backend:
//   C[b] = beta * C[b] + alpha * A[b] @ B[b]   for every index b of the batch shape,
// with A[b] (m, k), B[b] (k, n), C[b] (m, n). Operands may have any strides (0 for broadcast batch
// dims); the backend passes layouts BLAS can express straight through and copies only the others.
// beta == 0 means C is not read (NaN in it does not propagate), as in BLAS.
#include <cstdint>

#include <ember/core/scalar.h>
#include <ember/ops/activation.h>
#include <ember/ops/factory.h>
#include <ember/tensor.h>

namespace ember::dispatch {

struct MatrixOperand {
  void* data = nullptr;
  DimVector batch_strides;  // one per batch dim, in elements
  int64_t row_stride = 0, col_stride = 0;
};

// An activation of the finished product (PyTorch's _addmm_activation): relu, GELU (erf), or GELU's tanh
// approximation, which is what cuBLASLt's GELU epilogue computes.
enum class GemmActivation : uint8_t { kNone, kRelu, kGelu, kGeluTanh };

struct GemmProblem {
  DType dtype = DType::Undefined;
  DimVector batch;
  int64_t m = 0, n = 0, k = 0;
  MatrixOperand a, b, c;
  Scalar alpha = 1, beta = 0;
  // When set (addmm's 1-D bias, so linear's): C = alpha * A @ B + bias, the contiguous n-vector `bias`
  // (in dtype) added to every row, and beta is 0. cuBLASLt adds it in the product's epilogue, as
  // PyTorch's CUDA addmm does; elsewhere C is filled with it and the product added (with_bias_in_c).
  const void* bias = nullptr;
  // Applied to all of C last: C = act(alpha * A @ B + beta * C (+ bias)). cuBLASLt fuses relu and the
  // tanh GELU into its epilogue where it can; otherwise (and on the CPU) apply_activation runs after.
  GemmActivation activation = GemmActivation::kNone;
};

inline void apply_activation(Tensor& c, GemmActivation a) {
  if (a == GemmActivation::kRelu) c.relu_();
  else if (a == GemmActivation::kGelu) gelu_(c, "none");
  else if (a == GemmActivation::kGeluTanh) gelu_(c, "tanh");
}

// C of the problem as a tensor on `device`.
inline Tensor result_of(const GemmProblem& p, const Device& device) {
  DimVector sizes = p.batch, strides = p.c.batch_strides;
  sizes.push_back(p.m);
  sizes.push_back(p.n);
  strides.push_back(p.c.row_stride);
  strides.push_back(p.c.col_stride);
  return from_blob(p.c.data, sizes, strides, TensorOptions().dtype(p.dtype).device(device));
}

// The activation of a finished product, for a kernel that does not fuse it.
inline void apply_activation(const GemmProblem& p, const Device& device) {
  if (p.activation == GemmActivation::kNone) return;
  Tensor c = result_of(p, device);
  apply_activation(c, p.activation);
}

// The problem with the bias moved into C: every row of C set to it, then beta = 1 and no bias.
inline GemmProblem with_bias_in_c(const GemmProblem& p, const Device& device) {
  if (!p.bias) return p;
  Tensor c = result_of(p, device);
  c.copy_(from_blob(const_cast<void*>(p.bias), {p.n}, TensorOptions().dtype(p.dtype).device(device)).expand(c.sizes()));
  GemmProblem q = p;
  q.bias = nullptr;
  q.beta = 1;
  return q;
}

using GemmKernel = void(const GemmProblem& p);
// Zeroes the elements above (upper == false) or below (upper == true) diagonal `k` of each matrix of a
// contiguous (batch, rows, cols) tensor, in place: tril / triu.
using TriangleKernel = void(Tensor& t, int64_t rows, int64_t cols, int64_t k, bool upper);

}  // namespace ember::dispatch
