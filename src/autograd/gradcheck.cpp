// Jacobians by central differences against Jacobians from the engine, element by element. Slow by
// design (one backward per output element): it is for tests on small inputs.
#include <cmath>

#include <ember/autograd/engine.h>
#include <ember/autograd/gradcheck.h>
#include <ember/autograd/grad_mode.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>

#include "ops/ops.h"

namespace ember::autograd {

namespace {

// Element `k` (in row-major order of its sizes) of a tensor of any strides, as a 0-dim view, so that
// inputs on the GPU are perturbed where they lie.
Tensor element(const Tensor& t, int64_t k) {
  int64_t off = 0;
  for (int64_t d = t.dim() - 1; d >= 0; --d) {
    int64_t s = t.sizes()[size_t(d)];
    off += (k % s) * t.strides()[size_t(d)];
    k /= s;
  }
  return ops::make_view(t, {}, {}, t.storage_offset() + off);
}

// A float64 CPU tensor of `sizes` whose element `k` is `value(k)`, moved to `like`'s device.
template <class F>
Tensor filled_like_device(IntArrayRef sizes, const Tensor& like, const F& value) {
  Tensor t = ops::empty(sizes, kFloat64, Device(kCPU));
  double* p = t.data_ptr<double>();
  for (int64_t k = 0; k < t.numel(); ++k) p[k] = value(k);
  return t.to(like.device());
}

std::vector<double> flat_values(const Tensor& t) {
  Tensor c = ops::contiguous(ops::cast(t, kFloat64)).cpu();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

tensor_list call(const GradcheckFn& fn, const tensor_list& in) {
  NoGradGuard g;
  return fn(in);
}

bool fail(const GradcheckOptions& opts, const std::string& msg) {
  if (opts.raise_exception) throw Error(msg);
  return false;
}

}  // namespace

bool gradcheck(const GradcheckFn& fn, const tensor_list& inputs, const GradcheckOptions& opts) {
  std::vector<size_t> diff;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad()) {
      EMBER_CHECK(inputs[i].dtype() == kFloat64, "gradcheck: input ", i, " is ", inputs[i].dtype(),
                  "; gradcheck needs float64 inputs for precision");
      diff.push_back(i);
    }
  EMBER_CHECK(!diff.empty(), "gradcheck expects at least one input tensor to require gradient");
  tensor_list outputs = fn(inputs);
  for (size_t o = 0; o < outputs.size(); ++o) {
    const Tensor& out = outputs[o];
    if (!out.defined() || !out.is_floating_point()) continue;
    const int64_t n_out = out.numel();
    // numeric[i][k][j] = d out_j / d in_i[k]
    std::vector<std::vector<std::vector<double>>> numeric(diff.size());
    for (size_t di = 0; di < diff.size(); ++di) {
      const Tensor& in = inputs[diff[di]];
      for (int64_t k = 0; k < in.numel(); ++k) {
        Tensor e = element(in, k);
        const double orig = e.item<double>();
        ops::fill_(e, orig + opts.eps);
        auto plus = flat_values(call(fn, inputs)[o]);
        ops::fill_(e, orig - opts.eps);
        auto minus = flat_values(call(fn, inputs)[o]);
        ops::fill_(e, orig);
        std::vector<double> col(static_cast<size_t>(n_out));
        for (int64_t j = 0; j < n_out; ++j) col[size_t(j)] = (plus[size_t(j)] - minus[size_t(j)]) / (2 * opts.eps);
        numeric[di].push_back(std::move(col));
      }
    }
    for (int64_t j = 0; j < n_out; ++j) {
      Tensor go = filled_like_device(out.sizes(), out, [j](int64_t k) { return k == j ? 1.0 : 0.0; }).to(out.dtype());
      tensor_list want_inputs;
      for (size_t i : diff) want_inputs.push_back(inputs[i]);
      tensor_list g = out.requires_grad()
                          ? grad({out}, want_inputs, {go}, /*retain_graph=*/true, false, /*allow_unused=*/true)
                          : tensor_list(diff.size());
      for (size_t di = 0; di < diff.size(); ++di) {
        const Tensor& in = inputs[diff[di]];
        std::vector<double> a = g[di].defined() ? flat_values(g[di]) : std::vector<double>(size_t(in.numel()), 0.0);
        EMBER_CHECK(g[di].defined() ? g[di].sizes().equals(in.sizes()) : true, "gradcheck: gradient of input ",
                    diff[di], " has shape ", g[di].sizes(), " but the input has shape ", in.sizes());
        for (int64_t k = 0; k < in.numel(); ++k) {
          double num = numeric[di][size_t(k)][size_t(j)], ana = a[size_t(k)];
          if (!(std::abs(num - ana) <= opts.atol + opts.rtol * std::abs(num)))
            return fail(opts, detail::str("Jacobian mismatch for output ", o, " with respect to input ", diff[di],
                                          " at (input element ", k, ", output element ", j, "): numerical ", num,
                                          ", analytical ", ana));
        }
      }
    }
  }
  return true;
}

bool gradgradcheck(const GradcheckFn& fn, const tensor_list& inputs, const GradcheckOptions& opts) {
  tensor_list outputs;
  {
    NoGradGuard g;
    outputs = fn(inputs);
  }
  // Fixed pseudo-random upstream gradients, so a failure reproduces.
  tensor_list grad_outs;
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (const Tensor& o : outputs) {
    Tensor g = filled_like_device(o.sizes(), o, [&state](int64_t) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return double(state >> 11) / double(1ull << 53) * 2.0 - 1.0;
    });
    grad_outs.push_back(g.requires_grad_(true));
  }
  return gradgradcheck(fn, inputs, grad_outs, opts);
}

bool gradgradcheck(const GradcheckFn& fn, const tensor_list& inputs, const tensor_list& grad_outs,
                   const GradcheckOptions& opts) {
  const size_t n_in = inputs.size();
  GradcheckFn first_order = [&](const tensor_list& all) {
    tensor_list in(all.begin(), all.begin() + long(n_in));
    tensor_list gos(all.begin() + long(n_in), all.end());
    EnableGradGuard eg;
    tensor_list outs = fn(in);
    tensor_list diff_in;
    for (const Tensor& t : in)
      if (t.requires_grad()) diff_in.push_back(t);
    return grad(outs, diff_in, gos, true, true, true);
  };
  tensor_list all = inputs;
  all.insert(all.end(), grad_outs.begin(), grad_outs.end());
  return gradcheck(first_order, all, opts);
}

}  // namespace ember::autograd
