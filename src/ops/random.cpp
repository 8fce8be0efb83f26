// Random ops: checks with PyTorch's messages, dtype rules, and the kernel calls. Outputs are filled
// through a contiguous buffer, so element i of the logical (row-major) order always draws counter i.
#include <cmath>
#include <limits>

#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>
#include <ember/ops/reduce.h>

#include "dispatch/random_kernels.h"
#include "dispatch/registry.h"
#include "dispatch/tensor_iterator.h"
#include "ops/dtype_limits.h"
#include "ops/factory_util.h"
#include "ops/ops.h"
#include "ops/random.h"

namespace ember {

namespace ops {

namespace {
PhiloxInputs draw(std::optional<Generator>& gen) { return (gen ? *gen : default_generator()).reserve(1); }

[[noreturn]] void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "\" not implemented for '", dtype_title(t), "'"));
}

// Runs `fill(out)` on a contiguous tensor of self's sizes and dtype and copies it into self.
template <class F>
void fill_through_buffer(Tensor& self, const F& fill) {
  if (self.numel() == 0) return;
  if (self.is_contiguous()) {
    fill(self);
    return;
  }
  Tensor buf = empty(self.sizes(), self.dtype(), self.device());
  fill(buf);
  copy_(self, buf);
}

void float_kernel(Tensor& self, dispatch::RandomDist dist, double a, double b, std::optional<Generator>& gen) {
  PhiloxInputs in = draw(gen);
  static auto& k = dispatch::slot("random_float");
  fill_through_buffer(self, [&](const Tensor& out) {
    dispatch::kernel<dispatch::RandomFloatKernel>(k, out.device().type())(out, in, dist, a, b);
  });
}

void int_kernel(Tensor& self, int64_t from, uint64_t range, std::optional<Generator>& gen) {
  PhiloxInputs in = draw(gen);
  static auto& k = dispatch::slot("random_int");
  fill_through_buffer(self, [&](const Tensor& out) {
    dispatch::kernel<dispatch::RandomIntKernel>(k, out.device().type())(out, in, from, range);
  });
}

// The C++ type name PyTorch's random_ bounds errors use.
const char* cpp_type_name(DType t) {
  switch (t) {
    case kUInt8: return "unsigned char";
    case kInt8: return "signed char";
    case kInt16: return "short";
    case kInt32: return "int";
    case kInt64: return "long";
    case kBool: return "bool";
    case kFloat16: return "c10::Half";
    case kBFloat16: return "c10::BFloat16";
    case kFloat32: return "float";
    default: return "double";
  }
}


int64_t int_max(DType t) {
  switch (t) {
    case kUInt8: return 255;
    case kInt8: return 127;
    case kInt16: return 32767;
    case kInt32: return 2147483647;
    case kBool: return 1;
    default: return std::numeric_limits<int64_t>::max();
  }
}

int mantissa_digits(DType t) {
  switch (t) {
    case kFloat16: return 11;
    case kBFloat16: return 8;
    case kFloat32: return 24;
    default: return 53;
  }
}

// [from, to) checked like PyTorch's random_from_to: from < to and both ends representable.
void check_from_to(DType t, int64_t from, int64_t to_inclusive, bool to_given, int64_t to) {
  if (to_given) EMBER_CHECK(from < to, "random_ expects 'from' to be less than 'to', but got from=", from, " >= to=", to);
  auto [lo, hi] = dtype_range(t);
  EMBER_CHECK(double(from) >= lo && double(from) <= hi, "from is out of bounds for ", cpp_type_name(t));
  EMBER_CHECK(double(to_inclusive) >= lo && double(to_inclusive) <= hi, "to - 1 is out of bounds for ",
              cpp_type_name(t));
}
}  // namespace

void normal_(Tensor& self, double mean, double std, std::optional<Generator> gen) {
  if (!is_floating_point(self.dtype())) not_implemented("normal_kernel_cpu", self.dtype());
  EMBER_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  float_kernel(self, dispatch::RandomDist::Normal, mean, std, gen);
}

