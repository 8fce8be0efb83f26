// Padding (torch.constant_pad_nd and F.pad's four modes), written with differentiable public ops so that
// gradients and double backward come for free: constant padding concatenates constant blocks to the
// (narrowed, for negative pads) input; reflect, replicate and circular gather each padded dim through an
// index table (index_select, whose backward is an index_add).
#include <ember/autocast.h>
#include <ember/ops/conv.h>
#include <ember/nn/functional/conv.h>
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/shape.h>

#include <string>

namespace ember {

Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value) {
  EMBER_CHECK(pad.size() % 2 == 0, "Length of pad must be even but instead it equals ", pad.size());
  const int64_t npad = int64_t(pad.size()) / 2;
  EMBER_CHECK(self.dim() >= npad, "Length of pad should be no more than twice the number of dimensions of the input. "
              "Pad length is ", pad.size(), " while the input has ", self.dim(), " dimensions.");
  for (int64_t i = 0; i < npad; ++i) {
    const int64_t d = self.dim() - 1 - i, l = pad[size_t(2 * i)], r = pad[size_t(2 * i + 1)];
    EMBER_CHECK(self.size(d) + l + r >= 0, "The input size ", self.size(d), ", plus negative padding ", l, " and ", r,
                " resulted in a negative output size, which is invalid. Check dimension ", d, " of your input.");
  }
  Tensor out = self;
  for (int64_t i = 0; i < npad; ++i) {
    const int64_t d = self.dim() - 1 - i, l = pad[size_t(2 * i)], r = pad[size_t(2 * i + 1)];
    if (l < 0 || r < 0) {
      const int64_t start = std::max<int64_t>(-l, 0), end = out.size(d) - std::max<int64_t>(-r, 0);
      out = out.narrow(d, start, std::max<int64_t>(end - start, 0));
    }
    if (l <= 0 && r <= 0) continue;
    auto block = [&](int64_t len) {
      DimVector s(out.sizes());
      s[size_t(d)] = len;
      return full(s, value, TensorOptions(out.dtype()).device(out.device()));
    };
    std::vector<Tensor> parts;
    if (l > 0) parts.push_back(block(l));
    parts.push_back(out);
    if (r > 0) parts.push_back(block(r));
    out = cat(parts, d);
  }
  return out.is_same(self) ? self.clone() : out;
}

namespace nn::functional {

namespace {
// Source index of each output position along a dim of size n padded by (l, r).
Tensor pad_index(std::string_view mode, int64_t n, int64_t l, int64_t r) {
  const int64_t m = n + l + r;
  Tensor idx = empty({m}, kInt64);
  int64_t* p = idx.data_ptr<int64_t>();
  for (int64_t j = 0; j < m; ++j) {
    int64_t i = j - l;
    if (mode == "reflect") i = i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i);
    else if (mode == "replicate") i = std::clamp<int64_t>(i, 0, n - 1);
    else i = ((i % n) + n) % n;
    p[j] = i;
  }
  return idx;
}
}  // namespace

Tensor pad(const Tensor& input, IntArrayRef pad, std::string_view mode, std::optional<double> value) {
  if (mode == "reflect") { EMBER_AUTOCAST("reflection_pad", ::ember::nn::functional::pad, input, pad, mode, value); }
  if (mode == "replicate") { EMBER_AUTOCAST("replication_pad", ::ember::nn::functional::pad, input, pad, mode, value); }
  EMBER_CHECK(pad.size() % 2 == 0, "Padding length must be divisible by 2");
  EMBER_CHECK(int64_t(pad.size()) / 2 <= input.dim(), "Padding length too large");
  if (mode == "constant") return constant_pad_nd(input, pad, value.value_or(0.0));
  EMBER_CHECK_T(NotImplementedError, mode == "reflect" || mode == "replicate" || mode == "circular",
                "Unrecognised padding mode ", std::string(mode));
  EMBER_CHECK(value.value_or(0.0) == 0.0, "Padding mode \"", std::string(mode), "\" doesn't take in value argument");
  const int64_t npad = int64_t(pad.size()) / 2;
  EMBER_CHECK_T(NotImplementedError, npad >= 1 && npad <= 3 && (input.dim() == npad + 1 || input.dim() == npad + 2),
                "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  for (int64_t i = 0; i < npad; ++i)
    EMBER_CHECK(input.size(input.dim() - 1 - i) > 0, "Expected ", npad + 1, "D or ", npad + 2,
                "D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ",
                input.sizes());
  Tensor out = input;
  for (int64_t i = 0; i < npad; ++i) {
    const int64_t d = input.dim() - 1 - i, n = input.size(d), l = pad[size_t(2 * i)], r = pad[size_t(2 * i + 1)];
    // PyTorch's 2-d reflection pad names the input's rank here, its 1-d and 3-d ones the input's sizes.
    if (mode == "reflect")
      EMBER_CHECK(l < n && r < n, "Argument #", 4 + 2 * i,
                  ": Padding size should be less than the corresponding input dimension, but got: padding (", l, ", ",
                  r, ") at dimension ", d, " of input ",
                  npad == 2 ? ember::detail::str(input.dim()) : ember::detail::str(input.sizes()));
    if (mode == "circular")
      EMBER_CHECK(l <= n && r <= n, "Padding value causes wrapping around more than once.");
    EMBER_CHECK(n + l + r >= 0, "input tensor is too small for the padding (", l, ", ", r, ") at dimension ", d);
    if (l == 0 && r == 0) continue;
    out = out.index_select(d, pad_index(mode, n, l, r).to(input.device()));
  }
  return out;
}

}  // namespace nn::functional
}  // namespace ember
