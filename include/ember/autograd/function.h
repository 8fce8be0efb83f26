#pragma once
// Custom differentiable functions, as libtorch's torch::autograd::Function:
//
//   struct Cube : ember::autograd::Function<Cube> {
//     static Tensor forward(AutogradContext* ctx, Tensor x) { ctx->save_for_backward({x}); return x * x * x; }
//     static tensor_list backward(AutogradContext* ctx, tensor_list g) {
//       Tensor x = ctx->get_saved_variables()[0];
//       return {g[0] * 3 * x * x};
//     }
//   };
//   Tensor y = Cube::apply(x);
//
// forward runs with grad mode off and may take tensors and other arguments and return a Tensor or a
// tensor_list. backward gets one gradient per forward output (zeros where none flowed, undefined for an
// undefined output) and returns one
// per tensor argument of forward, or one per argument of forward (those of non-tensor arguments are
// ignored); undefined means no gradient. Written with differentiable ops, backward can itself be
// differentiated (create_graph).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <ember/autograd/grad_mode.h>
#include <ember/autograd/node.h>
#include <ember/tensor.h>

namespace ember::autograd {

class SavedVariable;

// A value kept in AutogradContext::saved_data: the small subset of libtorch's IValue that custom
// functions use.
class IValue {
 public:
  IValue() = default;
  IValue(double v) : v_(v) {}
  IValue(float v) : v_(double(v)) {}
  IValue(bool v) : v_(v) {}
  IValue(int v) : v_(int64_t(v)) {}
  IValue(int64_t v) : v_(v) {}
  IValue(Tensor v) : v_(std::move(v)) {}
  IValue(std::string v) : v_(std::move(v)) {}
  IValue(const char* v) : v_(std::string(v)) {}
  IValue(std::vector<int64_t> v) : v_(std::move(v)) {}

  bool isNone() const { return v_.index() == 0; }
  bool isDouble() const { return std::holds_alternative<double>(v_); }
  bool isInt() const { return std::holds_alternative<int64_t>(v_); }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool isIntList() const { return std::holds_alternative<std::vector<int64_t>>(v_); }

  double toDouble() const;
  int64_t toInt() const;
  bool toBool() const;
  const Tensor& toTensor() const;
  const std::string& toStringRef() const;
  const std::vector<int64_t>& toIntVector() const;

 private:
  const char* kind() const;
  std::variant<std::monostate, double, int64_t, bool, Tensor, std::string, std::vector<int64_t>> v_;
};

struct AutogradContext {
  AutogradContext();
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;
  ~AutogradContext();

  // Non-tensor state for backward. Tensors kept here are not version-checked and, if they are outputs of
  // this function, make a reference cycle: save tensors with save_for_backward.
  std::map<std::string, IValue> saved_data;

  void save_for_backward(tensor_list to_save);
  // Tensors that forward modified in place (and returns).
  void mark_dirty(const tensor_list& inputs);
  void mark_non_differentiable(const tensor_list& outputs);
  // When false, backward gets undefined gradients for outputs that received none instead of zeros.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // The tensors given to save_for_backward, checked against in-place modification since.
  tensor_list get_saved_variables() const;
  // Whether tensor argument `i` of forward needs a gradient.
  bool needs_input_grad(size_t i) const;

 private:
  friend struct CustomNodeBase;
  friend struct CustomFunctionBuilder;
  tensor_list to_save_;
  std::vector<SavedVariable> saved_;
  std::unordered_set<const TensorImpl*> dirty_;
  std::unordered_set<const TensorImpl*> non_differentiable_;
  std::weak_ptr<Node> node_;
  bool materialize_grads_ = true;
  bool has_freed_buffers_ = false;
};

// The readable name of a C++ type, as libtorch names a custom function's node.
std::string demangle(const char* mangled);

// The parts of a custom function's node that do not depend on the user's type.
struct CustomNodeBase : Node {
  AutogradContext ctx;
  // Per forward argument: whether it was a tensor (so the gradients backward returns map to edges).
  std::vector<bool> is_tensor_arg;
  // Per forward output; nullopt for an undefined output (a non-tensor one, from Python), whose gradient
  // stays undefined even when gradients are materialized, as in libtorch.
  std::vector<std::optional<OutputMeta>> outputs_meta;
  std::vector<OutputMeta> inputs_meta;
  void release_variables() override;

 protected:
  tensor_list prepare_grads(tensor_list&& grads) const;
  tensor_list collect_input_grads(tensor_list&& from_user) const;
};

template <class T>
struct CppNode final : CustomNodeBase {
  tensor_list apply(tensor_list&& grads) override {
    tensor_list in = prepare_grads(std::move(grads));
    return collect_input_grads(T::backward(&ctx, std::move(in)));
  }
  std::string name() const override { return demangle(typeid(T).name()); }
};

// Builds the node around a custom forward: edges before, output wiring and saving after.
struct CustomFunctionBuilder {
  explicit CustomFunctionBuilder(std::shared_ptr<CustomNodeBase> node) : node_(std::move(node)) {}
  void add_arg(const Tensor& t);
  void add_arg(const std::optional<Tensor>& t) { t ? add_arg(*t) : add_non_tensor_arg(); }
  void add_non_tensor_arg();
  template <class A>
  void add_forward_arg(const A& a) {
    using D = std::decay_t<A>;
    if constexpr (std::is_same_v<D, Tensor> || std::is_same_v<D, std::optional<Tensor>>)
      add_arg(a);
    else
      add_non_tensor_arg();
  }
  AutogradContext* ctx() { return &node_->ctx; }
  // Connects the node to the tensor arguments' histories (before forward, so needs_input_grad works there).
  void connect_inputs();
  // Makes the outputs of forward the node's outputs (in place: replaces aliases of inputs).
  void wrap_outputs(tensor_list& outputs);

 private:
  std::shared_ptr<CustomNodeBase> node_;
  tensor_list inputs_;
  bool any_requires_grad_ = false;
  bool executable_ = false;
};

template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args) {
    auto node = std::make_shared<CppNode<T>>();
    CustomFunctionBuilder builder(node);
    (builder.add_forward_arg(args), ...);
    builder.connect_inputs();
    using Out = decltype(T::forward(builder.ctx(), std::forward<Args>(args)...));
    static_assert(std::is_same_v<Out, Tensor> || std::is_same_v<Out, tensor_list>,
                  "a custom Function's forward must return a Tensor or a tensor_list");
    tensor_list outputs;
    {
      AutoGradMode no_grad(false);
      if constexpr (std::is_same_v<Out, Tensor>)
        outputs.push_back(T::forward(builder.ctx(), std::forward<Args>(args)...));
      else
        outputs = T::forward(builder.ctx(), std::forward<Args>(args)...);
    }
    builder.wrap_outputs(outputs);
    if constexpr (std::is_same_v<Out, Tensor>)
      return outputs[0];
    else
      return outputs;
  }
};

}  // namespace ember::autograd
