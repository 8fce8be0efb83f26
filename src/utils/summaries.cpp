// Scalar, histogram, image and text summaries, field numbers from TensorFlow's summary.proto and
// tensor.proto, computations from torch/utils/tensorboard/summary.py.
#include "utils/summaries.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "utils/proto_writer.h"

namespace ember::utils::tensorboard {

namespace {

using detail::ProtoWriter;

// Summary { value = 1: Value { tag = 1, <field> = <message> } }
std::string summary_of(const std::string& tag, int field, const ProtoWriter& value_body) {
  ProtoWriter value;
  value.bytes_field(1, tag).message_field(field, value_body);
  ProtoWriter s;
  s.message_field(1, value);
  return s.bytes();
}

// TensorFlow's default buckets: +-1e-12 growing by 10% up to 1e20, and 0 (PyTorch's default_bins).
const std::vector<double>& tensorflow_bins() {
  static const std::vector<double> bins = [] {
    std::vector<double> pos;
    for (double v = 1e-12; v < 1e20; v *= 1.1) pos.push_back(v);
    std::vector<double> all;
    for (auto it = pos.rbegin(); it != pos.rend(); ++it) all.push_back(-*it);
    all.push_back(0);
    all.insert(all.end(), pos.begin(), pos.end());
    return all;
  }();
  return bins;
}

}  // namespace

std::string scalar_summary(const std::string& tag, double value) {
  ProtoWriter v;
  v.bytes_field(1, tag).float_field(2, float(value));
  ProtoWriter s;
  s.message_field(1, v);
  return s.bytes();
}

std::string histogram_summary(const std::string& tag, const Tensor& values, const Bins& bins,
                              std::optional<int64_t> max_bins) {
  EMBER_CHECK_VALUE(values.numel() > 0, "add_histogram: The input has no element.");
  Tensor v = values.detach().cpu().to(kFloat64).contiguous();
  const double* x = v.data_ptr<double>();
  const size_t n = size_t(v.numel());
  double mn = INFINITY, mx = -INFINITY, sum = 0, sum_sq = 0;
  bool nan = false;
  for (size_t i = 0; i < n; ++i) {
    nan |= std::isnan(x[i]);
    mn = std::min(mn, x[i]);
    mx = std::max(mx, x[i]);
    sum += x[i];
    sum_sq += x[i] * x[i];
  }
  if (nan) mn = mx = NAN;  // numpy's min and max propagate NaN
  std::vector<double> edges;
  if (auto* name = std::get_if<std::string>(&bins.spec)) {
    EMBER_CHECK_VALUE(*name == "tensorflow", "add_histogram: bins must be 'tensorflow', a number or a list of edges, got '",
                      *name, "'");
    edges = tensorflow_bins();
  } else if (auto* count = std::get_if<int64_t>(&bins.spec)) {
    EMBER_CHECK_VALUE(*count > 0, "add_histogram: `bins` must be positive, when an integer");
    EMBER_CHECK_VALUE(std::isfinite(mn) && std::isfinite(mx), "add_histogram: autodetected range of [", mn, ", ", mx,
                      "] is not finite");
    double first = mn, last = mx;
    if (first == last) first -= 0.5, last += 0.5;
    double step = (last - first) / double(*count);  // numpy.linspace
    for (int64_t i = 0; i < *count; ++i) edges.push_back(first + double(i) * step);
    edges.push_back(last);
  } else {
    edges = std::get<std::vector<double>>(bins.spec);
    EMBER_CHECK_VALUE(edges.size() >= 2 && std::is_sorted(edges.begin(), edges.end()),
                      "add_histogram: bins must increase monotonically, when an array");
  }
  // numpy.histogram: [e_i, e_i+1) and the last bin closed; values outside the edges are not counted.
  std::vector<double> counts(edges.size() - 1, 0.0);
  for (size_t i = 0; i < n; ++i) {
    double a = x[i];
    if (!(a >= edges.front() && a <= edges.back())) continue;
    size_t b = size_t(std::upper_bound(edges.begin(), edges.end(), a) - edges.begin());
    counts[std::min(b, counts.size()) - 1] += 1;
  }
  std::vector<double> limits = edges;
  if (max_bins && int64_t(counts.size()) > *max_bins) {
    EMBER_CHECK_VALUE(*max_bins > 0, "add_histogram: max_bins must be positive");
    size_t sub = counts.size() / size_t(*max_bins);
    std::vector<double> c2((counts.size() + sub - 1) / sub, 0.0), l2;
    for (size_t i = 0; i < counts.size(); ++i) c2[i / sub] += counts[i];
    for (size_t i = 0; i + 1 < limits.size(); i += sub) l2.push_back(limits[i]);
    l2.push_back(limits.back());
    counts = std::move(c2);
    limits = std::move(l2);
  }
  // The support: from the bin left of the first non-empty one (TensorBoard draws right edges only) to
  // the last non-empty one.
  size_t first = counts.size(), last = 0;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) first = std::min(first, i), last = i;
  EMBER_CHECK_VALUE(first < counts.size(), "add_histogram: no value of '", tag, "' falls into the bins");
  std::vector<double> kept_counts, kept_limits(limits.begin() + long(first), limits.begin() + long(last) + 2);
  if (first > 0) kept_counts.assign(counts.begin() + long(first) - 1, counts.begin() + long(last) + 1);
  else {
    kept_counts.push_back(0);
    kept_counts.insert(kept_counts.end(), counts.begin(), counts.begin() + long(last) + 1);
  }
  ProtoWriter h;
  h.double_field(1, mn).double_field(2, mx).double_field(3, double(n)).double_field(4, sum).double_field(5, sum_sq);
  h.packed_doubles(6, kept_limits).packed_doubles(7, kept_counts);
  return summary_of(tag, 5, h);
}

