#pragma once
// torch.nn.utils: gradient clipping and parameters <-> one flat vector.
#include <limits>
#include <vector>

#include <ember/tensor.h>

namespace ember::nn::utils {

// Scales all gradients together so that their joint norm (one norm over every gradient, as if
// concatenated) is at most max_norm; returns that norm (before clipping) as a 0-dim float tensor.
// norm_type may be inf. A non-finite norm raises when error_if_nonfinite. Parameters without a gradient
// are skipped; with none, the norm is 0.
Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
Tensor clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
// Clamps every gradient into [-clip_value, clip_value] in place.
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
void clip_grad_value_(const Tensor& parameter, double clip_value);

// The parameters flattened and concatenated (differentiable, as torch.cat of views).
Tensor parameters_to_vector(const std::vector<Tensor>& parameters);
// Copies consecutive slices of vec into the parameters (under no_grad); vec must hold exactly their
// elements.
void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters);

}  // namespace ember::nn::utils
