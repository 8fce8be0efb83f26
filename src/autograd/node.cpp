#include <atomic>

#include <ember/autograd/grad_mode.h>
#include <ember/autograd/node.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

namespace {
std::atomic<uint64_t> g_next_sequence_nr{0};
}

Node::Node() : sequence_nr_(g_next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {}

AccumulateGrad::AccumulateGrad(Tensor v) : variable(std::move(v)) {}

tensor_list AccumulateGrad::apply(tensor_list&& grads) {
  Tensor& g = grads[0];
  if (!g.defined()) return {};
  AutogradMeta* m = variable.unsafeGetTensorImpl()->autograd.get();
  Tensor& acc = m->grad;
  if (!acc.defined()) {
    // Under create_graph the new gradient keeps its graph; otherwise store a detached copy so later
    // in-place accumulation never writes into a tensor the caller still holds.
    acc = GradMode::is_enabled() ? g : (g.use_count() == 1 && g.is_contiguous() ? g.detach() : g.detach().clone());
  } else if (GradMode::is_enabled()) {
    acc = acc + g;
  } else {
    acc.add_(g);
  }
  return {};
}

SavedVariable::SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr)
    : is_output_(is_output), output_nr_(output_nr) {
  if (!t.defined()) return;
  version_ = t._version();
  // An output is saved while its node is being recorded, before it gets its history.
  requires_grad_ = is_output || t.requires_grad();
  if (is_output) {
    data_ = t.variable_data();
  } else {
    data_ = t;
  }
}

Tensor SavedVariable::unpack(const std::shared_ptr<Node>& saved_for) const {
  if (!data_.defined()) return {};
  if (data_._version() != version_) {
    throw Error(detail::str(
        "one of the variables needed for gradient computation has been modified by an inplace operation: [",
        dtype_title(data_.dtype()), "Tensor ", data_.sizes(), "], which is ",
        is_output_ ? detail::str("output ", output_nr_, " of ", saved_for ? saved_for->name() : std::string("a node"))
                   : std::string("an input of the op"),
        ", is at version ", data_._version(), "; expected version ", version_,
        " instead. Hint: the backtrace further above can show the operation that failed to compute its gradient. "
        "The variable in question was changed in there or anywhere later. Good luck!"));
  }
  if (is_output_ && requires_grad_ && saved_for && GradMode::is_enabled()) {
    Tensor t = data_.variable_data();
    set_history(t, saved_for, output_nr_);
    return t;
  }
  return data_;
}

Tensor sum_to(const Tensor& grad, IntArrayRef sizes) {
  if (grad.sizes().equals(sizes)) return grad;
  int64_t lead = grad.dim() - int64_t(sizes.size());
  DimVector dims;
  for (int64_t d = 0; d < grad.dim(); ++d)
    if (d < lead || (sizes[size_t(d - lead)] == 1 && grad.sizes()[size_t(d)] != 1)) dims.push_back(d);
  Tensor r = dims.empty() ? grad : grad.sum(dims, true);
  return r.reshape(sizes);
}

}  // namespace ember::autograd