void uniform_(Tensor& self, double from, double to, std::optional<Generator> gen) {
  if (!is_floating_point(self.dtype())) not_implemented("check_uniform_bounds", self.dtype());
  EMBER_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from=", from, " > to=", to);
  auto [lo, hi] = dtype_range(self.dtype());
  EMBER_CHECK(to - from <= hi, "uniform_ expects to-from <= std::numeric_limits<", cpp_type_name(self.dtype()),
              ">::max(), but found to=", to, " and from=", from, " which result in to-from to exceed the limit");
  (void)lo;
  float_kernel(self, dispatch::RandomDist::Uniform, from, to, gen);
}

void exponential_(Tensor& self, double lambd, std::optional<Generator> gen) {
  if (!is_floating_point(self.dtype())) not_implemented("exponential_cpu", self.dtype());
  EMBER_CHECK(lambd >= 0.0, "exponential_ expects lambda >= 0.0, but found lambda=", lambd);
  float_kernel(self, dispatch::RandomDist::Exponential, lambd, 0, gen);
}

void random_(Tensor& self, std::optional<int64_t> from, std::optional<int64_t> to, std::optional<Generator> gen) {
  DType t = self.dtype();
  if (!from) {
    // PyTorch's default ranges: [0, 2^mantissa] for floats, [0, max] for integers and bool.
    if (is_floating_point(t)) return int_kernel(self, 0, (uint64_t(1) << mantissa_digits(t)) + 1, gen);
    return int_kernel(self, 0, uint64_t(int_max(t)) + 1, gen);
  }
  if (to) {
    check_from_to(t, *from, *to - 1, true, *to);
    return int_kernel(self, *from, uint64_t(*to) - uint64_t(*from), gen);
  }
  // [from, max of the dtype]; for floats the max is 2^mantissa, as PyTorch's random_(from, None).
  int64_t hi = is_floating_point(t) ? (int64_t(1) << mantissa_digits(t)) : int_max(t);
  EMBER_CHECK(*from <= hi, "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to "
                           "dtype, but got from=", *from, " > to_inc=", hi);
  check_from_to(t, *from, hi, false, 0);
  int_kernel(self, *from, uint64_t(hi) - uint64_t(*from) + 1, gen);
}

void bernoulli_(Tensor& self, const Tensor& p, std::optional<Generator> gen) {
  Tensor pe = contiguous(cast(expand(p, self.sizes()), kFloat64));
  // A tensor-op check, not a host loop: a GPU p is read back as one flag.
  EMBER_CHECK(ember::all(ember::logical_and(ember::ge(pe, 0), ember::le(pe, 1))).item<bool>(),
              "Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
  PhiloxInputs in = draw(gen);
  static auto& k = dispatch::slot("bernoulli");
  fill_through_buffer(self, [&](const Tensor& out) {
    dispatch::kernel<dispatch::BernoulliKernel>(k, out.device().type())(out, in, pe);
  });
}

void bernoulli_(Tensor& self, double p, std::optional<Generator> gen) {
  EMBER_CHECK(p >= 0 && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  bernoulli_(self, scalar_tensor(p, kFloat64, self.device()), gen);
}

}  // namespace ops

namespace {
TensorOptions float_options(const TensorOptions& o) { return o.dtype(o.dtype()); }
TensorOptions long_options(const TensorOptions& o) { return o.has_dtype() ? o : o.dtype(kInt64); }
Tensor finish(Tensor t, const TensorOptions& o) { return ops::finish_factory(std::move(t), o); }
}  // namespace

Tensor rand(IntArrayRef size, std::optional<Generator> gen, const TensorOptions& o) {
  TensorOptions fo = float_options(o);
  Tensor t = ops::empty(size, fo.dtype(), fo.device());
  ops::uniform_(t, 0, 1, gen);
  return finish(t, o);
}
Tensor rand(IntArrayRef size, const TensorOptions& o) { return rand(size, std::nullopt, o); }

Tensor randn(IntArrayRef size, std::optional<Generator> gen, const TensorOptions& o) {
  TensorOptions fo = float_options(o);
  Tensor t = ops::empty(size, fo.dtype(), fo.device());
  ops::normal_(t, 0, 1, gen);
  return finish(t, o);
}
Tensor randn(IntArrayRef size, const TensorOptions& o) { return randn(size, std::nullopt, o); }

Tensor randint(int64_t low, int64_t high, IntArrayRef size, std::optional<Generator> gen, const TensorOptions& o) {
  TensorOptions lo = long_options(o);
  Tensor t = ops::empty(size, lo.dtype(), lo.device());
  ops::random_(t, low, high, gen);
  return finish(t, o);
}
Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& o) {
  return randint(low, high, size, std::nullopt, o);
}
Tensor randint(int64_t high, IntArrayRef size, std::optional<Generator> gen, const TensorOptions& o) {
  return randint(0, high, size, gen, o);
}
Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& o) { return randint(0, high, size, std::nullopt, o); }

