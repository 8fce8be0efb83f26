// The Fashion-MNIST CNN written against ember's library API (what `ember train` does, without the
// command around it): a Module, a seeded DataLoader, Adam, cross-entropy.
//
//   fmnist_cnn [steps] [data-dir]      steps: training batches to run (default: one epoch)
#include <ember/data/dataloader.h>
#include <ember/data/datasets.h>
#include <ember/data/transforms.h>
#include <ember/ember.h>
#include <ember/nn/functional.h>
#include <ember/nn/modules/conv.h>
#include <ember/nn/modules/linear.h>
#include <ember/optim/adam.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace F = ember::nn::functional;
using ember::Tensor;

struct Net : ember::nn::Module {
  std::shared_ptr<ember::nn::Conv2d> c1 = register_module("c1", std::make_shared<ember::nn::Conv2d>(1, 32, 3));
  std::shared_ptr<ember::nn::Conv2d> c2 = register_module("c2", std::make_shared<ember::nn::Conv2d>(32, 64, 3));
  std::shared_ptr<ember::nn::Linear> f1 = register_module("f1", std::make_shared<ember::nn::Linear>(1600, 128));
  std::shared_ptr<ember::nn::Linear> f2 = register_module("f2", std::make_shared<ember::nn::Linear>(128, 10));

  Tensor forward(const Tensor& x) override {
    Tensor h = F::max_pool2d(F::relu((*c1)(x)), 2);  // (N, 32, 13, 13)
    h = F::max_pool2d(F::relu((*c2)(h)), 2);          // (N, 64, 5, 5)
    return (*f2)(F::relu((*f1)(h.flatten(1))));       // (N, 10)
  }
};

int main(int argc, char** argv) {
  const long steps = argc > 1 ? std::atol(argv[1]) : -1;
  const std::string root = argc > 2 ? argv[2] : ember::data::FashionMNIST::kDefaultRoot;
  ember::manual_seed(0);
  auto train = std::make_shared<ember::data::FashionMNIST>(root, true, ember::data::transforms::ToTensor());
  auto test = std::make_shared<ember::data::FashionMNIST>(root, false, ember::data::transforms::ToTensor());
  ember::data::DataLoader<ember::data::Example<>> loader(train, 64, /*shuffle=*/true);

  auto net = std::make_shared<Net>();
  std::cout << *net << "\n";
  ember::optim::Adam opt(net->parameters(), 1e-3);
  long step = 0;
  for (auto& batch : loader) {
    if (steps >= 0 && step >= steps) break;
    opt.zero_grad();
    Tensor loss = F::cross_entropy((*net)(batch.data), batch.target);
    loss.backward();
    opt.step();
    if (++step % 20 == 0) std::printf("step %ld  loss %.4f\n", step, loss.item<double>());
  }

  ember::NoGradGuard no_grad;
  net->eval();
  ember::data::DataLoader<ember::data::Example<>> test_loader(test, 1000);
  auto& batch = *test_loader.begin();  // the first 1000 test images
  const double acc = (*net)(batch.data).argmax(1).eq(batch.target).to(ember::kFloat32).mean().item<double>();
  std::printf("after %ld steps: accuracy on 1000 test images %.3f\n", step, acc);
  return 0;
}
