#pragma once
// Kernel signatures of the random family (src/ops/random*.cpp). Outputs are contiguous; element i of
// an output draws its numbers from Philox counter (i, in.offset) under key in.seed, so the values do not
// depend on how the elements are split across threads.
#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::dispatch {

enum class RandomDist : int { Uniform, Normal, Exponential };
// Floating out: Uniform in [a, b), Normal with mean a and std b, Exponential with rate a.
using RandomFloatKernel = void(const Tensor& out, PhiloxInputs in, RandomDist dist, double a, double b);
// Any dtype: from + (64 random bits mod range); range 0 stands for 2^64.
using RandomIntKernel = void(const Tensor& out, PhiloxInputs in, int64_t from, uint64_t range);
// out (any dtype) = 1 where a uniform draw is below p; p contiguous float64 with 1 or out.numel() values.
using BernoulliKernel = void(const Tensor& out, PhiloxInputs in, const Tensor& p);
// out int64 (n): a uniformly random permutation of 0..n-1.
using RandpermKernel = void(const Tensor& out, PhiloxInputs in);
// probs contiguous float64 (rows, categories), checked by the op; out int64 (rows, samples).
using MultinomialKernel = void(const Tensor& probs, const Tensor& out, PhiloxInputs in, bool replacement);

}  // namespace ember::dispatch