Tensor randperm(int64_t n, std::optional<Generator> gen, const TensorOptions& o) {
  EMBER_CHECK(n >= 0, "Trying to create tensor with negative dimension ", n, ": [", n, "]");
  TensorOptions lo = long_options(o);
  DType t = lo.dtype();
  if (is_floating_point(t)) {
    int64_t limit = (int64_t(1) << ops::mantissa_digits(t)) + 1;
    EMBER_CHECK(n <= limit, "n cannot be greater than ", limit, " for ", dtype_title(t), " type.");
  } else {
    EMBER_CHECK(n == 0 || n - 1 <= ops::int_max(t), "n is too large for result tensor type: '",
                dtype_title(t), "Type'");
  }
  Tensor perm = ops::empty({n}, kInt64, lo.device());
  PhiloxInputs in = (gen ? *gen : default_generator()).reserve(1);
  if (n > 0) {
    static auto& k = dispatch::slot("randperm");
    dispatch::kernel<dispatch::RandpermKernel>(k, lo.device().type())(perm, in);
  }
  return finish(ops::cast(perm, t), o);
}
Tensor randperm(int64_t n, const TensorOptions& o) { return randperm(n, std::nullopt, o); }

Tensor rand_like(const Tensor& self, const TensorOptions& o) {
  return rand(self.sizes(), ops::like_options(self, o));
}
Tensor randn_like(const Tensor& self, const TensorOptions& o) {
  return randn(self.sizes(), ops::like_options(self, o));
}
Tensor randint_like(const Tensor& self, int64_t high, const TensorOptions& o) {
  return randint(0, high, self.sizes(), ops::like_options(self, o));
}
Tensor randint_like(const Tensor& self, int64_t low, int64_t high, const TensorOptions& o) {
  return randint(low, high, self.sizes(), ops::like_options(self, o));
}

Tensor normal(double mean, double std, IntArrayRef size, std::optional<Generator> gen, const TensorOptions& o) {
  EMBER_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  TensorOptions fo = float_options(o);
  Tensor t = ops::empty(size, fo.dtype(), fo.device());
  ops::normal_(t, mean, std, gen);
  return finish(t, o);
}

namespace ops {
// mean + std * N(0, 1), broadcast; the standard normal has the promoted floating dtype.
Tensor normal(const Tensor& mean, const Tensor& std, std::optional<Generator> gen) {
  EMBER_CHECK(ember::all(ember::ge(std, 0.0)).item<bool>(), "normal expects all elements of std >= 0.0");
  DType dt = result_type(mean, std);
  EMBER_CHECK(is_floating_point(dt), "normal expects floating-point mean and std, but got ", dtype_title(dt));
  Tensor z = empty(dispatch::TensorIterator::broadcast_shapes(mean.sizes(), std.sizes()), dt, mean.device());
  normal_(z, 0, 1, gen);
  return ops::add(ops::mul(z, cast(std, dt)), cast(mean, dt), 1);
}
}  // namespace ops

