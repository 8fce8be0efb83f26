#pragma once
// The models `ember train` knows, by recipe name. Each takes Fashion-MNIST images (float [N, 1, 28, 28]
// in [0, 1], optionally normalised) and returns logits [N, 10]; parameter names and layouts are those of
// the same model in PyTorch, so a state_dict moves between the two unchanged.
#include <ember/nn/module.h>

#include <memory>
#include <string>
#include <vector>

namespace ember::app {

struct Recipe {
  std::string name;
  std::string description;
  std::shared_ptr<nn::Module> (*make_model)();
};

const std::vector<Recipe>& recipes();
// The recipe named `name`; a ValueError listing the known ones otherwise.
const Recipe& find_recipe(const std::string& name);

// Fashion-MNIST's pixel mean and standard deviation over the training set (for --normalize).
inline constexpr double kFashionMean = 0.2860;
inline constexpr double kFashionStd = 0.3530;

}  // namespace ember::app
