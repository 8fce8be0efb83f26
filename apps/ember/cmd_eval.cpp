// `ember eval --checkpoint F`: test accuracy of a saved model.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "training.h"

namespace ember::app {

Command add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Test accuracy of a model saved by `ember train`");
  auto path = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  cmd->add_option("--checkpoint", *path, "model.safetensors written by `ember train`")->required();
  cmd->add_option("--data-dir", *data_dir, "Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)");
  return {cmd, [path, data_dir] {
            SavedModel saved = load_model(*path);
            EvalResult r = evaluate(*saved.model, *data_dir, saved.normalize);
            std::printf("%s (%s): test_loss %.4f  test_accuracy %.4f  (%lld images)\n", path->c_str(),
                        saved.recipe.c_str(), r.loss, r.accuracy, static_cast<long long>(r.count));
            return 0;
          }};
}

}  // namespace ember::app
