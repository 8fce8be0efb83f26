// Reentrant activation checkpointing: a custom autograd node whose forward runs fn under no_grad and
// whose backward reruns fn with grad on detached copies of the inputs, then calls backward on that
// recomputed graph (a nested engine run), which accumulates into the parameters fn used and gives the
// inputs' gradients to return.
#include <ember/autograd/engine.h>
#include <ember/autograd/function.h>
#include <ember/autograd/grad_mode.h>
#include <ember/core/generator.h>
#include <ember/utils/checkpoint.h>

namespace ember::utils {

namespace {

struct CheckpointNode final : autograd::CustomNodeBase {
  std::function<tensor_list(const tensor_list&)> fn;
  bool preserve_rng_state = true;
  Tensor rng_state;             // the default generator's state before the forward run
  std::vector<bool> input_requires_grad;

  tensor_list apply(tensor_list&& grads) override {
    tensor_list saved = ctx.get_saved_variables();  // raises if the graph was freed or an input modified
    tensor_list inputs;
    inputs.reserve(saved.size());
    for (size_t i = 0; i < saved.size(); ++i) {
      Tensor t = saved[i].defined() ? saved[i].detach() : Tensor();
      if (t.defined() && input_requires_grad[i]) t.requires_grad_(true);
      inputs.push_back(t);
    }
    tensor_list outputs;
    {
      // Recompute with the forward's random state, then put the caller's state back.
      Tensor now;
      if (preserve_rng_state) {
        now = default_generator().get_state();
        default_generator().set_state(rng_state);
      }
      struct Restore {
        const Tensor& state;
        ~Restore() {
          if (state.defined()) default_generator().set_state(state);
        }
      } restore{now};
      EnableGradGuard grad_mode;
      outputs = fn(inputs);
    }
    tensor_list outs, out_grads;
    for (size_t i = 0; i < outputs.size() && i < grads.size(); ++i)
      if (outputs[i].defined() && outputs[i].requires_grad() && grads[i].defined()) {
        outs.push_back(outputs[i]);
        out_grads.push_back(grads[i]);
      }
    EMBER_CHECK(!outs.empty(), "none of output has requires_grad=True, this checkpoint() is not necessary");
    {
      EnableGradGuard grad_mode;  // backward decides itself whether to record (create_graph=false)
      autograd::backward(outs, out_grads);
    }
    tensor_list result;
    result.reserve(inputs.size());
    for (const Tensor& t : inputs) result.push_back(t.defined() && t.requires_grad() ? t.grad() : Tensor());
    return collect_input_grads(std::move(result));
  }
  std::string name() const override { return "CheckpointFunctionBackward"; }
};

}  // namespace

tensor_list checkpoint(const std::function<tensor_list(const tensor_list&)>& fn, const tensor_list& inputs,
                       bool preserve_rng_state) {
  auto node = std::make_shared<CheckpointNode>();
  node->fn = fn;
  node->preserve_rng_state = preserve_rng_state;
  if (preserve_rng_state) node->rng_state = default_generator().get_state();
  node->ctx.set_materialize_grads(false);
  autograd::CustomFunctionBuilder builder(node);
  for (const Tensor& t : inputs) {
    builder.add_arg(t);
    node->input_requires_grad.push_back(t.defined() && t.requires_grad());
  }
  builder.connect_inputs();
  tensor_list outputs;
  {
    NoGradGuard no_grad;
    outputs = fn(inputs);
  }
  node->ctx.save_for_backward(inputs);
  builder.wrap_outputs(outputs);
  return outputs;
}

}  // namespace ember::utils
