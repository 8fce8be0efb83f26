#pragma once
// ember::nn::Module: the base of every layer and model, with torch.nn.Module's names and semantics.
//
//   struct Net : ember::nn::Module {
//     std::shared_ptr<Linear> fc1 = register_module("fc1", std::make_shared<Linear>(4, 8));
//     std::shared_ptr<Linear> fc2 = register_module("fc2", std::make_shared<Linear>(8, 2));
//     Tensor forward(const Tensor& x) override { return (*fc2)(ember::relu((*fc1)(x))); }
//   };
//   auto net = std::make_shared<Net>();
//   Tensor y = (*net)(x);            // runs the hooks around forward
//
// Forward: a module with one tensor in and one out overrides `Tensor forward(const Tensor&)`, so any such
// module drops into Sequential. A module with another signature declares its own forward and an
// operator() that calls `call_with_hooks` (see Bilinear). Modules are held by shared_ptr.
//
// Parameters and buffers live in slots owned by the module; register_parameter returns a reference to the
// slot, so a layer that keeps `Tensor& weight` bound to it sees re-registration, and assignment through
// it (`dec->weight = enc->weight`) re-registers: that is how weights are tied, as with PyTorch's
// attribute assignment. A slot may hold an undefined tensor (PyTorch's None, e.g. bias=False): it is
// skipped by parameters() and state_dict().
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <ember/nn/ordered_dict.h>
#include <ember/tensor.h>

namespace ember::nn {

class Module;
using StateDict = OrderedDict<std::string, Tensor>;

using ForwardPreHook = std::function<std::optional<tensor_list>(Module&, const tensor_list& input)>;
using ForwardHook =
    std::function<std::optional<tensor_list>(Module&, const tensor_list& input, const tensor_list& output)>;
using BackwardHook = std::function<std::optional<tensor_list>(Module&, const tensor_list& grad_input,
                                                              const tensor_list& grad_output)>;

namespace detail {
struct HookTables;
}

// Unregisters a hook (torch.utils.hooks.RemovableHandle). Safe to call twice or after the module is gone.
class RemovableHandle {
 public:
  RemovableHandle() = default;
  RemovableHandle(std::weak_ptr<detail::HookTables> tables, int64_t id) : tables_(std::move(tables)), id_(id) {}
  void remove();
  int64_t id() const { return id_; }

 private:
  std::weak_ptr<detail::HookTables> tables_;
  int64_t id_ = -1;
};

// What load_state_dict found (torch's _IncompatibleKeys).
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
};

class Module : public std::enable_shared_from_this<Module> {
 public:
  Module() = default;
  virtual ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // ---- forward ----
  // The one-tensor forward; the base raises PyTorch's error for a module that has none.
  virtual Tensor forward(const Tensor& input);
  // forward with the forward pre-hooks, forward hooks and full backward hooks around it.
  Tensor operator()(const Tensor& input);
  // The hook machinery for any signature: fwd maps the (possibly pre-hook-replaced) inputs to outputs.
  tensor_list call_with_hooks(tensor_list inputs, const std::function<tensor_list(const tensor_list&)>& fwd);

