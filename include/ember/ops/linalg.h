#pragma once
// Linear algebra: matrix products (matmul with all of PyTorch's cases, mm, bmm, addmm, addmv, baddbmm,
// dot, vdot, mv, outer), einsum, tensordot, kron, tril/triu.
#include <string_view>

#include <ember/tensor.h>

namespace ember {

Tensor matmul(const Tensor& self, const Tensor& other);
Tensor mm(const Tensor& self, const Tensor& mat2);
Tensor bmm(const Tensor& self, const Tensor& mat2);
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor dot(const Tensor& self, const Tensor& tensor);
Tensor vdot(const Tensor& self, const Tensor& other);
Tensor outer(const Tensor& self, const Tensor& vec2);
Tensor ger(const Tensor& self, const Tensor& vec2);
// beta * self + alpha * (product); with beta == 0, self's values are ignored (NaN does not propagate).
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
// torch._addmm_activation: relu or GELU of addmm, fused into cuBLASLt's epilogue on CUDA where it can
// be. As in PyTorch, the GELU is the erf one on the CPU and the tanh approximation on CUDA, and the op
// has no derivative (backward raises).
Tensor _addmm_activation(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
                         const Scalar& alpha = 1, bool use_gelu = false);
Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
               const Scalar& alpha = 1);
// beta * self + alpha * (the sum over the batch of batch1[i] @ batch2[i]).
Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta = 1,
              const Scalar& alpha = 1);
// beta * self + alpha * outer(vec1, vec2).
Tensor addr(const Tensor& self, const Tensor& vec1, const Tensor& vec2, const Scalar& beta = 1,
            const Scalar& alpha = 1);

// Sums products over the labels the equation names (e.g. "bij,bjk->bik", "ii", "...ij,...jk"), as
// torch.einsum: implicit or explicit output, '...' broadcasting, repeated labels take diagonals.
Tensor einsum(std::string_view equation, ArrayRef<Tensor> tensors);
// Contracts the last `dims` dims of self with the first `dims` of other, or dims_self[i] with dims_other[i].
Tensor tensordot(const Tensor& self, const Tensor& other, int64_t dims = 2);
Tensor tensordot(const Tensor& self, const Tensor& other, IntArrayRef dims_self, IntArrayRef dims_other);
Tensor kron(const Tensor& self, const Tensor& other);
// Sums products over the last dims of both (a plain product when either is 0-D).
Tensor inner(const Tensor& self, const Tensor& other);
// The cross product of 3-vectors along dim (torch.cross: without dim, the first dim of size 3).
Tensor cross(const Tensor& self, const Tensor& other, std::optional<int64_t> dim = std::nullopt);
// The sum of a matrix's diagonal.
Tensor trace(const Tensor& self);

Tensor tril(const Tensor& self, int64_t diagonal = 0);
Tensor triu(const Tensor& self, int64_t diagonal = 0);

}  // namespace ember
