// A custom autograd Function inside a module: swish(x) = x * sigmoid(beta * x) with a hand-written
// backward, checked against finite differences with gradcheck and then trained with SGD.
#include <ember/ember.h>
#include <ember/nn/functional.h>
#include <ember/nn/modules/linear.h>
#include <ember/optim/sgd.h>

#include <cstdio>

using ember::Tensor;
using ember::tensor_list;
using ember::autograd::AutogradContext;
namespace F = ember::nn::functional;

struct SwishFunction : ember::autograd::Function<SwishFunction> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, const Tensor& beta) {
    ctx->save_for_backward({x, beta});
    return x * ember::sigmoid(beta * x);
  }
  // d/dx = s + beta x s (1 - s), d/dbeta = x^2 s (1 - s), with s = sigmoid(beta x).
  static tensor_list backward(AutogradContext* ctx, tensor_list grad) {
    auto saved = ctx->get_saved_variables();
    const Tensor &x = saved[0], &beta = saved[1];
    Tensor s = ember::sigmoid(beta * x);
    Tensor ds = s * (1 - s);
    return {grad[0] * (s + beta * x * ds), (grad[0] * x * x * ds).sum().reshape(beta.sizes())};
  }
};

// A learnable-slope swish activation as a module.
struct Swish : ember::nn::Module {
  Tensor& beta = register_parameter("beta", ember::ones({1}));
  Tensor forward(const Tensor& x) override { return SwishFunction::apply(x, beta); }
};

struct Net : ember::nn::Module {
  std::shared_ptr<ember::nn::Linear> fc1 = register_module("fc1", std::make_shared<ember::nn::Linear>(8, 16));
  std::shared_ptr<Swish> act = register_module("act", std::make_shared<Swish>());
  std::shared_ptr<ember::nn::Linear> fc2 = register_module("fc2", std::make_shared<ember::nn::Linear>(16, 1));
  Tensor forward(const Tensor& x) override { return (*fc2)((*act)((*fc1)(x))); }
};

int main() {
  ember::manual_seed(0);
  Tensor x = ember::randn({5, 3}, ember::TensorOptions().dtype(ember::kFloat64).requires_grad(true));
  Tensor beta = ember::full({1}, 1.3, ember::TensorOptions().dtype(ember::kFloat64).requires_grad(true));
  const bool ok = ember::autograd::gradcheck(
      [](const tensor_list& in) { return tensor_list{SwishFunction::apply(in[0], in[1])}; }, {x, beta});
  std::printf("gradcheck: %s\n", ok ? "passed" : "FAILED");

  auto net = std::make_shared<Net>();
  ember::optim::SGD opt(net->parameters(), 0.05);
  Tensor inputs = ember::randn({64, 8});
  Tensor targets = inputs.sum(1, true).sin();
  double first = 0, last = 0;
  for (int step = 0; step < 100; ++step) {
    opt.zero_grad();
    Tensor loss = F::mse_loss((*net)(inputs), targets);
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  std::printf("loss %.4f -> %.4f, beta %.4f\n", first, last, net->act->beta.item<double>());
  return ok && last < first ? 0 : 1;
}
