#pragma once
// Upsample (F.interpolate as a module), PixelShuffle and PixelUnshuffle.
#include <string>

#include <ember/nn/module.h>

namespace ember::nn {

// size or scale_factor (exactly one; one value for every spatial dim or one per dim), mode nearest /
// linear / bilinear / bicubic / trilinear / area / nearest-exact.
class Upsample : public Module {
 public:
  explicit Upsample(IntArrayRef size = {}, ArrayRef<double> scale_factor = {}, std::string mode = "nearest",
                    std::optional<bool> align_corners = std::nullopt,
                    std::optional<bool> recompute_scale_factor = std::nullopt);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  const DimVector size;
  const std::vector<double> scale_factor;
  const std::string mode;
  const std::optional<bool> align_corners;
  const std::optional<bool> recompute_scale_factor;
};

class PixelShuffle : public Module {
 public:
  explicit PixelShuffle(int64_t upscale_factor) : upscale_factor(upscale_factor) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "upscale_factor=" + std::to_string(upscale_factor); }
  const int64_t upscale_factor;
};

class PixelUnshuffle : public Module {
 public:
  explicit PixelUnshuffle(int64_t downscale_factor) : downscale_factor(downscale_factor) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "downscale_factor=" + std::to_string(downscale_factor); }
  const int64_t downscale_factor;
};

}  // namespace ember::nn
