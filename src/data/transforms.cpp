#include <ember/data/transforms.h>

#include <array>

#include <ember/data/worker.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>
#include <ember/ops/shape.h>

namespace ember::data::transforms {

namespace {
std::string shape_str(const Tensor& t) {
  std::ostringstream ss;
  ss << t.sizes();
  return ss.str();
}

// v / 255 for every byte, computed as torch's div(255) does in float32, so the table is exact.
const std::array<float, 256>& byte_scale() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (int v = 0; v < 256; ++v) t[size_t(v)] = float(v) / 255.0f;
    return t;
  }();
  return table;
}
}  // namespace

Tensor Compose::operator()(const Tensor& x) const {
  Tensor y = x;
  for (const Transform& t : transforms_) y = t(y);
  return y;
}

Tensor ToTensor::operator()(const Tensor& pic) const {
  EMBER_CHECK_TYPE(pic.defined() && (pic.dim() == 2 || pic.dim() == 3),
                   "pic should be 2/3 dimensional. Got ", pic.defined() ? pic.dim() : 0, " dimensions.");
  Tensor hwc = pic.dim() == 2 ? pic.unsqueeze(2) : pic;
  if (hwc.dtype() != kUInt8) return hwc.permute({2, 0, 1}).contiguous();
  // The byte table is applied on the host; an image on the GPU goes back there afterwards.
  if (!hwc.is_cpu()) return (*this)(hwc.cpu()).to(pic.device());
  hwc = hwc.contiguous();
  const int64_t h = hwc.size(0), w = hwc.size(1), c = hwc.size(2), plane = h * w;
  Tensor out = empty({c, h, w}, kFloat32);
  const uint8_t* src = hwc.data_ptr<uint8_t>();
  float* dst = out.data_ptr<float>();
  const auto& scale = byte_scale();
  if (c == 1) {
    for (int64_t i = 0; i < plane; ++i) dst[i] = scale[src[i]];
  } else {
    for (int64_t i = 0; i < plane; ++i)
      for (int64_t ch = 0; ch < c; ++ch) dst[ch * plane + i] = scale[src[i * c + ch]];
  }
  return out;
}

Normalize::Normalize(std::vector<double> mean, std::vector<double> std, bool inplace)
    : mean_(std::move(mean)), std_(std::move(std)), inplace_(inplace) {
  EMBER_CHECK_VALUE(!mean_.empty() && !std_.empty(), "Normalize: mean and std must not be empty");
  for (double s : std_)
    EMBER_CHECK_VALUE(float(s) != 0.0f, "std evaluated to zero after conversion to torch.float32, leading to division "
                                        "by zero.");
}

Tensor Normalize::operator()(const Tensor& x) const {
  EMBER_CHECK_TYPE(x.is_floating_point(), "Input tensor should be a float tensor. Got ", x.dtype(), ".");
  EMBER_CHECK_VALUE(x.dim() >= 3, "Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = ",
                    shape_str(x), ".");
  const int64_t c = x.size(-3);
  for (const auto* v : {&mean_, &std_})
    EMBER_CHECK(v->size() == 1 || int64_t(v->size()) == c, "Normalize: ", v->size(),
                " values of mean or std for an image of ", c, " channels");
  if (x.is_cpu() && x.dtype() == kFloat32 && x.is_contiguous() && !x.requires_grad()) {
    // One pass from x into the output; torch subtracts and divides in the image's dtype, as here.
    Tensor out = inplace_ ? x : empty_like(x);
    const int64_t plane = x.size(-2) * x.size(-1), images = x.numel() / std::max<int64_t>(c * plane, 1);
    const float* src = x.data_ptr<float>();
    float* dst = out.data_ptr<float>();
    for (int64_t n = 0; n < images; ++n)
      for (int64_t ch = 0; ch < c; ++ch) {
        const float m = float(mean_[mean_.size() == 1 ? 0 : size_t(ch)]);
        const float s = float(std_[std_.size() == 1 ? 0 : size_t(ch)]);
        const int64_t base = (n * c + ch) * plane;
        for (int64_t i = 0; i < plane; ++i) dst[base + i] = (src[base + i] - m) / s;
      }
    if (inplace_) out.bump_version();
    return out;
  }
  Tensor out = inplace_ ? x : x.clone();
  Tensor m = tensor(mean_, kFloat64).to(x.device(), x.dtype()).view({-1, 1, 1});
  Tensor s = tensor(std_, kFloat64).to(x.device(), x.dtype()).view({-1, 1, 1});
  out.sub_(m).div_(s);
  return out;
}

