// Gradient accumulation: a batch of 32 processed as 4 micro-batches of 8, each loss scaled by 1/4 and
// backward run per micro-batch, gives the gradient of the whole batch — checked here against one
// backward over all 32 — so a model trains with a large effective batch in the memory of a small one.
#include <ember/ember.h>
#include <ember/nn/functional.h>
#include <ember/nn/modules/container.h>
#include <ember/nn/modules/linear.h>
#include <ember/nn/modules/activation.h>
#include <ember/optim/sgd.h>

#include <cstdio>
#include <vector>

namespace F = ember::nn::functional;
using ember::Tensor;

int main() {
  ember::manual_seed(0);
  auto model = std::make_shared<ember::nn::Sequential>(std::make_shared<ember::nn::Linear>(16, 32),
                                                       std::make_shared<ember::nn::ReLU>(),
                                                       std::make_shared<ember::nn::Linear>(32, 4));
  Tensor x = ember::randn({32, 16});
  Tensor y = ember::randint(0, 4, {32});
  const int micro = 4;

  // Reference: the whole batch at once.
  model->zero_grad();
  F::cross_entropy((*model)(x), y).backward();
  std::vector<Tensor> full;
  for (const Tensor& p : model->parameters()) full.push_back(p.grad().clone());

  ember::optim::SGD opt(model->parameters(), 0.1);
  opt.zero_grad();
  for (int k = 0; k < micro; ++k) {
    Tensor xb = x.narrow(0, 8 * k, 8), yb = y.narrow(0, 8 * k, 8);
    (F::cross_entropy((*model)(xb), yb) / double(micro)).backward();  // grads add up across micro-batches
  }
  double worst = 0;
  std::vector<Tensor> params = model->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    worst = std::max(worst, (params[i].grad() - full[i]).abs().max().item<double>());
  std::printf("largest difference between accumulated and full-batch gradients: %.3g\n", worst);
  if (worst > 1e-6) {
    std::printf("FAILED: accumulated gradients differ from the full batch's\n");
    return 1;
  }
  opt.step();
  std::printf("loss after one accumulated step: %.4f\n", F::cross_entropy((*model)(x), y).item<double>());
  return 0;
}
