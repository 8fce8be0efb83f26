#pragma once
// `ember train`'s loop and `ember eval`'s evaluation, shared by the commands.
#include <ember/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace ember::app {

struct TrainConfig {
  std::string recipe = "cnn";
  int epochs = 3;
  int64_t batch_size = 64;
  double lr = 3e-3;  // the peak of the one-cycle schedule, or the constant rate
  std::string optimizer = "adam";
  std::string lr_schedule = "onecycle";  // or "constant"
  uint64_t seed = 0;
  int threads = 0;  // 0: leave ember's default
  std::string data_dir;
  std::string logdir;  // TensorBoard; empty: none
  std::string checkpoint_dir = "checkpoints";
  bool resume = false;
  std::string device = "cpu";
  std::string metrics_json;  // empty: none
  bool normalize = true;
  int num_workers = 0;
  bool progress = true;
};

int train(const TrainConfig& config);

struct EvalResult {
  double loss = 0;      // mean cross-entropy
  double accuracy = 0;  // fraction correct
  int64_t count = 0;
};

// The model's loss and accuracy on Fashion-MNIST's test split.
EvalResult evaluate(nn::Module& model, const std::string& data_dir, bool normalize, Device device = Device(kCPU));

// The final model file of a checkpoint directory and what its metadata says about preprocessing.
struct SavedModel {
  std::shared_ptr<nn::Module> model;
  std::string recipe;
  bool normalize = true;
};
SavedModel load_model(const std::string& path);

}  // namespace ember::app
