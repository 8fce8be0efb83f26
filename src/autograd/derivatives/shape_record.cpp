// The view scatter and the multi-output view node behind the shape family's backward formulas.
#include "autograd/derivatives/shape_record.h"

namespace ember::shape_autograd {

Tensor view_scatter(const Tensor& grad, IntArrayRef base_sizes, ViewFn view) {
  Tensor out = ops::empty(base_sizes, grad.dtype(), grad.device());
  ops::fill_(out, 0);
  {
    NoGradGuard no_grad;
    Tensor region = view(out);
    ops::copy_(region, grad);
  }
  if (autograd::any_requires_grad({&grad}))
    autograd::record("ViewScatterBackward0", {&out}, {&grad},
                     [view](autograd::Node&, const tensor_list& g) -> tensor_list { return {view(g[0])}; });
  return out;
}

void record_multi_view(const char* name, const Tensor& self, std::vector<Tensor>& outs,
                       std::function<Tensor(const tensor_list&)> combine) {
  if (!autograd::any_requires_grad({&self}) || outs.empty()) return;
  auto fn = [combine = std::move(combine)](autograd::Node&, const tensor_list& g) -> tensor_list {
    return {combine(g)};
  };
  auto node = std::make_shared<autograd::LambdaNode<decltype(fn)>>(name, std::move(fn));
  node->next_edges.push_back(autograd::gradient_edge(self));
  node->num_outputs_ = uint32_t(outs.size());
  for (const Tensor& o : outs) node->output_meta.push_back({DimVector(o.sizes()), o.dtype(), o.device()});
  for (uint32_t i = 0; i < outs.size(); ++i) {
    autograd::set_history(outs[i], node, i);
    outs[i].unsafeGetTensorImpl()->autograd->is_differentiable_view = true;
  }
}

void record_from_list(const char* name, const Tensor& out, ArrayRef<Tensor> inputs,
                      std::function<tensor_list(const Tensor&)> backward) {
  if (!GradMode::is_enabled()) return;
  bool any = false;
  for (const Tensor& t : inputs) any = any || t.requires_grad();
  if (!any) return;
  auto fn = [backward = std::move(backward)](autograd::Node&, const tensor_list& g) -> tensor_list {
    return backward(g[0]);
  };
  auto node = std::make_shared<autograd::LambdaNode<decltype(fn)>>(name, std::move(fn));
  for (const Tensor& t : inputs) node->next_edges.push_back(autograd::gradient_edge(t));
  autograd::set_history(out, node, 0);
}

}  // namespace ember::shape_autograd