RandomCrop::RandomCrop(std::vector<int64_t> size, std::vector<int64_t> padding, bool pad_if_needed, double fill,
                       std::string padding_mode, std::optional<Generator> generator)
    : pad_if_needed_(pad_if_needed), fill_(fill), generator_(std::move(generator)) {
  EMBER_CHECK_VALUE(size.size() == 1 || size.size() == 2, "Please provide only two dimensions (h, w) for size.");
  height_ = size[0];
  width_ = size.size() == 2 ? size[1] : size[0];
  EMBER_CHECK_VALUE(height_ > 0 && width_ > 0, "RandomCrop: size must be positive, got (", height_, ", ", width_, ")");
  EMBER_CHECK_VALUE(padding_mode == "constant", "RandomCrop: padding_mode '", padding_mode,
                    "' is not supported; ember has only 'constant'");
  switch (padding.size()) {
    case 0: break;
    case 1: left_ = top_ = right_ = bottom_ = padding[0]; break;
    case 2: left_ = right_ = padding[0]; top_ = bottom_ = padding[1]; break;
    case 4: left_ = padding[0]; top_ = padding[1]; right_ = padding[2]; bottom_ = padding[3]; break;
    default:
      throw ValueError(::ember::detail::str("Padding must be an int or a 1, 2, or 4 element tuple, not a ",
                                            padding.size(), " element tuple"));
  }
  for (int64_t p : {left_, top_, right_, bottom_}) EMBER_CHECK_VALUE(p >= 0, "RandomCrop: padding must be non-negative");
}

Tensor RandomCrop::operator()(const Tensor& img) const {
  EMBER_CHECK_TYPE(img.defined() && img.dim() >= 2, "RandomCrop: expected an image of at least 2 dimensions [..., H, W]");
  const int64_t h0 = img.size(-2), w0 = img.size(-1);
  int64_t left = left_, top = top_;
  int64_t h = h0 + top_ + bottom_, w = w0 + left_ + right_;
  // torchvision pads both sides by the shortfall, the width first.
  if (pad_if_needed_ && w < width_) {
    left += width_ - w;
    w += 2 * (width_ - w);
  }
  if (pad_if_needed_ && h < height_) {
    top += height_ - h;
    h += 2 * (height_ - h);
  }
  EMBER_CHECK_VALUE(h >= height_ && w >= width_, "Required crop size (", height_, ", ", width_,
                    ") is larger than input image size (", h, ", ", w, ")");
  int64_t i = 0, j = 0;
  if (h != height_ || w != width_) {
    Generator g = generator_ ? *generator_ : transform_generator();
    i = randint(0, h - height_ + 1, {1}, g).item<int64_t>();
    j = randint(0, w - width_ + 1, {1}, g).item<int64_t>();
  }
  // Output pixel (y, x) is pixel (i + y - top, j + x - left) of the image, or fill outside it.
  const int64_t y0 = std::max<int64_t>(0, top - i), y1 = std::min(height_, top + h0 - i);
  const int64_t x0 = std::max<int64_t>(0, left - j), x1 = std::min(width_, left + w0 - j);
  if (y0 == 0 && x0 == 0 && y1 == height_ && x1 == width_)
    return img.narrow(-2, i - top, height_).narrow(-1, j - left, width_);
  std::vector<int64_t> shape(img.sizes().begin(), img.sizes().end());
  shape[shape.size() - 2] = height_;
  shape[shape.size() - 1] = width_;
  Tensor out = full(shape, fill_, img.dtype());
  if (y1 > y0 && x1 > x0)
    out.narrow(-2, y0, y1 - y0).narrow(-1, x0, x1 - x0)
        .copy_(img.narrow(-2, i + y0 - top, y1 - y0).narrow(-1, j + x0 - left, x1 - x0));
  return out;
}

RandomHorizontalFlip::RandomHorizontalFlip(double p, std::optional<Generator> generator)
    : p_(p), generator_(std::move(generator)) {}

Tensor RandomHorizontalFlip::operator()(const Tensor& img) const {
  EMBER_CHECK_TYPE(img.defined() && img.dim() >= 1, "RandomHorizontalFlip: expected an image [..., W]");
  Generator g = generator_ ? *generator_ : transform_generator();
  if (rand({1}, g).item<float>() < p_) return img.flip({-1});
  return img;
}

}  // namespace ember::data::transforms
