#pragma once
// Forward computations of the linalg family (no autograd): argument checks with PyTorch's wording and
// the call into the "gemm" / "triangle" kernels.
#include <string_view>
#include <vector>

#include <ember/tensor.h>

namespace ember::ops {

Tensor mm(const Tensor& self, const Tensor& mat2);
Tensor bmm(const Tensor& self, const Tensor& mat2);
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha);
// addmm then relu or GELU, in the product's epilogue where the backend can (PyTorch's _addmm_activation:
// the erf GELU on the CPU, the tanh GELU of cuBLASLt's epilogue on CUDA).
Tensor addmm_activation(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
                        const Scalar& alpha, bool use_gelu);
Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta, const Scalar& alpha);
Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha);
Tensor mv(const Tensor& self, const Tensor& vec);
Tensor dot(const Tensor& self, const Tensor& other);
Tensor triangle(const Tensor& self, int64_t diagonal, bool upper);

// einsum's equation, parsed and checked against the operands' shapes. Labels are small integers:
// letters map to 0..51 (A-Z then a-z, so the implicit output is sorted as PyTorch sorts it) and the dims
// an ellipsis covers to 52, 53, ... counted from the left of the broadcast ellipsis.
struct EinsumPlan {
  std::vector<std::vector<int>> operand_labels;  // per operand, one label per dim
  std::vector<int> output_labels;
  std::vector<int64_t> label_size;  // broadcast size of each label (index = label), 0 where unused
};
EinsumPlan parse_einsum(std::string_view equation, const std::vector<IntArrayRef>& shapes);

}  // namespace ember::ops
