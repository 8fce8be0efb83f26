#pragma once
// Image transforms, as torchvision.transforms: each is a callable Tensor -> Tensor, so a Transform is any
// std::function of that shape and Compose chains them. Images are uint8 [H, W] or [H, W, C] as read from
// files (a PIL image's layout) until ToTensor, and float [..., C, H, W] after it.
//
// Random transforms draw from their own generator when given one, else from transform_generator()
// (ember/data/worker.h): inside a DataLoader that is seeded per batch, so the draws do not depend on
// num_workers; elsewhere it is the default generator.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::data {

using Transform = std::function<Tensor(const Tensor&)>;

namespace transforms {

// Applies the transforms in order.
class Compose {
 public:
  explicit Compose(std::vector<Transform> transforms) : transforms_(std::move(transforms)) {}
  Tensor operator()(const Tensor& x) const;

 private:
  std::vector<Transform> transforms_;
};

// uint8 [H, W] -> float32 [1, H, W] and uint8 [H, W, C] -> float32 [C, H, W], divided by 255; other dtypes
// are only moved to [C, H, W], as torchvision's ToTensor on an array.
class ToTensor {
 public:
  Tensor operator()(const Tensor& pic) const;
};

// (x - mean[c]) / std[c] per channel of a float [..., C, H, W] image.
class Normalize {
 public:
  Normalize(std::vector<double> mean, std::vector<double> std, bool inplace = false);
  Tensor operator()(const Tensor& x) const;

 private:
  std::vector<double> mean_, std_;
  bool inplace_;
};

// A size x size (or height x width) window at a random position of [..., H, W], after padding the image
// by `padding` (one value: every side; two: left/right, top/bottom; four: left, top, right, bottom) with
// `fill`, and, with pad_if_needed, by what the window still lacks. Only padding_mode "constant".
class RandomCrop {
 public:
  RandomCrop(std::vector<int64_t> size, std::vector<int64_t> padding = {}, bool pad_if_needed = false,
             double fill = 0, std::string padding_mode = "constant", std::optional<Generator> generator = std::nullopt);
  RandomCrop(int64_t size, std::vector<int64_t> padding = {}, bool pad_if_needed = false, double fill = 0,
             std::string padding_mode = "constant", std::optional<Generator> generator = std::nullopt)
      : RandomCrop(std::vector<int64_t>{size, size}, std::move(padding), pad_if_needed, fill, std::move(padding_mode),
                   std::move(generator)) {}
  Tensor operator()(const Tensor& img) const;

 private:
  int64_t height_, width_;
  int64_t left_ = 0, top_ = 0, right_ = 0, bottom_ = 0;
  bool pad_if_needed_;
  double fill_;
  std::optional<Generator> generator_;
};

// Flips [..., W] with probability p.
class RandomHorizontalFlip {
 public:
  explicit RandomHorizontalFlip(double p = 0.5, std::optional<Generator> generator = std::nullopt);
  Tensor operator()(const Tensor& img) const;

 private:
  double p_;
  std::optional<Generator> generator_;
};

}  // namespace transforms
}  // namespace ember::data
