// Public scans (cumsum, cumprod, cummax, cummin) with PyTorch's derivative rules.
#include <ember/autocast.h>
#include <ember/ops/factory.h>
#include <ember/ops/shape.h>

#include "autograd/derivatives/reduce_grad.h"

namespace ember {

using namespace reduce_grad;

namespace {
// sum_{j >= i} grad_j along `dim`, from public ops so it can be differentiated again.
Tensor reverse_cumsum(const Tensor& grad, int64_t dim) { return grad.sum(dim, true) - grad.cumsum(dim) + grad; }

Tensor gather_at(const Tensor& self, const Tensor& indices, int64_t dim);

// cumprod's gradient where x has zeros, from public ops so it is differentiable again (create_graph):
// grad_k = sum_{i >= k} g_i * prod_{j <= i, j != k} x_j, the inner product being x's exclusive prefix
// product at k times the running product of x_{k+1..i}. O(n^2) along dim, as PyTorch's.
Tensor cumprod_backward_graph(const Tensor& g, const Tensor& x, int64_t dim) {
  int64_t n = x.size(dim);
  Tensor before = exclusive_cumprod(x, dim);
  std::vector<Tensor> parts;
  parts.reserve(size_t(n));
  for (int64_t k = 0; k < n; ++k) {
    Tensor pk = before.narrow(dim, k, 1);
    Tensor omitted = k + 1 < n ? cat({pk, pk * x.narrow(dim, k + 1, n - k - 1).cumprod(dim)}, dim) : pk;
    parts.push_back((g.narrow(dim, k, n - k) * omitted).sum(dim, true));
  }
  return cat(parts, dim);
}

// The gradient of cummax/cummin: each grad_i flows to the element indices_i names (a scatter-add whose
// derivative is the matching gather, and the other way round, so double backward works).
Tensor to_selected(const Tensor& grad, const Tensor& indices, int64_t dim) {
  Tensor out = ops::scatter_add_along(grad, indices, dim);
  if (autograd::any_requires_grad({&grad}))
    record("ScatterAddBackward0", {&out}, {&grad}, [indices, dim](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {gather_at(g[0], indices, dim)};
    });
  return out;
}

Tensor gather_at(const Tensor& self, const Tensor& indices, int64_t dim) {
  Tensor out = ops::gather_along(self, indices, dim);
  if (autograd::any_requires_grad({&self}))
    record("GatherBackward0", {&out}, {&self}, [indices, dim](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {to_selected(g[0], indices, dim)};
    });
  return out;
}

std::tuple<Tensor, Tensor> record_selected(const char* name, const Tensor& self, std::tuple<Tensor, Tensor> r,
                                           int64_t dim) {
  if (autograd::any_requires_grad({&self}) && self.is_floating_point()) {
    int64_t d = ops::maybe_wrap_dim(dim, self.dim());
    Tensor indices = std::get<1>(r);
    record(name, {&std::get<0>(r)}, {&self}, [indices, d](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {to_selected(g[0], indices, d)};
    });
  }
  return r;
}
}  // namespace

Tensor cumsum(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("cumsum", cumsum, self, dim, dtype); }
  Tensor out = ops::cumsum(self, dim, dtype);
  if (autograd::any_requires_grad({&self}) && out.is_floating_point()) {
    int64_t d = ops::maybe_wrap_dim(dim, self.dim());
    DType in_dt = self.dtype();
    record("CumsumBackward0", {&out}, {&self}, [d, in_dt](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {(g[0].dim() ? reverse_cumsum(g[0], d) : g[0]).to(in_dt)};
    });
  }
  return out;
}

// Without zeros: reverse_cumsum(grad * out) / x. With zeros the division fails, and a dedicated kernel
// computes the exact gradient (a constant: double backward through zeros is not supported).
Tensor cumprod(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("cumprod", cumprod, self, dim, dtype); }
  Tensor out = ops::cumprod(self, dim, dtype);
  if (autograd::any_requires_grad({&self}) && out.is_floating_point()) {
    int64_t d = ops::maybe_wrap_dim(dim, self.dim());
    DType in_dt = self.dtype();
    record("CumprodBackward0", {&out}, {&self},
           [d, in_dt, self_ = SavedVariable(self, false), out_ = SavedVariable(out, true)](
               autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor x = self_.unpack(), r = out_.unpack(node.shared_from_this());
             if (x.dim() == 0) return {g[0].to(in_dt)};
             bool has_zero = ops::any(ops::eq(x, ops::wrap_scalar(x, 0)), std::nullopt, false).item<bool>();
             if (has_zero)
               return {(GradMode::is_enabled() ? cumprod_backward_graph(g[0], x, d) : ops::cumprod_backward(g[0], x, d))
                           .to(in_dt)};
             return {(reverse_cumsum(g[0] * r, d) / x).to(in_dt)};
           });
  }
  return out;
}

std::tuple<Tensor, Tensor> cummax(const Tensor& self, int64_t dim) {
  return record_selected("CummaxBackward0", self, ops::cummax(self, dim), dim);
}
std::tuple<Tensor, Tensor> cummin(const Tensor& self, int64_t dim) {
  return record_selected("CumminBackward0", self, ops::cummin(self, dim), dim);
}

Tensor Tensor::cumsum(int64_t dim, std::optional<DType> dtype) const { return ember::cumsum(*this, dim, dtype); }
Tensor Tensor::cumprod(int64_t dim, std::optional<DType> dtype) const { return ember::cumprod(*this, dim, dtype); }
std::tuple<Tensor, Tensor> Tensor::cummax(int64_t dim) const { return ember::cummax(*this, dim); }
std::tuple<Tensor, Tensor> Tensor::cummin(int64_t dim) const { return ember::cummin(*this, dim); }

}  // namespace ember
