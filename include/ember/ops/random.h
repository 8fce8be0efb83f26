#pragma once
// Random numbers, as torch.rand / randn / randint / randperm / normal / bernoulli / multinomial and
// dropout. Every op takes an optional Generator; without one it uses default_generator() (seeded by
// ember::manual_seed). The numbers differ from PyTorch's (another generator) but follow the same
// distributions, ranges, dtypes and errors. float16 and bfloat16 draw in float and round.
#include <optional>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember {

// Uniform on [0, 1).
Tensor rand(IntArrayRef size, const TensorOptions& options = {});
Tensor rand(IntArrayRef size, std::optional<Generator> generator, const TensorOptions& options = {});
// Standard normal.
Tensor randn(IntArrayRef size, const TensorOptions& options = {});
Tensor randn(IntArrayRef size, std::optional<Generator> generator, const TensorOptions& options = {});
// Integers uniform on [low, high) (low = 0 when omitted); int64 unless options say otherwise.
Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& options = {});
Tensor randint(int64_t high, IntArrayRef size, std::optional<Generator> generator, const TensorOptions& options = {});
Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& options = {});
Tensor randint(int64_t low, int64_t high, IntArrayRef size, std::optional<Generator> generator,
               const TensorOptions& options = {});
// A random permutation of 0..n-1; int64 unless options say otherwise.
Tensor randperm(int64_t n, const TensorOptions& options = {});
Tensor randperm(int64_t n, std::optional<Generator> generator, const TensorOptions& options = {});

Tensor rand_like(const Tensor& self, const TensorOptions& options = {});
Tensor randn_like(const Tensor& self, const TensorOptions& options = {});
Tensor randint_like(const Tensor& self, int64_t high, const TensorOptions& options = {});
Tensor randint_like(const Tensor& self, int64_t low, int64_t high, const TensorOptions& options = {});

// Normal with the given mean and standard deviation; tensor arguments broadcast.
Tensor normal(double mean, double std, IntArrayRef size, std::optional<Generator> generator = std::nullopt,
              const TensorOptions& options = {});
Tensor normal(const Tensor& mean, const Tensor& std, std::optional<Generator> generator = std::nullopt);
Tensor normal(const Tensor& mean, double std = 1, std::optional<Generator> generator = std::nullopt);
Tensor normal(double mean, const Tensor& std, std::optional<Generator> generator = std::nullopt);

// 1 with probability p (the elements of `p`, or the number p for every element of self), else 0.
Tensor bernoulli(const Tensor& p, std::optional<Generator> generator = std::nullopt);
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> generator = std::nullopt);
// Indices drawn from each row of non-negative weights (1-D or 2-D; rows need not sum to 1).
Tensor multinomial(const Tensor& self, int64_t num_samples, bool replacement = false,
                   std::optional<Generator> generator = std::nullopt);

// Zeroes each element with probability p and scales the rest by 1 / (1 - p) when train is true.
Tensor dropout(const Tensor& input, double p, bool train, std::optional<Generator> generator = std::nullopt);

}  // namespace ember
