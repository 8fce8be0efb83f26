// Capturing activations by layer name with forward hooks, as one does to look at a CNN's feature maps:
// one hook per named submodule stores its output; the handles remove the hooks afterwards.
#include <ember/ember.h>
#include <ember/nn/modules/activation.h>
#include <ember/nn/modules/container.h>
#include <ember/nn/modules/conv.h>
#include <ember/nn/modules/flatten.h>
#include <ember/nn/modules/linear.h>
#include <ember/nn/modules/pooling.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

using ember::Tensor;
namespace nn = ember::nn;

int main() {
  ember::manual_seed(0);
  auto model = std::make_shared<nn::Sequential>(
      std::make_shared<nn::Conv2d>(1, 8, 3), std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2),
      std::make_shared<nn::Conv2d>(8, 16, 3), std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2),
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(16 * 5 * 5, 10));

  std::map<std::string, Tensor> activations;
  std::vector<nn::RemovableHandle> handles;
  for (const auto& [name, module] : model->named_modules()) {
    if (name.empty()) continue;  // the Sequential itself
    handles.push_back(module->register_forward_hook(
        [&activations, name](nn::Module&, const ember::tensor_list&, const ember::tensor_list& out) {
          activations[name] = out[0].detach();
        }));
  }

  Tensor images = ember::rand({4, 1, 28, 28});
  {
    ember::NoGradGuard no_grad;
    (*model)(images);
  }
  for (const auto& [name, a] : activations) {
    std::printf("%-3s %-28s mean %.4f\n", name.c_str(), ember::detail::str(a.sizes()).c_str(), a.mean().item<double>());
  }
  for (auto& h : handles) h.remove();
  activations.clear();
  (*model)(images);
  std::printf("after removing the hooks, captured: %zu\n", activations.size());
  return activations.empty() && handles.size() == 8 ? 0 : 1;
}
