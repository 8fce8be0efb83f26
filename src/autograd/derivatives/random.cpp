// The in-place random Tensor methods and dropout. Filling a tensor with random numbers cuts its
// history (the gradient through it is zero, as for fill_); dropout's gradient is grad * mask / (1 - p).
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>

#include "autograd/record.h"
#include "ops/ops.h"
#include "ops/random.h"

namespace ember {

namespace {
// Runs an in-place random fill with the autograd checks of an in-place op.
template <class F>
Tensor& random_inplace(Tensor& self, const char* node_name, const F& fill) {
  bool track = GradMode::is_enabled() && self.requires_grad();
  if (track) autograd::check_inplace(self);
  fill(self);
  self.bump_version();
  if (track) {
    Tensor self_ref = self;
    autograd::record(node_name, {&self_ref}, {}, [](autograd::Node&, const tensor_list&) -> tensor_list { return {}; });
  }
  return self;
}
}  // namespace

Tensor& Tensor::normal_(double mean, double std, std::optional<Generator> gen) {
  return random_inplace(*this, "NormalBackward0", [&](Tensor& s) { ops::normal_(s, mean, std, gen); });
}
Tensor& Tensor::uniform_(double from, double to, std::optional<Generator> gen) {
  return random_inplace(*this, "UniformBackward0", [&](Tensor& s) { ops::uniform_(s, from, to, gen); });
}
Tensor& Tensor::exponential_(double lambd, std::optional<Generator> gen) {
  return random_inplace(*this, "ExponentialBackward0", [&](Tensor& s) { ops::exponential_(s, lambd, gen); });
}
Tensor& Tensor::random_(std::optional<Generator> gen) {
  return random_inplace(*this, "RandomBackward0", [&](Tensor& s) { ops::random_(s, std::nullopt, std::nullopt, gen); });
}
Tensor& Tensor::random_(int64_t to, std::optional<Generator> gen) {
  return random_inplace(*this, "RandomBackward1", [&](Tensor& s) { ops::random_(s, 0, to, gen); });
}
Tensor& Tensor::random_(int64_t from, std::optional<int64_t> to, std::optional<Generator> gen) {
  return random_inplace(*this, "RandomBackward2", [&](Tensor& s) { ops::random_(s, from, to, gen); });
}
Tensor& Tensor::bernoulli_(double p, std::optional<Generator> gen) {
  return random_inplace(*this, "BernoulliBackward1", [&](Tensor& s) { ops::bernoulli_(s, p, gen); });
}
Tensor& Tensor::bernoulli_(const Tensor& p, std::optional<Generator> gen) {
  return random_inplace(*this, "BernoulliBackward2", [&](Tensor& s) { ops::bernoulli_(s, p, gen); });
}
Tensor Tensor::bernoulli(std::optional<Generator> gen) const { return ember::bernoulli(*this, gen); }
Tensor Tensor::bernoulli(double p, std::optional<Generator> gen) const { return ember::bernoulli(*this, p, gen); }
Tensor Tensor::multinomial(int64_t n, bool replacement, std::optional<Generator> gen) const {
  return ember::multinomial(*this, n, replacement, gen);
}

// As in PyTorch, normal with tensor mean and std records a node whose gradients are zeros: the
// samples are not reparameterised.
namespace {
Tensor normal_with_history(const Tensor& mean, const Tensor& std, std::optional<Generator> gen) {
  Tensor out = ops::normal(mean, std, gen);
  if (autograd::any_requires_grad({&mean, &std})) {
    DimVector ms(mean.sizes()), ss(std.sizes());
    DType mdt = mean.dtype(), sdt = std.dtype();
    autograd::record("NormalBackward3", {&out}, {&mean, &std},
                     [ms, ss, mdt, sdt](autograd::Node&, const tensor_list&) -> tensor_list {
                       return {zeros(ms, mdt), zeros(ss, sdt)};
                     });
  }
  return out;
}
DType float_dtype_of(const Tensor& t) { return t.is_floating_point() ? t.dtype() : get_default_dtype(); }
}  // namespace

Tensor normal(const Tensor& mean, const Tensor& std, std::optional<Generator> gen) {
  return normal_with_history(mean, std, gen);
}
Tensor normal(const Tensor& mean, double std, std::optional<Generator> gen) {
  return normal_with_history(mean, ops::scalar_tensor(std, float_dtype_of(mean), mean.device()), gen);
}
Tensor normal(double mean, const Tensor& std, std::optional<Generator> gen) {
  return normal_with_history(ops::scalar_tensor(mean, float_dtype_of(std), std.device()), std, gen);
}

Tensor dropout(const Tensor& input, double p, bool train, std::optional<Generator> gen) {
  EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (!train || p == 0) return input;
  EMBER_CHECK(input.is_floating_point(), "result type Float can't be cast to the desired output type ",
              dtype_title(input.dtype()));
  // The kept elements scaled by 1 / (1 - p); p = 1 keeps none (and avoids 0 * inf).
  Tensor scaled_mask = ops::empty(input.sizes(), input.dtype(), input.device());
  if (p == 1) {
    ops::fill_(scaled_mask, 0);
  } else {
    ops::bernoulli_(scaled_mask, 1 - p, gen);
    scaled_mask = ops::mul(scaled_mask, ops::scalar_tensor(1 / (1 - p), input.dtype(), input.device()));
  }
  Tensor out = ops::mul(input, scaled_mask);
  if (autograd::any_requires_grad({&input}))
    autograd::record("NativeDropoutBackward0", {&out}, {&input},
                     [scaled_mask](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0] * scaled_mask}; });
  return out;
}

}  // namespace ember
