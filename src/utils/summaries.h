#pragma once
// Summary protos (serialized) for SummaryWriter, computed as torch.utils.tensorboard.summary does.
#include <ember/tensor.h>
#include <ember/utils/tensorboard.h>
#include <string>

namespace ember::utils::tensorboard {

std::string scalar_summary(const std::string& tag, double value);
std::string histogram_summary(const std::string& tag, const Tensor& values, const Bins& bins,
                              std::optional<int64_t> max_bins);
std::string image_summary(const std::string& tag, const Tensor& image, const std::string& dataformats);
std::string text_summary(const std::string& tag, const std::string& text);

}  // namespace ember::utils::tensorboard
