#pragma once
// The batched, strided matrix product the linalg ops hand to a backend:
//   C[b] = beta * C[b] + alpha * A[b] @ B[b]   for every index b of the batch shape,
// with A[b] (m, k), B[b] (k, n), C[b] (m, n). Operands may have any strides (0 for broadcast batch
// dims); the backend passes layouts BLAS can express straight through and copies only the others.
// beta == 0 means C is not read (NaN in it does not propagate), as in BLAS.
#include <ember/core/scalar.h>
#include <ember/tensor.h>

namespace ember::dispatch {

struct MatrixOperand {
  void* data = nullptr;
  DimVector batch_strides;  // one per batch dim, in elements
  int64_t row_stride = 0, col_stride = 0;
};

struct GemmProblem {
  DType dtype = DType::Undefined;
  DimVector batch;
  int64_t m = 0, n = 0, k = 0;
  MatrixOperand a, b, c;
  Scalar alpha = 1, beta = 0;
};

using GemmKernel = void(const GemmProblem& p);
// Zeroes the elements above (upper == false) or below (upper == true) diagonal `k` of each matrix of a
// contiguous (batch, rows, cols) tensor, in place: tril / triu.
using TriangleKernel = void(Tensor& t, int64_t rows, int64_t cols, int64_t k, bool upper);

}  // namespace ember::dispatch
