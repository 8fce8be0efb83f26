// The recipes' models. `cnn` is ../shared/anchors/fmnist_cnn.py's network, parameter for parameter
// (c1, c2, f1, f2), so `ember train` and that script train the same thing side by side.
#include "recipes.h"

#include <ember/ember.h>
#include <ember/nn/functional.h>
#include <ember/nn/modules/conv.h>
#include <ember/nn/modules/linear.h>

namespace ember::app {
namespace F = ember::nn::functional;

namespace {

// conv(1→32, 3) + ReLU + maxpool 2, conv(32→64, 3) + ReLU + maxpool 2, linear(1600→128) + ReLU,
// linear(128→10).
class FashionCNN : public nn::Module {
 public:
  std::shared_ptr<nn::Conv2d> c1 = register_module("c1", std::make_shared<nn::Conv2d>(1, 32, 3));
  std::shared_ptr<nn::Conv2d> c2 = register_module("c2", std::make_shared<nn::Conv2d>(32, 64, 3));
  std::shared_ptr<nn::Linear> f1 = register_module("f1", std::make_shared<nn::Linear>(64 * 5 * 5, 128));
  std::shared_ptr<nn::Linear> f2 = register_module("f2", std::make_shared<nn::Linear>(128, 10));

  Tensor forward(const Tensor& x) override {
    Tensor h = F::max_pool2d(F::relu((*c1)(x)), 2);  // (N, 32, 13, 13)
    h = F::max_pool2d(F::relu((*c2)(h)), 2);          // (N, 64, 5, 5)
    return (*f2)(F::relu((*f1)(h.flatten(1))));       // (N, 10)
  }
};

// flatten, linear(784→256) + ReLU, linear(256→128) + ReLU, linear(128→10).
class FashionMLP : public nn::Module {
 public:
  std::shared_ptr<nn::Linear> fc1 = register_module("fc1", std::make_shared<nn::Linear>(28 * 28, 256));
  std::shared_ptr<nn::Linear> fc2 = register_module("fc2", std::make_shared<nn::Linear>(256, 128));
  std::shared_ptr<nn::Linear> fc3 = register_module("fc3", std::make_shared<nn::Linear>(128, 10));

  Tensor forward(const Tensor& x) override {
    Tensor h = F::relu((*fc1)(x.flatten(1)));
    return (*fc3)(F::relu((*fc2)(h)));
  }
};

}  // namespace

const std::vector<Recipe>& recipes() {
  static const std::vector<Recipe> all{
      {"cnn", "CNN on Fashion-MNIST: two conv+pool blocks, two linear layers (the default)",
       []() -> std::shared_ptr<nn::Module> { return std::make_shared<FashionCNN>(); }},
      {"mlp", "MLP on Fashion-MNIST: 784-256-128-10 with ReLU",
       []() -> std::shared_ptr<nn::Module> { return std::make_shared<FashionMLP>(); }},
  };
  return all;
}

const Recipe& find_recipe(const std::string& name) {
  std::string known;
  for (const Recipe& r : recipes()) {
    if (r.name == name) return r;
    known += (known.empty() ? "" : ", ") + r.name;
  }
  throw ValueError(detail::str("unknown recipe '", name, "' (known: ", known, ")"));
}

}  // namespace ember::app
