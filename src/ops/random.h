#pragma once
// Forward computations of the random family without autograd: argument checks, dtype rules and the
// kernel calls. The in-place Tensor methods and dropout (src/autograd/derivatives/random.cpp) wrap these.
#include <optional>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::ops {

void normal_(Tensor& self, double mean, double std, std::optional<Generator> gen);
void uniform_(Tensor& self, double from, double to, std::optional<Generator> gen);
void exponential_(Tensor& self, double lambd, std::optional<Generator> gen);
// `from` absent: the dtype's default range; `to` absent: up to the dtype's maximum.
void random_(Tensor& self, std::optional<int64_t> from, std::optional<int64_t> to, std::optional<Generator> gen);
void bernoulli_(Tensor& self, double p, std::optional<Generator> gen);
void bernoulli_(Tensor& self, const Tensor& p, std::optional<Generator> gen);
// mean + std * N(0, 1), broadcast (PyTorch's normal.Tensor_Tensor).
Tensor normal(const Tensor& mean, const Tensor& std, std::optional<Generator> gen);

}  // namespace ember::ops
