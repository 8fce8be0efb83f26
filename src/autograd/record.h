#pragma once
// Recording a differentiable op: LambdaNode holds the backward formula (a lambda over saved variables,
// written with public ops so it runs on every backend and can itself be differentiated), and record()
// wires the node between the op's inputs and outputs.
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/meta.h>

namespace ember::autograd {

// Defined SavedVariables copied or moved on this thread. A LambdaNode reads it around moving its backward
// lambda in, to learn whether the lambda holds saved tensors: only a node that does is freed by a backward,
// so, as in PyTorch, a second backward runs again through nodes that saved nothing (AddBackward0, ...).
inline thread_local uint64_t saved_variable_transfers = 0;

// A tensor saved for backward. Checks on unpack that nobody modified it in place since it was saved.
// An op's own output is saved without its grad_fn (which would be a reference cycle) and gets it back
// on unpack, for double backward.
class SavedVariable {
 public:
  SavedVariable() = default;
  // `output_nr` is which output of the recording op `t` is, when is_output.
  SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr = 0);
  SavedVariable(const SavedVariable& o)
      : data_(o.data_), version_(o.version_), is_output_(o.is_output_), requires_grad_(o.requires_grad_),
        output_nr_(o.output_nr_) {
    if (data_.defined()) ++saved_variable_transfers;
  }
  SavedVariable(SavedVariable&& o) noexcept
      : data_(std::move(o.data_)), version_(o.version_), is_output_(o.is_output_), requires_grad_(o.requires_grad_),
        output_nr_(o.output_nr_) {
    if (data_.defined()) ++saved_variable_transfers;
  }
  SavedVariable& operator=(const SavedVariable&) = default;
  SavedVariable& operator=(SavedVariable&&) noexcept = default;
  Tensor unpack(const std::shared_ptr<Node>& saved_for = nullptr) const;
  bool defined() const { return data_.defined(); }

 private:
  [[noreturn]] void throw_modified(const std::shared_ptr<Node>& saved_for) const;
  Tensor data_;
  uint32_t version_ = 0;
  bool is_output_ = false;
  bool requires_grad_ = false;
  // For an output, which output of the recording op it is; for an input, which output of its own
  // grad_fn (for the error message).
  uint32_t output_nr_ = 0;
};

inline constexpr const char* kSecondBackwardMessage =
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.";

template <class F>
struct LambdaNode final : Node {
  LambdaNode(const char* name, F&& f) : name_(name) {
    uint64_t before = saved_variable_transfers;
    fn_.emplace(std::move(f));
    saves_tensors_ = saved_variable_transfers != before;
  }
  tensor_list apply(tensor_list&& grads) override {
    if (!fn_) throw Error(kSecondBackwardMessage);
    return (*fn_)(*this, grads);
  }
  std::string name() const override { return name_; }
  void release_variables() override {
    if (saves_tensors_) fn_.reset();
  }

 private:
  const char* name_;
  std::optional<F> fn_;
  bool saves_tensors_ = false;
};

inline bool any_requires_grad(std::initializer_list<const Tensor*> ts) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor* t : ts)
    if (t->defined() && t->requires_grad()) return true;
  return false;
}

// The edge a gradient for `t` flows along: its grad_fn, or its leaf accumulator.
Edge gradient_edge(const Tensor& t);
void set_history(const Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr);
// Records that `view` (an op's output) shares `source`'s storage: it remembers the source's base.
void note_view(const Tensor& view, const Tensor& source, bool multi_output);
// Gives `view` (just overwritten in place with `result`) and its base their new history: the base
// becomes CopySlices(old base, result) and the view a strided view of the new base.
void rebase_view(const Tensor& view, const Tensor& result);
// Remakes a view's history from its base's if the storage was written in place since it was made.
void refresh_view_history(const Tensor& view);
// After `t` got a new grad_fn (an in-place op): its retain_grad follows it there, as in PyTorch, so .grad is
// the gradient of the tensor's current value.
void move_retained_grad(const Tensor& t, const std::shared_ptr<Node>& old_fn);

// Records `outputs` as produced from `inputs` by an op whose backward is `fn(node, grads) -> tensor_list`
// (one gradient per input, undefined where the input needs none).
template <class F>
void record(const char* name, std::initializer_list<const Tensor*> outputs, std::initializer_list<const Tensor*> inputs,
            F&& fn) {
  auto node = std::make_shared<LambdaNode<std::decay_t<F>>>(name, std::forward<F>(fn));
  node->next_edges.reserve(inputs.size());
  for (const Tensor* in : inputs) node->next_edges.push_back(in->defined() ? gradient_edge(*in) : Edge{});
  node->num_outputs_ = uint32_t(outputs.size());
  if (outputs.size() > 1)
    for (const Tensor* o : outputs) node->output_meta.push_back({DimVector(o->sizes()), o->dtype(), o->device()});
  uint32_t i = 0;
  for (const Tensor* o : outputs) {
    set_history(*o, node, i++);
    for (const Tensor* in : inputs)
      if (in->defined() && !o->is_same(*in) && o->impl()->storage == in->impl()->storage)
        note_view(*o, *in, outputs.size() > 1);
  }
}

// "torch.FloatTensor", as PyTorch names a tensor's type in messages.
std::string type_string(const Tensor& t);

// Sums `grad` over the dims that broadcasting added or expanded so that it has `sizes`.
Tensor sum_to(const Tensor& grad, IntArrayRef sizes);

// Runs an in-place op under autograd: computes it out of place on a clone (so values the backward
// needs survive), writes the result into self and makes self the op's output. `compute` is the
// out-of-place public op; `inplace_kernel` is the plain in-place kernel used when nothing needs grad.
template <class Compute, class Kernel>
Tensor& inplace(Tensor& self, bool other_requires_grad, const Compute& compute, const Kernel& inplace_kernel);

void check_inplace(const Tensor& self);
void take_history(Tensor& self, const Tensor& result);
Tensor& copy_values(Tensor& self, const Tensor& src);  // ops::copy_ plus a version bump

template <class Compute, class Kernel>
Tensor& inplace(Tensor& self, bool other_requires_grad, const Compute& compute, const Kernel& inplace_kernel) {
  if (!GradMode::is_enabled() || !(self.requires_grad() || other_requires_grad)) {
    inplace_kernel(self);
    self.bump_version();
    return self;
  }
  check_inplace(self);
  Tensor result = compute(self.clone());
  copy_values(self, result);
  take_history(self, result);
  return self;
}

// A saved input only where the other input's gradient needs it (an empty slot otherwise).
inline SavedVariable save_if(bool needed, const Tensor& t) { return needed ? SavedVariable(t, false) : SavedVariable(); }

}  // namespace ember::autograd