  // ---- registration ----
  // Registers (or replaces) a parameter. A defined tensor must be a leaf; it is made to require grad
  // (requires_grad=true) as nn.Parameter does. An undefined tensor registers None.
  Tensor& register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  // Registers (or replaces) a buffer; a non-persistent one is left out of state_dict.
  Tensor& register_buffer(const std::string& name, Tensor tensor, bool persistent = true);
  // Registers (or replaces) a child module; nullptr registers None.
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    static_assert(std::is_base_of_v<Module, M>, "register_module takes a Module");
    register_module_impl(name, module);
    return module;
  }
  // Re-registers an existing child (libtorch's replace_module); the name must exist.
  template <class M>
  std::shared_ptr<M> replace_module(const std::string& name, std::shared_ptr<M> module) {
    EMBER_CHECK(find_child(name), "No Module named '", name, "' is registered");
    return register_module(name, std::move(module));
  }

  // ---- traversal (PyTorch's order and names; duplicates removed by identity) ----
  std::vector<Tensor> parameters(bool recurse = true) const;
  StateDict named_parameters(const std::string& prefix = "", bool recurse = true,
                             bool remove_duplicate = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  StateDict named_buffers(const std::string& prefix = "", bool recurse = true, bool remove_duplicate = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;
  std::vector<std::shared_ptr<Module>> modules();
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(const std::string& prefix = "",
                                                                  bool remove_duplicate = true);
  // The parameter, buffer or child directly registered under `name`; nullptr if there is none.
  Tensor* find_parameter(const std::string& name);
  const Tensor* find_parameter(const std::string& name) const;
  Tensor* find_buffer(const std::string& name);
  std::shared_ptr<Module> find_child(const std::string& name) const;

  // ---- modes, gradients, conversion ----
  virtual Module& train(bool on = true);
  Module& eval() { return train(false); }
  bool is_training() const { return training_; }
  void zero_grad(bool set_to_none = true);
  // Converts floating parameters and buffers (and their grads) in place: every tensor keeps its identity,
  // so tied weights stay tied and optimizers keep their references (PyTorch's param.data = ...).
  Module& to(DType dtype);
  Module& to(Device device);
  Module& to(Device device, DType dtype);
  // fn on every child (recursively, children first), then on this module.
  Module& apply(const std::function<void(Module&)>& fn);

  // ---- state ----
  // Parameters then persistent buffers of each module, recursing in registration order; a module or
  // parameter reached twice appears under each name (as torch). Values are detached aliases.
  StateDict state_dict(const std::string& prefix = "", bool keep_vars = false) const;
  // Copies values in (under no_grad). Raises PyTorch's "Error(s) in loading state_dict for ..." on a shape
  // mismatch, or on missing/unexpected keys when strict.
  IncompatibleKeys load_state_dict(const StateDict& state_dict, bool strict = true);

  // ---- hooks ----
  RemovableHandle register_forward_pre_hook(ForwardPreHook hook);
  RemovableHandle register_forward_hook(ForwardHook hook);
  RemovableHandle register_full_backward_hook(BackwardHook hook);
  // Callables that return nothing observe only.
  template <class F, std::enable_if_t<std::is_void_v<std::invoke_result_t<F&, Module&, const tensor_list&>>, int> = 0>
  RemovableHandle register_forward_pre_hook(F hook) {
    return register_forward_pre_hook(ForwardPreHook([h = std::move(hook)](Module& m, const tensor_list& in) mutable {
      h(m, in);
      return std::optional<tensor_list>();
    }));
  }
  template <class F, std::enable_if_t<std::is_void_v<std::invoke_result_t<F&, Module&, const tensor_list&,
                                                                          const tensor_list&>>, int> = 0>
  RemovableHandle register_forward_hook(F hook) {
    return register_forward_hook(
        ForwardHook([h = std::move(hook)](Module& m, const tensor_list& in, const tensor_list& out) mutable {
          h(m, in, out);
          return std::optional<tensor_list>();
        }));
  }
  template <class F, std::enable_if_t<std::is_void_v<std::invoke_result_t<F&, Module&, const tensor_list&,
                                                                          const tensor_list&>>, int> = 0>
  RemovableHandle register_full_backward_hook(F hook) {
    return register_full_backward_hook(
        BackwardHook([h = std::move(hook)](Module& m, const tensor_list& gi, const tensor_list& go) mutable {
          h(m, gi, go);
          return std::optional<tensor_list>();
        }));
  }

  // ---- printing ----
  // The class name PyTorch prints (the C++ class name without namespaces unless overridden).
  virtual std::string name() const;
  // The layer's own settings for the printout, e.g. "in_features=4, out_features=2, bias=True".
  virtual std::string extra_repr() const { return ""; }
  // Writes print(model)'s text.
  virtual void pretty_print(std::ostream& os) const;
  std::string repr() const;

 protected:
  // Called by the containers to keep PyTorch's integer names in order.
  std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children_slots() { return children_; }
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children_slots() const { return children_; }
  bool has_hooks() const { return hooks_ != nullptr; }

 private:
  struct Slot {
    std::string name;
    std::unique_ptr<Tensor> value;  // stable address: layers bind Tensor& members to it
    bool persistent = true;
  };
  void register_module_impl(const std::string& name, std::shared_ptr<Module> module);
  void check_name(const std::string& name, const char* kind, int which) const;
  void apply_to_tensors(const std::function<Tensor(const Tensor&)>& fn);
  void collect_named(bool params, const std::string& prefix, bool recurse, bool remove_duplicate,
                     StateDict& out) const;
  void load_recursive(const StateDict& sd, const std::string& prefix, IncompatibleKeys& keys,
                      std::vector<std::string>& errors);
  // Pre-order (prefix, module) pairs, each module once when remove_duplicate.
  void walk(const std::string& prefix, bool remove_duplicate, std::unordered_set<const Module*>& memo,
            std::vector<std::pair<std::string, const Module*>>& out) const;
  std::vector<Slot> params_;
  std::vector<Slot> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::shared_ptr<detail::HookTables> hooks_;
  bool training_ = true;
};

std::ostream& operator<<(std::ostream& os, const Module& m);
// Prints the module, not the pointer (more specialised than the standard library's shared_ptr overload).
template <class M, std::enable_if_t<std::is_base_of_v<Module, M>, int> = 0>
std::ostream& operator<<(std::ostream& os, const std::shared_ptr<M>& m) {
  if (!m) return os << "None";
  return os << static_cast<const Module&>(*m);
}

// Python's repr of numbers and bools, for extra_repr: 0.5, 1e-05, True, (2, 5), (5,).
std::string py_repr(double v);
std::string py_repr(bool v);
std::string py_repr(IntArrayRef v);

}  // namespace ember::nn
