#include <execinfo.h>

#include <atomic>
#include <cstdlib>

#include <ember/autograd/function.h>
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/node.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

namespace {
std::atomic<uint64_t> g_next_sequence_nr{0};
}

namespace {
// The current call stack with demangled names, innermost first, skipping the autograd frames.
std::string forward_call_stack() {
  void* frames[48];
  int n = backtrace(frames, 48);
  char** symbols = backtrace_symbols(frames, n);
  if (!symbols) return {};
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string line = symbols[i];
    // backtrace_symbols gives "binary(mangled+offset) [address]".
    size_t open = line.find('('), plus = line.find('+', open);
    if (open != std::string::npos && plus != std::string::npos && plus > open + 1)
      line = demangle(line.substr(open + 1, plus - open - 1).c_str());
    if (line.find("ember::autograd::") != std::string::npos) continue;
    out += "  " + line + "\n";
  }
  std::free(symbols);
  return out;
}
}  // namespace

Node::Node() : sequence_nr_(g_next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {
  if (AnomalyMode::is_enabled()) {
    AnomalyMode::ForwardTraceFn fn = AnomalyMode::forward_trace_fn();
    forward_trace = fn ? fn() : forward_call_stack();
  }
}

AccumulateGrad::AccumulateGrad(Tensor v) : variable(std::move(v)) { is_accumulate_grad_ = true; }

tensor_list AccumulateGrad::apply(tensor_list&& grads) {
  accumulate(variable, std::move(grads[0]));
  return {};
}

void AccumulateGrad::accumulate(const Tensor& variable, Tensor&& g) {
  if (!g.defined()) return;
  Tensor& acc = variable.mutable_grad();
  if (!acc.defined()) {
    // Under create_graph the new gradient keeps its graph. Otherwise a gradient nobody else holds becomes
    // .grad as is; any other is copied, so later in-place accumulation never writes into a caller's tensor.
    if (GradMode::is_enabled())
      acc = std::move(g);
    else if (g.use_count() == 1 && g.impl()->storage.use_count() == 1 && g.is_contiguous() && !g.requires_grad())
      acc = std::move(g);
    else
      acc = g.detach().clone();
  } else if (GradMode::is_enabled()) {
    acc = acc + g;
  } else {
    acc.add_(g);
  }
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
    output_nr_ = t.output_nr();
  }
}

void SavedVariable::throw_modified(const std::shared_ptr<Node>& saved_for) const {
  // As PyTorch: an output names the node that saved it, an input its grad_fn as it is now.
  std::shared_ptr<Node> fn = is_output_ ? saved_for : data_.grad_fn();
  std::string which = fn ? detail::str(", which is output ", output_nr_, " of ", fn->name(), ",") : std::string();
  throw Error(detail::str(
      "one of the variables needed for gradient computation has been modified by an inplace operation: [",
      type_string(data_), " ", data_.sizes(), "]", which, " is at version ", data_._version(),
      "; expected version ", version_, " instead. ",
      AnomalyMode::is_enabled()
          ? "Hint: the backtrace further above can show the operation that failed to compute its gradient. The "
            "variable in question was changed in there or anywhere later. Good luck!"
          : "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True)."));
}

Tensor SavedVariable::unpack(const std::shared_ptr<Node>& saved_for) const {
  if (!data_.defined()) return {};
  if (data_._version() != version_) throw_modified(saved_for);
  if (is_output_ && requires_grad_ && saved_for && GradMode::is_enabled()) {
    Tensor t = data_.variable_data();
    set_history(t, saved_for, output_nr_);
    return t;
  }
  return data_;
}

std::string type_string(const Tensor& t) {
  return detail::str("torch.", t.is_cpu() ? "" : "cuda.", dtype_title(t.dtype()), "Tensor");
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
