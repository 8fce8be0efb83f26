// arange, range, linspace, logspace and eye: argument checks, dtype and size rules as in PyTorch's
// RangeFactories.cpp; the values come from the kernels in backend/cpu/range_kernels.cpp.
#include <cmath>
#include <limits>

#include <ember/ops/factory.h>

#include "backend/common/visit_dtype.h"
#include "dispatch/range_kernel_types.h"
#include "dispatch/registry.h"
#include "ops/factory_util.h"
#include "ops/ops.h"

namespace ember {

namespace {

template <class T>
using acc_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float,
                                 std::conditional_t<std::is_floating_point_v<T>, double, int64_t>>;

void check_range_dtype(const char* op, DType t) {
  if (t == kBool) throw Error(detail::str("\"", op, "_cpu\" not implemented for '", dtype_title(t), "'"));
}

// The checks PyTorch makes in its accumulate type before sizing the output; returns the element count.
int64_t range_size(const char* op, const Scalar& start, const Scalar& end, const Scalar& step, DType t,
                   bool inclusive) {
  check_range_dtype(op, t);
  return kernels::visit_dtype(t, [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    using A = acc_t<T>;
    A xstart = start.to<A>(), xend = end.to<A>(), xstep = step.to<A>();
    EMBER_CHECK(xstep > 0 || xstep < 0, "step must be nonzero");
    EMBER_CHECK(std::isfinite(double(xstart)) && std::isfinite(double(xend)), "unsupported range: ", xstart, " -> ",
                xend);
    EMBER_CHECK((xstep > 0 && xend >= xstart) || (xstep < 0 && xend <= xstart),
                "upper bound and larger bound inconsistent with step sign");
    if (inclusive) return int64_t((xend - xstart) / xstep + 1);
    double size_d;
    if constexpr (std::is_same_v<T, int64_t>) {
      int64_t sgn = (xstep > 0) - (xstep < 0);
      size_d = double((xend - xstart + xstep - sgn) / xstep);
    } else {
      size_d = std::ceil((end.to<double>() - start.to<double>()) / step.to<double>());
    }
    EMBER_CHECK(size_d >= 0 && size_d <= double(std::numeric_limits<int64_t>::max()),
                "invalid size, possible overflow?");
    return int64_t(size_d);
  });
}

Tensor fill_range(const char* op, const Scalar& start, const Scalar& end, const Scalar& step, DType t,
                  const TensorOptions& o, bool inclusive) {
  int64_t n = range_size(op, start, end, step, t, inclusive);
  Tensor out = ops::empty({n}, t, Device(kCPU));
  static auto& k = dispatch::slot("arange");
  if (n > 0) dispatch::kernel<dispatch::ArangeKernel>(k, kCPU)(out, start, step, !inclusive);
  if (o.device() != Device(kCPU)) out = out.to(o.device());
  return ops::finish_factory(out, o);
}

void check_steps(int64_t steps) { EMBER_CHECK(steps >= 0, "number of steps must be non-negative"); }

}  // namespace

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& o) {
  bool integral = !o.has_dtype() && start.isIntegral(true) && end.isIntegral(true) && step.isIntegral(true);
  return fill_range("arange", start, end, step, integral ? kInt64 : o.dtype(), o, false);
}
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& o) { return arange(start, end, 1, o); }
Tensor arange(const Scalar& end, const TensorOptions& o) { return arange(0, end, 1, o); }

Tensor range(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& o) {
  return fill_range("range", start, end, step, o.dtype(), o, true);
}
Tensor range(const Scalar& start, const Scalar& end, const TensorOptions& o) { return range(start, end, 1, o); }

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, const TensorOptions& o) {
  check_steps(steps);
  Tensor out = ops::empty({steps}, o.dtype(), Device(kCPU));
  if (steps == 1) {
    ops::fill_(out, start);
  } else if (steps > 1) {
    check_range_dtype("linspace", o.dtype());
    static auto& k = dispatch::slot("linspace");
    dispatch::kernel<dispatch::LinspaceKernel>(k, kCPU)(out, start, end, steps);
  }
  if (o.device() != Device(kCPU)) out = out.to(o.device());
  return ops::finish_factory(out, o);
}

Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base, const TensorOptions& o) {
  check_steps(steps);
  Tensor out = ops::empty({steps}, o.dtype(), Device(kCPU));
  if (steps == 1) {
    ops::fill_(out, std::pow(base, start.toDouble()));
  } else if (steps > 1) {
    check_range_dtype("logspace", o.dtype());
    static auto& k = dispatch::slot("logspace");
    dispatch::kernel<dispatch::LogspaceKernel>(k, kCPU)(out, start, end, steps, base);
  }
  if (o.device() != Device(kCPU)) out = out.to(o.device());
  return ops::finish_factory(out, o);
}

Tensor eye(int64_t n, int64_t m, const TensorOptions& o) {
  EMBER_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  EMBER_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  Tensor out = ops::empty({n, m}, o.dtype(), o.device());
  ops::fill_(out, 0);
  Tensor diagonal = ops::make_view(out, {std::min(n, m)}, {m + 1}, 0);
  ops::fill_(diagonal, 1);
  return ops::finish_factory(out, o);
}
Tensor eye(int64_t n, const TensorOptions& o) { return eye(n, n, o); }

}  // namespace ember
