// Tensor's autograd methods and the bookkeeping that connects tensors to graph nodes.
#include <atomic>

#include <ember/autograd/engine.h>
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/meta.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember {

namespace {
AutogradMeta& meta(const Tensor& t) {
  auto& m = t.unsafeGetTensorImpl()->autograd;
  if (!m) m = std::make_unique<AutogradMeta>();
  return *m;
}
AutogradMeta* meta_or_null(const Tensor& t) { return t.unsafeGetTensorImpl()->autograd.get(); }
const Tensor& undefined_tensor() {
  static const Tensor t;
  return t;
}
const std::shared_ptr<autograd::Node>& null_node() {
  static const std::shared_ptr<autograd::Node> n;
  return n;
}
std::atomic<int> g_next_hook_id{0};
}  // namespace

bool Tensor::requires_grad() const {
  AutogradMeta* m = meta_or_null(*this);
  if (!m) return false;
  // A view gets history when its base got some through an in-place op since the view was made.
  if (m->view_base.defined()) autograd::refresh_view_history(*this);
  return m->requires_grad || m->grad_fn;
}

Tensor& Tensor::requires_grad_(bool r) {
  EMBER_CHECK(is_leaf() || r,
              "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a "
              "subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  EMBER_CHECK(!r || is_floating_point(),
              "only Tensors of floating point and complex dtype can require gradients");
  if (!r && !meta_or_null(*this)) return *this;
  meta(*this).requires_grad = r;
  return *this;
}

const Tensor& Tensor::grad() const {
  AutogradMeta* m = meta_or_null(*this);
  return m ? m->grad : undefined_tensor();
}
Tensor& Tensor::mutable_grad() const { return meta(*this).grad; }

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const {
  AutogradMeta* m = meta_or_null(*this);
  if (!m) return null_node();
  if (m->view_base.defined()) autograd::refresh_view_history(*this);
  return m->grad_fn;
}
bool Tensor::is_leaf() const { return grad_fn() == nullptr; }
uint32_t Tensor::output_nr() const {
  AutogradMeta* m = meta_or_null(*this);
  return m ? m->output_nr : 0;
}
bool Tensor::retains_grad() const {
  AutogradMeta* m = meta_or_null(*this);
  return m && m->retains_grad;
}

void Tensor::retain_grad() const {
  EMBER_CHECK(requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf() || retains_grad()) return;
  meta(*this).retains_grad = true;
  grad_fn()->retained_grads.emplace_back(output_nr(), impl_);
}

Tensor Tensor::variable_data() const {
  return Tensor(std::make_shared<TensorImpl>(impl_->storage, impl_->dtype, impl_->sizes, impl_->strides,
                                             impl_->storage_offset));
}

Tensor Tensor::detach() const { return variable_data(); }

Tensor& Tensor::detach_() {
  if (AutogradMeta* m = meta_or_null(*this)) {
    EMBER_CHECK(!m->is_differentiable_view && !m->view_base.defined(),
                "Can't detach views in-place. Use detach() instead.");
    m->grad_fn.reset();
    m->requires_grad = false;
    m->output_nr = 0;
  }
  return *this;
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                      const std::vector<Tensor>& inputs) const {
  autograd::backward({*this}, gradient.defined() ? tensor_list{gradient} : tensor_list{}, retain_graph, create_graph,
                     inputs);
}

Tensor::HookHandle Tensor::register_hook(std::function<Tensor(const Tensor&)> hook) const {
  EMBER_CHECK(requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  int id = g_next_hook_id.fetch_add(1, std::memory_order_relaxed);
  if (is_leaf()) {
    meta(*this).hooks.push_back({0, id, std::move(hook)});
    return HookHandle{{}, impl_, id};
  }
  grad_fn()->pre_hooks.push_back({output_nr(), id, std::move(hook)});
  return HookHandle{grad_fn(), {}, id};
}

Tensor::HookHandle Tensor::register_hook(std::function<void(const Tensor&)> hook) const {
  return register_hook(std::function<Tensor(const Tensor&)>([h = std::move(hook)](const Tensor& g) {
    h(g);
    return Tensor();
  }));
}

void Tensor::HookHandle::remove() {
  std::vector<autograd::Node::PreHook>* hooks = nullptr;
  std::shared_ptr<autograd::Node> n = node.lock();
  std::shared_ptr<TensorImpl> t = leaf.lock();
  if (n) hooks = &n->pre_hooks;
  if (t && t->autograd) hooks = &t->autograd->hooks;
  if (hooks)
    for (auto it = hooks->begin(); it != hooks->end(); ++it)
      if (it->id == id) {
        hooks->erase(it);
        break;
      }
  node.reset();
  leaf.reset();
}

namespace autograd {

Edge gradient_edge(const Tensor& t) {
  AutogradMeta* m = meta_or_null(t);
  if (!m) return {};
  if (m->view_base.defined()) refresh_view_history(t);
  if (m->grad_fn) return {m->grad_fn, m->output_nr};
  if (!m->requires_grad) return {};
  auto acc = m->grad_accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(t);
    m->grad_accumulator = acc;
  }
  return {acc, 0};
}

void set_history(const Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr) {
  AutogradMeta& m = meta(out);
  m.grad_fn = node;
  m.output_nr = output_nr;
}

void check_inplace(const Tensor& self) {
  if (self.is_leaf() && self.requires_grad())
    throw Error("a leaf Variable that requires grad is being used in an in-place operation.");
  AutogradMeta* m = meta_or_null(self);
  if (!m || !m->view_base.defined()) return;
  if (m->view_of_multi_output)
    throw Error(detail::str("Output ", m->output_nr, " of ", self.grad_fn() ? self.grad_fn()->name() : std::string("?"),
                            " is a view and is being modified inplace. This view is the output of a function that "
                            "returns multiple views. Such functions do not allow the output views to be modified "
                            "inplace. You should replace the inplace operation by an out-of-place one."));
  const Tensor& base = m->view_base;
  if (base.is_leaf() && base.requires_grad())
    throw Error("a view of a leaf Variable that requires grad is being used in an in-place operation.");
}

Tensor& copy_values(Tensor& self, const Tensor& src) {
  EMBER_CHECK(ops::can_cast(src.dtype(), self.dtype()), "result type ", dtype_title(src.dtype()),
              " can't be cast to the desired output type ", dtype_title(self.dtype()));
  EMBER_CHECK(src.sizes().equals(self.sizes()), "output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", src.sizes());
  ops::copy_(self, src);
  self.bump_version();
  return self;
}

void move_retained_grad(const Tensor& t, const std::shared_ptr<Node>& old_fn) {
  AutogradMeta& m = meta(t);
  if (!m.retains_grad || old_fn == m.grad_fn) return;
  if (old_fn) {
    auto& list = old_fn->retained_grads;
    std::erase_if(list, [&](const auto& e) { return e.second.lock() == t.impl(); });
  }
  if (m.grad_fn) m.grad_fn->retained_grads.emplace_back(m.output_nr, t.impl());
}

void take_history(Tensor& self, const Tensor& result) {
  AutogradMeta& m = meta(self);
  std::shared_ptr<Node> old_fn = m.grad_fn;
  if (m.view_base.defined()) {
    rebase_view(self, result);
  } else {
    m.grad_fn = result.grad_fn();
    m.output_nr = result.output_nr();
  }
  move_retained_grad(self, old_fn);
}

}  // namespace autograd
}  // namespace ember
