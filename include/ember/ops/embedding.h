#pragma once
// Embedding lookups at torch's level: torch.embedding (weight first) and torch.embedding_renorm_.
// F.embedding and F.embedding_bag, with max_norm and PyTorch's argument order, are in
// ember/nn/functional/norm.h. Sparse gradients are not supported.
#include <ember/tensor.h>

namespace ember {

// weight[indices]: rows of weight (num_embeddings, D) picked by an int64 or int32 tensor of any shape,
// giving indices.shape + (D). The gradient for weight adds the gradient rows at their indices,
// skipping padding_idx (none when negative) and divided by each index's count when
// scale_grad_by_freq.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx = -1,
                 bool scale_grad_by_freq = false, bool sparse = false);
// Scales in place each row of self named in indices whose norm_type-norm exceeds max_norm to norm
// max_norm (times max_norm / (norm + 1e-7)), without recording history.
Tensor& embedding_renorm_(Tensor& self, const Tensor& indices, double max_norm, double norm_type);

}  // namespace ember
