#pragma once
// Helpers shared by the factory files.
#include <ember/tensor.h>

namespace ember::ops {

// Applies options.requires_grad() to a freshly made tensor (an error for non-floating dtypes).
Tensor finish_factory(Tensor t, const TensorOptions& options);

// A *_like factory's options: the dtype and device the options name, else those of t.
TensorOptions like_options(const Tensor& t, const TensorOptions& options);

}  // namespace ember::ops
