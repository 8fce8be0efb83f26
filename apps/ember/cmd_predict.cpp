// `ember predict --checkpoint F --image P.png`: the class of one image and the probabilities of all.
#include <ember/data/datasets.h>
#include <ember/data/transforms.h>
#include <ember/ember.h>
#include <ember/nn/functional.h>

#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "recipes.h"
#include "training.h"

namespace ember::app {
namespace {

const char* const kClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// A PNG as the model's input [1, 1, 28, 28]: gray (colour images averaged, alpha dropped), 28x28.
Tensor load_image(const std::string& path, bool normalize) {
  Tensor img = data::read_png(path);  // uint8 [H, W, C]
  EMBER_CHECK_VALUE(img.size(0) == 28 && img.size(1) == 28, path, ": expected a 28x28 image, got ", img.size(1),
                    "x", img.size(0));
  const int64_t colour = img.size(2) >= 3 ? 3 : 1;
  Tensor gray = img.narrow(2, 0, colour).to(kFloat32).mean({2}) / 255.0;  // (28, 28)
  Tensor x = gray.reshape({1, 1, 28, 28});
  if (normalize) x = (x - kFashionMean) / kFashionStd;
  return x;
}

}  // namespace

Command add_predict(CLI::App& app) {
  auto* cmd = app.add_subcommand("predict", "Classify one 28x28 PNG image with a saved model");
  auto path = std::make_shared<std::string>();
  auto image = std::make_shared<std::string>();
  cmd->add_option("--checkpoint", *path, "model.safetensors written by `ember train`")->required();
  cmd->add_option("--image", *image, "28x28 PNG (gray or colour)")->required();
  return {cmd, [path, image] {
            SavedModel saved = load_model(*path);
            NoGradGuard no_grad;
            saved.model->eval();
            Tensor probs = nn::functional::softmax((*saved.model)(load_image(*image, saved.normalize)), 1)[0];
            const int64_t best = probs.argmax().item<int64_t>();
            std::printf("%s: %s (class %lld, p=%.4f)\n", image->c_str(), kClasses[best], static_cast<long long>(best),
                        probs[best].item<double>());
            for (int64_t k = 0; k < probs.size(0); ++k)
              std::printf("  %lld %-12s %.4f\n", static_cast<long long>(k), kClasses[k], probs[k].item<double>());
            return 0;
          }};
}

}  // namespace ember::app
