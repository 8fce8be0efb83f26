// Module hooks: forward pre-hooks, forward hooks and full backward hooks, run as torch.nn.Module.__call__
// runs them. A full backward hook works as PyTorch's BackwardHook: the inputs pass through an identity
// node before forward and the outputs through another after it; the output node records the gradients
// w.r.t. the outputs, the input node (reached later in backward) calls the hooks with the gradients
// w.r.t. the inputs, which a hook may replace.
#include <algorithm>

#include <ember/autograd/function.h>
#include <ember/autograd/grad_mode.h>
#include <ember/nn/module.h>

namespace ember::nn {

namespace detail {
struct HookTables {
  int64_t next_id = 0;
  std::vector<std::pair<int64_t, ForwardPreHook>> pre;
  std::vector<std::pair<int64_t, ForwardHook>> forward;
  std::vector<std::pair<int64_t, BackwardHook>> backward;
  bool empty() const { return pre.empty() && forward.empty() && backward.empty(); }
};
}  // namespace detail

void RemovableHandle::remove() {
  auto t = tables_.lock();
  if (!t) return;
  auto drop = [this](auto& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [this](const auto& e) { return e.first == id_; }), v.end());
  };
  drop(t->pre);
  drop(t->forward);
  drop(t->backward);
}

RemovableHandle Module::register_forward_pre_hook(ForwardPreHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::HookTables>();
  int64_t id = hooks_->next_id++;
  hooks_->pre.emplace_back(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}
RemovableHandle Module::register_forward_hook(ForwardHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::HookTables>();
  int64_t id = hooks_->next_id++;
  hooks_->forward.emplace_back(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}
RemovableHandle Module::register_full_backward_hook(BackwardHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::HookTables>();
  int64_t id = hooks_->next_id++;
  hooks_->backward.emplace_back(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}

namespace {

// An identity on a list of tensors whose backward runs `fn` on the incoming gradients (undefined where
// none flowed) and returns what fn returns.
struct HookNode final : autograd::CustomNodeBase {
  std::function<tensor_list(tensor_list&&)> fn;
  tensor_list apply(tensor_list&& grads) override { return collect_input_grads(fn(prepare_grads(std::move(grads)))); }
  std::string name() const override { return "BackwardHookFunctionBackward"; }
};

tensor_list identity_with_backward(const tensor_list& tensors, std::function<tensor_list(tensor_list&&)> fn) {
  auto node = std::make_shared<HookNode>();
  node->fn = std::move(fn);
  node->ctx.set_materialize_grads(false);
  autograd::CustomFunctionBuilder builder(node);
  tensor_list no_grad;
  for (const Tensor& t : tensors) {
    builder.add_arg(t);
    if (t.defined() && !t.requires_grad()) no_grad.push_back(t);
  }
  builder.connect_inputs();
  node->ctx.mark_non_differentiable(no_grad);
  tensor_list out = tensors;
  builder.wrap_outputs(out);
  return out;
}

// What one call of a module with full backward hooks shares between its two identity nodes.
struct BackwardHookState {
  Module* module = nullptr;
  // Keeps a module held by shared_ptr alive until backward, as PyTorch's BackwardHook holds its module.
  std::shared_ptr<Module> keep_alive;
  std::vector<BackwardHook> hooks;
  size_t n_inputs = 0;
  bool inputs_wrapped = false;
  tensor_list grad_outputs;
};

bool any_requires_grad(const tensor_list& ts) {
  for (const Tensor& t : ts)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

}  // namespace

tensor_list Module::call_with_hooks(tensor_list inputs, const std::function<tensor_list(const tensor_list&)>& fwd) {
  std::shared_ptr<detail::HookTables> tables = hooks_;  // kept alive while hooks remove themselves
  if (!tables || tables->empty()) return fwd(inputs);
  for (const auto& [id, hook] : std::vector(tables->pre)) {
    std::optional<tensor_list> r = hook(*this, inputs);
    if (r) inputs = std::move(*r);
  }
  std::shared_ptr<BackwardHookState> bw;
  if (!tables->backward.empty() && GradMode::is_enabled()) {
    bw = std::make_shared<BackwardHookState>();
    bw->module = this;
    bw->keep_alive = weak_from_this().lock();
    for (const auto& [id, hook] : tables->backward) bw->hooks.push_back(hook);
    bw->n_inputs = inputs.size();
    if (any_requires_grad(inputs)) {
      bw->inputs_wrapped = true;
      inputs = identity_with_backward(inputs, [bw](tensor_list&& grads) {
        tensor_list grad_input = std::move(grads);
        for (const BackwardHook& hook : bw->hooks) {
          std::optional<tensor_list> r = hook(*bw->module, grad_input, bw->grad_outputs);
          if (!r) continue;
          EMBER_CHECK(r->size() == grad_input.size(), "Backward hook returned an invalid number of grad_input, got ",
                      r->size(), ", but expected ", grad_input.size());
          grad_input = std::move(*r);
        }
        bw->grad_outputs.clear();
        return grad_input;
      });
    }
  }
  tensor_list outputs = fwd(inputs);
  for (const auto& [id, hook] : std::vector(tables->forward)) {
    std::optional<tensor_list> r = hook(*this, inputs, outputs);
    if (r) outputs = std::move(*r);
  }
  if (bw && any_requires_grad(outputs)) {
    outputs = identity_with_backward(outputs, [bw](tensor_list&& grads) {
      bw->grad_outputs = grads;
      // With no input that requires grad, the input node never runs: the hooks run here, with None for
      // every grad_input, and may not replace them.
      if (!bw->inputs_wrapped) {
        tensor_list none(bw->n_inputs);
        for (const BackwardHook& hook : bw->hooks) {
          std::optional<tensor_list> r = hook(*bw->module, none, bw->grad_outputs);
          bool all_none = !r || std::none_of(r->begin(), r->end(), [](const Tensor& t) { return t.defined(); });
          EMBER_CHECK(all_none, "Backward hook for Modules where no input requires gradient should always return None "
                                "or None for all gradients.");
        }
      }
      return std::move(grads);
    });
  }
  return outputs;
}

Tensor Module::operator()(const Tensor& input) {
  if (!hooks_ || hooks_->empty()) return forward(input);
  return call_with_hooks({input}, [this](const tensor_list& in) {
           EMBER_CHECK(in.size() == 1, name(), ".forward takes 1 input but a forward pre-hook gave ", in.size());
           return tensor_list{forward(in[0])};
         })
      .at(0);
}

}  // namespace ember::nn