Tensor bernoulli(const Tensor& p, std::optional<Generator> gen) {
  if (!is_floating_point(p.dtype())) ops::not_implemented("bernoulli_tensor_cpu_p_", p.dtype());
  Tensor out = ops::empty(p.sizes(), p.dtype(), p.device());
  ops::bernoulli_(out, p, gen);
  return out;
}
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> gen) {
  Tensor out = ops::empty(self.sizes(), self.dtype(), self.device());
  ops::bernoulli_(out, p, gen);
  return out;
}

namespace {
// PyTorch's checks, as tensor ops, so a GPU distribution is read back as a few flags. Without
// replacement it checks every entry, then every row's sum. With replacement it walks row by row and
// reports the first bad entry of the first bad row (NaN fails `>= 0` first) or that row's sum.
void check_distribution(const Tensor& probs, bool replacement) {
  if (!replacement) {
    EMBER_CHECK(all(logical_and(isfinite(probs), ge(probs, 0))).item<bool>(),
                "probability tensor contains either `inf`, `nan` or element < 0");
    EMBER_CHECK(all(gt(ops::sum(probs, {-1}, false, std::nullopt), 0)).item<bool>(),
                "invalid multinomial distribution (sum of probabilities <= 0)");
    return;
  }
  Tensor rows = probs.dim() == 1 ? ops::view(probs, {1, probs.size(0)}) : probs;
  Tensor negative = logical_not(ge(rows, 0));
  Tensor bad = logical_or(negative, logical_not(isfinite(rows)));
  Tensor row_bad = logical_or(any(bad, 1), logical_not(gt(ops::sum(rows, {-1}, false, std::nullopt), 0)));
  if (!any(row_bad).item<bool>()) return;
  int64_t r = argmax(ops::cast(row_bad, kInt32)).item<int64_t>();
  Tensor row_entries = ops::select(bad, 0, r);
  EMBER_CHECK(any(row_entries).item<bool>(), "invalid multinomial distribution (sum of probabilities <= 0)");
  int64_t c = argmax(ops::cast(row_entries, kInt32)).item<int64_t>();
  EMBER_CHECK(!ops::select(ops::select(negative, 0, r), 0, c).item<bool>(),
              "invalid multinomial distribution (encountering probability entry < 0)");
  throw Error("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
}
}  // namespace

Tensor multinomial(const Tensor& self, int64_t n, bool replacement, std::optional<Generator> gen) {
  EMBER_CHECK(is_floating_point(self.dtype()), "multinomial only supports floating-point dtypes for input, got: ",
              dtype_title(self.dtype()));
  EMBER_CHECK(self.dim() == 1 || self.dim() == 2, "prob_dist must be 1 or 2 dim");
  EMBER_CHECK(n > 0, "cannot sample n_sample <= 0 samples");
  int64_t cats = self.size(-1);
  EMBER_CHECK(replacement || n <= cats, "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  int64_t rows = self.dim() == 1 ? 1 : self.size(0);
  Tensor probs = ops::contiguous(ops::cast(self, kFloat64));
  check_distribution(probs, replacement);
  Tensor out = ops::empty({rows, n}, kInt64, self.device());
  PhiloxInputs in = (gen ? *gen : default_generator()).reserve(1);
  if (rows > 0) {
    static auto& k = dispatch::slot("multinomial");
    dispatch::kernel<dispatch::MultinomialKernel>(k, self.device().type())(ops::view(probs, {rows, cats}), out, in,
                                                                           replacement);
  }
  return self.dim() == 1 ? ops::view(out, {n}) : out;
}

}  // namespace ember