namespace {

// The image as HWC uint8 with 3 or 4 channels, as summary.py's convert_to_HWC and make_grid, then scaled:
// uint8 as is, anything else * 255 in float32, clipped to [0, 255] and truncated.
std::vector<uint8_t> to_hwc_pixels(const Tensor& image, std::string fmt, int64_t& H, int64_t& W, int64_t& C) {
  for (auto& ch : fmt) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  std::string sorted = fmt;
  std::sort(sorted.begin(), sorted.end());
  EMBER_CHECK_VALUE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(),
                    "You can not use the same dimension shordhand twice. input_format: ", fmt);
  EMBER_CHECK_VALUE(int64_t(fmt.size()) == image.dim(), "size of input tensor and input format are different. tensor shape: ",
                    image.sizes(), ", input_format: ", fmt);
  std::string want = fmt.size() == 4 ? "NCHW" : fmt.size() == 3 ? "CHW" : fmt.size() == 2 ? "HW" : "";
  EMBER_CHECK_VALUE(!want.empty(), "add_image: dataformats must have 2, 3 or 4 letters, got '", fmt, "'");
  std::vector<int64_t> perm;
  for (char ch : want) {
    auto pos = fmt.find(ch);
    EMBER_CHECK_VALUE(pos != std::string::npos, "add_image: dataformats '", fmt, "' lacks '", ch, "'");
    perm.push_back(int64_t(pos));
  }
  const float scale = image.dtype() == kUInt8 ? 1.f : 255.f;
  Tensor t = image.detach().cpu().permute(perm).to(kFloat32).contiguous();
  if (t.dim() == 2) t = t.unsqueeze(0);
  if (t.dim() == 3) t = t.unsqueeze(0);
  const int64_t N = t.size(0), Cin = t.size(1);
  H = t.size(2);
  W = t.size(3);
  EMBER_CHECK_VALUE(Cin == 1 || Cin == 3 || (Cin == 4 && fmt.size() == 3),
                    "add_image: images need 1 or 3 channels (4 in a single HWC/CHW image), got ", Cin);
  C = Cin == 4 ? 4 : 3;
  const int64_t ncols = std::min<int64_t>(N, 8), nrows = (N + ncols - 1) / ncols;
  const int64_t HH = H * nrows, WW = W * ncols;
  std::vector<uint8_t> out(size_t(HH * WW * C), 0);
  const float* src = t.data_ptr<float>();
  for (int64_t i = 0; i < N; ++i) {
    const int64_t y0 = (i / ncols) * H, x0 = (i % ncols) * W;
    for (int64_t c = 0; c < C; ++c) {
      const float* plane = src + (i * Cin + (Cin == 1 ? 0 : c)) * H * W;
      for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x) {
          float v = plane[y * W + x] * scale;
          v = v > 0 ? (v < 255 ? v : 255) : 0;  // NaN -> 0
          out[size_t(((y0 + y) * WW + x0 + x) * C + c)] = uint8_t(v);
        }
    }
  }
  H = HH;
  W = WW;
  return out;
}

std::string encode_png(const std::vector<uint8_t>& pixels, int64_t H, int64_t W, int64_t C) {
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  img.width = png_uint_32(W);
  img.height = png_uint_32(H);
  img.format = C == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&img, nullptr, &size, 0, pixels.data(), 0, nullptr))
    throw Error(ember::detail::str("add_image: PNG encoding failed: ", img.message));
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&img, out.data(), &size, 0, pixels.data(), 0, nullptr))
    throw Error(ember::detail::str("add_image: PNG encoding failed: ", img.message));
  out.resize(size);
  png_image_free(&img);
  return out;
}

}  // namespace

std::string image_summary(const std::string& tag, const Tensor& image, const std::string& dataformats) {
  int64_t H, W, C;
  std::vector<uint8_t> pixels = to_hwc_pixels(image, dataformats, H, W, C);
  EMBER_CHECK_VALUE(H > 0 && W > 0, "add_image: the image is empty (", image.sizes(), ")");
  ProtoWriter im;
  im.varint_field(1, uint64_t(H)).varint_field(2, uint64_t(W)).varint_field(3, uint64_t(C));
  im.bytes_field(4, encode_png(pixels, H, W, C));
  return summary_of(tag, 4, im);
}

std::string text_summary(const std::string& tag, const std::string& text) {
  ProtoWriter plugin;
  plugin.bytes_field(1, "text");  // content: TextPluginData{version = 0}, which serializes to nothing
  ProtoWriter meta;
  meta.message_field(1, plugin);
  ProtoWriter dim, shape, tensor;
  dim.varint_field(1, 1);
  shape.message_field(2, dim);
  tensor.varint_field(1, 7).message_field(2, shape).bytes_field(8, text);  // DT_STRING, shape [1]
  ProtoWriter value;
  value.bytes_field(1, tag + "/text_summary").message_field(9, meta).message_field(8, tensor);
  ProtoWriter s;
  s.message_field(1, value);
  return s.bytes();
}

}  // namespace ember::utils::tensorboard
