// Custom functions (ember/autograd/function.h): wiring a user's forward into the graph and calling its
// backward, following libtorch's CppNode and _wrap_outputs.
#include <cxxabi.h>

#include <cstdlib>

#include <ember/autograd/function.h>
#include <ember/autograd/meta.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

const char* IValue::kind() const {
  static const char* const names[] = {"None", "Double", "Int", "Bool", "Tensor", "String", "IntList"};
  return names[v_.index()];
}

#define EMBER_IVALUE_GETTER(ret, fn, T, what)                                                         \
  ret IValue::fn() const {                                                                            \
    EMBER_CHECK_TYPE(std::holds_alternative<T>(v_), "Expected " what " but got ", kind());            \
    return std::get<T>(v_);                                                                           \
  }
EMBER_IVALUE_GETTER(bool, toBool, bool, "Bool")
EMBER_IVALUE_GETTER(const Tensor&, toTensor, Tensor, "Tensor")
EMBER_IVALUE_GETTER(const std::string&, toStringRef, std::string, "String")
EMBER_IVALUE_GETTER(const std::vector<int64_t>&, toIntVector, std::vector<int64_t>, "IntList")
#undef EMBER_IVALUE_GETTER

double IValue::toDouble() const {
  if (isInt()) return double(std::get<int64_t>(v_));
  EMBER_CHECK_TYPE(isDouble(), "Expected Double but got ", kind());
  return std::get<double>(v_);
}
int64_t IValue::toInt() const {
  EMBER_CHECK_TYPE(isInt(), "Expected Int but got ", kind());
  return std::get<int64_t>(v_);
}

std::string demangle(const char* mangled) {
  int status = 0;
  char* s = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status != 0 || !s) return mangled;
  std::string r(s);
  std::free(s);
  return r;
}

AutogradContext::AutogradContext() = default;
AutogradContext::~AutogradContext() = default;

void AutogradContext::save_for_backward(tensor_list to_save) { to_save_ = std::move(to_save); }

void AutogradContext::mark_dirty(const tensor_list& inputs) {
  dirty_.clear();
  for (const Tensor& t : inputs) dirty_.insert(t.unsafeGetTensorImpl());
}

void AutogradContext::mark_non_differentiable(const tensor_list& outputs) {
  non_differentiable_.clear();
  for (const Tensor& t : outputs) non_differentiable_.insert(t.unsafeGetTensorImpl());
}

tensor_list AutogradContext::get_saved_variables() const {
  if (has_freed_buffers_) throw Error(kSecondBackwardMessage);
  auto node = node_.lock();
  tensor_list r;
  r.reserve(saved_.size());
  for (const SavedVariable& v : saved_) r.push_back(v.unpack(node));
  return r;
}

bool AutogradContext::needs_input_grad(size_t i) const {
  auto node = node_.lock();
  return node && node->should_compute_output(i);
}

void CustomNodeBase::release_variables() {
  ctx.saved_.clear();
  ctx.has_freed_buffers_ = true;
}

tensor_list CustomNodeBase::prepare_grads(tensor_list&& grads) const {
  grads.resize(outputs_meta.size());
  if (ctx.materialize_grads_)
    for (size_t i = 0; i < grads.size(); ++i)
      if (!grads[i].defined() && outputs_meta[i]) {
        const OutputMeta& m = *outputs_meta[i];
        grads[i] = ops::empty(m.sizes, m.dtype, m.device);
        ops::fill_(grads[i], 0);
      }
  return std::move(grads);
}

namespace {
// Whether a tensor of shape `from` broadcasts to shape `to` (so a gradient of shape `to` sums back).
bool expandable_to(IntArrayRef from, IntArrayRef to) {
  if (from.size() > to.size()) return false;
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
    if (f != t && f != 1) return false;
  }
  return true;
}
}  // namespace

