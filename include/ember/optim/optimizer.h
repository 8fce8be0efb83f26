#pragma once
// The optimizer base class, as torch.optim.Optimizer: parameter groups with per-group options, lazily
// created per-parameter state, zero_grad, step (with an optional closure) and a state_dict that maps 1:1
// onto PyTorch's {"state": {index: {key: value}}, "param_groups": [{option: value, "params": [index]}]}.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <ember/tensor.h>

namespace ember::optim {

// One option of a parameter group: None, bool, int, float, str, a tuple of floats (betas, etas, ...) or
// a list of ints ("params" in a state_dict). Every alternative maps onto one JSON value.
using OptionValue =
    std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<double>, std::vector<int64_t>>;
using Options = std::map<std::string, OptionValue>;

// The number an option holds (bool, int or float); throws for other kinds.
double to_double(const OptionValue& v, const std::string& key = "");
bool to_bool(const OptionValue& v, const std::string& key = "");

// One entry of a parameter's state: a tensor (undefined = None), a float, an int, or a list of tensors
// (LBFGS's history; undefined entries are None).
using StateValue = std::variant<std::monostate, Tensor, double, int64_t, std::vector<Tensor>>;
using ParamState = std::map<std::string, StateValue>;

// Optimizer.state_dict(): tensors plus a small JSON-able tree, keyed exactly as PyTorch's.
struct OptimizerStateDict {
  std::map<int64_t, ParamState> state;
  std::vector<Options> param_groups;  // each holds "params": std::vector<int64_t>
};

// A parameter group: its tensors and its options (missing ones are filled from the optimizer's defaults).
struct ParamGroup {
  std::vector<Tensor> params;
  Options options;

  ParamGroup(std::vector<Tensor> params, Options options = {}) : params(std::move(params)), options(std::move(options)) {}
  bool has(const std::string& key) const { return options.count(key) != 0; }
  OptionValue& operator[](const std::string& key) { return options[key]; }
  const OptionValue& operator[](const std::string& key) const;
  double number(const std::string& key) const { return to_double((*this)[key], key); }
  bool flag(const std::string& key) const { return to_bool((*this)[key], key); }
  std::vector<double> numbers(const std::string& key) const;
  double lr() const { return number("lr"); }
  void set_lr(double lr) { options["lr"] = lr; }
};

// What an optimizer is constructed from: a list of tensors (one group) or a list of groups.
struct ParamGroups {
  std::vector<ParamGroup> groups;
  ParamGroups(std::vector<Tensor> params) { groups.emplace_back(std::move(params)); }
  ParamGroups(std::initializer_list<Tensor> params) { groups.emplace_back(std::vector<Tensor>(params)); }
  ParamGroups(std::vector<ParamGroup> g) : groups(std::move(g)) {}
  ParamGroups(std::initializer_list<ParamGroup> g) : groups(g) {}
};

class Optimizer {
 public:
  // Re-evaluates the model and returns the loss; called with gradients enabled.
  using Closure = std::function<Tensor()>;

  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient; returns the closure's loss (undefined without one).
  virtual Tensor step(const Closure& closure = nullptr) = 0;
  // The name PyTorch's repr and error messages use ("SGD", "Adam", ...).
  virtual std::string name() const = 0;

  // PyTorch >= 2.0's default: gradients become None rather than zeros.
  void zero_grad(bool set_to_none = true);
  void add_param_group(ParamGroup group);

  std::vector<ParamGroup>& param_groups() { return groups_; }
  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  const Options& defaults() const { return defaults_; }
  // The state of one parameter (created empty on first access, as PyTorch's defaultdict).
  ParamState& state(const Tensor& param) { return state_[param.unsafeGetTensorImpl()]; }
  bool has_state(const Tensor& param) const { return state_.count(param.unsafeGetTensorImpl()) != 0; }

  OptimizerStateDict state_dict() const;
  void load_state_dict(const OptimizerStateDict& sd);
  // PyTorch's repr: "Adam (\nParameter Group 0\n    amsgrad: False\n ...)".
  std::string repr() const;

 protected:
  Optimizer(ParamGroups params, Options defaults);
  // Called once per group after the base class filled its defaults (Adagrad creates its state eagerly).
  virtual void on_group_added(ParamGroup&) {}
  // Runs the closure with gradients enabled, as torch.enable_grad()(closure).
  static Tensor run_closure(const Closure& closure);

  Options defaults_;
  std::vector<ParamGroup> groups_;
  std::unordered_map<const TensorImpl*, ParamState> state_;
};

std::string to_string(const OptionValue& v);  // Python's repr of the value: 0.001, (0.9, 0.999), True, None

}  // namespace ember::optim
