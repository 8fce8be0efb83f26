// `ember train`: options onto TrainConfig.
#include <memory>

#include "commands.h"
#include "training.h"

namespace ember::app {

Command add_train(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a recipe (default: the Fashion-MNIST CNN)");
  auto c = std::make_shared<TrainConfig>();
  cmd->add_option("--recipe", c->recipe, "Recipe: cnn or mlp")->capture_default_str();
  cmd->add_option("--epochs", c->epochs, "Epochs to train")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--batch-size", c->batch_size, "Batch size")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--lr", c->lr, "Learning rate")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--optimizer", c->optimizer, "adam, adamw, sgd (momentum 0.9) or rmsprop")
      ->capture_default_str()
      ->check(CLI::IsMember({"adam", "adamw", "sgd", "rmsprop"}));
  cmd->add_option("--lr-schedule", c->lr_schedule,
                  "onecycle (per batch: up to --lr over the first 30%, then down to --lr/25e4) or constant")
      ->capture_default_str()
      ->check(CLI::IsMember({"onecycle", "constant"}));
  cmd->add_option("--seed", c->seed, "Seed for initialisation and shuffling")->capture_default_str();
  cmd->add_option("--threads", c->threads, "Intra-op threads (default: all cores)")->check(CLI::Range(1, 4096));
  cmd->add_option("--workers", c->num_workers, "DataLoader worker threads")->capture_default_str()
      ->check(CLI::Range(0, 64));
  cmd->add_option("--data-dir", c->data_dir, "Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)");
  cmd->add_option("--logdir", c->logdir, "TensorBoard log directory");
  cmd->add_option("--checkpoint-dir", c->checkpoint_dir, "Where checkpoints and the final model go")
      ->capture_default_str();
  cmd->add_flag("--resume", c->resume, "Continue from the latest checkpoint in --checkpoint-dir");
  cmd->add_option("--device", c->device, "cpu, or cuda[:N] on a machine with a GPU")->capture_default_str();
  cmd->add_option("--metrics-json", c->metrics_json, "Write per-epoch metrics to this JSON file");
  cmd->add_flag("--normalize,!--no-normalize", c->normalize,
                "Normalise inputs with Fashion-MNIST's mean 0.2860 and std 0.3530 (default), or not");
  cmd->add_flag("!--no-progress", c->progress, "No progress bar");
  return {cmd, [c] { return train(*c); }};
}

}  // namespace ember::app