tensor_list CustomNodeBase::collect_input_grads(tensor_list&& from_user) const {
  const size_t n_args = is_tensor_arg.size();
  const size_t n_tensors = next_edges.size();
  // Returning more gradients than arguments is fine as long as the extra ones are undefined.
  size_t n = from_user.size();
  while (n > n_args && !from_user[n - 1].defined()) --n;
  EMBER_CHECK(n == n_tensors || n == n_args, "function ", name(),
              " returned an incorrect number of gradients (expected ", n_tensors, ", got ", from_user.size(), ")");
  tensor_list out;
  out.reserve(n_tensors);
  if (n == n_args) {
    for (size_t i = 0; i < n_args; ++i)
      if (is_tensor_arg[i]) out.push_back(std::move(from_user[i]));
  } else {
    for (size_t i = 0; i < n_tensors; ++i) out.push_back(std::move(from_user[i]));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].defined() || !next_edges[i].is_valid()) {
      out[i] = Tensor();
      continue;
    }
    const auto& expected = inputs_meta[i];
    EMBER_CHECK(expandable_to(expected.sizes, out[i].sizes()),
                "Function ", name(), " returned an invalid gradient at index ", i, " - got ", out[i].sizes(),
                " but expected shape compatible with ", IntArrayRef(expected.sizes));
    if (!out[i].sizes().equals(expected.sizes)) out[i] = sum_to(out[i], expected.sizes);
    if (out[i].dtype() != expected.dtype) out[i] = out[i].to(expected.dtype);
  }
  return out;
}

void CustomFunctionBuilder::add_arg(const Tensor& t) {
  node_->is_tensor_arg.push_back(true);
  inputs_.push_back(t);
  any_requires_grad_ |= t.defined() && t.requires_grad();
}

void CustomFunctionBuilder::add_non_tensor_arg() { node_->is_tensor_arg.push_back(false); }

void CustomFunctionBuilder::connect_inputs() {
  CustomNodeBase& node = *node_;
  executable_ = any_requires_grad_ && GradMode::is_enabled();
  node.ctx.node_ = node_;
  if (!executable_) return;
  node.next_edges.reserve(inputs_.size());
  node.inputs_meta.reserve(inputs_.size());
  for (const Tensor& in : inputs_) {
    node.next_edges.push_back(in.defined() ? gradient_edge(in) : Edge{});
    node.inputs_meta.push_back(in.defined() ? Node::OutputMeta{DimVector(in.sizes()), in.dtype(), in.device()}
                                           : Node::OutputMeta{});
  }
}

void CustomFunctionBuilder::wrap_outputs(tensor_list& outputs) {
  CustomNodeBase& node = *node_;
  AutogradContext& ctx = node.ctx;
  const bool executable = executable_;
  // Which outputs are the tensors that forward returned unchanged from its arguments.
  auto is_input = [&](const Tensor& t) {
    for (const Tensor& in : inputs_)
      if (in.defined() && in.is_same(t)) return true;
    return false;
  };
  for (const TensorImpl* d : ctx.dirty_) {
    bool returned = false;
    for (const Tensor& o : outputs) returned |= o.unsafeGetTensorImpl() == d;
    EMBER_CHECK(returned, "Some elements marked as dirty during the forward method were not returned as output. "
                          "The inputs that are modified inplace must all be outputs of the Function.");
  }
  node.num_outputs_ = uint32_t(outputs.size());
  for (uint32_t i = 0; i < outputs.size(); ++i) {
    Tensor& out = outputs[i];
    if (!out.defined()) {
      node.outputs_meta.emplace_back();
      continue;
    }
    node.outputs_meta.push_back(Node::OutputMeta{DimVector(out.sizes()), out.dtype(), out.device()});
    const TensorImpl* impl = out.unsafeGetTensorImpl();
    const bool dirty = ctx.dirty_.count(impl) > 0;
    const bool differentiable = !ctx.non_differentiable_.count(impl) && out.is_floating_point();
    if (dirty) {
      // The argument itself becomes this function's output, as an in-place op's self does.
      if (executable && differentiable) {
        check_inplace(out);
        set_history(out, node_, i);
      }
      continue;
    }
    // An argument returned as is comes back as a new alias, so the argument keeps its own history.
    if (is_input(out)) out = out.variable_data();
    if (executable && differentiable) set_history(out, node_, i);
  }
  // Saved after the outputs are wired, so an output saved for backward is stored without its history
  // (no node -> output -> node cycle) and versions are those after any in-place forward.
  ctx.saved_.reserve(ctx.to_save_.size());
  for (const Tensor& t : ctx.to_save_) {
    const bool is_output = t.defined() && t.grad_fn() == node_;
    ctx.saved_.emplace_back(t, is_output, is_output ? t.output_nr() : 0);
  }
  ctx.to_save_.clear();
}

}  // namespace ember::autograd
