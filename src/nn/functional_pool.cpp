// torch.nn.functional's pooling functions that PyTorch composes in Python: max_unpool with its default
// output size, and lp_pool.
#include <ember/ember.h>
#include <ember/nn/functional/pool.h>

namespace ember::nn::functional {

namespace {

DimVector per_dim(IntArrayRef v, int nd, IntArrayRef fallback) {
  IntArrayRef src = v.empty() ? fallback : v;
  return src.size() == 1 ? DimVector(size_t(nd), src[0]) : DimVector(src);
}

DimVector unpool_size(const Tensor& input, int nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                      IntArrayRef output_size) {
  DimVector k = per_dim(kernel_size, nd, kernel_size), s = per_dim(stride, nd, kernel_size),
            p = per_dim(padding, nd, padding);
  EMBER_CHECK_VALUE(k.size() == size_t(nd) && s.size() == size_t(nd) && p.size() == size_t(nd), "max_unpool", nd,
                    "d: kernel_size, stride and padding must have one or ", nd, " elements");
  EMBER_CHECK_VALUE(input.dim() >= nd, "max_unpool", nd, "d: input has too few dimensions");
  DimVector def;
  for (int i = 0; i < nd; ++i)
    def.push_back((input.size(input.dim() - nd + i) - 1) * s[size_t(i)] - 2 * p[size_t(i)] + k[size_t(i)]);
  if (output_size.empty()) return def;
  size_t n = output_size.size();
  EMBER_CHECK_VALUE(n == size_t(nd) || n == size_t(nd + 2), "output_size should be a sequence containing ", nd,
                    " or ", nd + 2, " elements, but it has a length of '", n, "'");
  DimVector out;
  for (size_t i = n - size_t(nd); i < n; ++i) out.push_back(output_size[i]);
  for (int i = 0; i < nd; ++i) {
    int64_t lo = def[size_t(i)] - s[size_t(i)], hi = def[size_t(i)] + s[size_t(i)];
    if (out[size_t(i)] <= lo || out[size_t(i)] >= hi) {
      // PyTorch shows the spatial sizes (without N and C) as the tuple they are in Python.
      std::string shown;
      for (size_t j = 0; j < out.size(); ++j) shown += ember::detail::str(j ? ", " : "", out[j]);
      if (out.size() == 1) shown += ",";
      throw ValueError(ember::detail::str("invalid output_size \"(", shown, ")\" (dim ", i, " must be between ", lo, " and ",
                                   hi, ")"));
    }
  }
  return out;
}

Tensor lp_pool(const Tensor& input, int nd, double norm_type, IntArrayRef kernel_size, IntArrayRef stride,
               bool ceil_mode) {
  DimVector k = per_dim(kernel_size, nd, kernel_size);
  int64_t window = 1;
  for (int64_t v : k) window *= v;
  Tensor x = input.pow(norm_type);
  Tensor out = nd == 1 ? ember::avg_pool1d(x, kernel_size, stride, 0, ceil_mode)
                       : ember::avg_pool2d(x, kernel_size, stride, 0, ceil_mode);
  return (out.sign() * out.abs().relu()).mul(double(window)).pow(1.0 / norm_type);
}

}  // namespace

Tensor max_unpool1d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride,
                    IntArrayRef padding, IntArrayRef output_size) {
  return ember::max_unpool1d(input, indices, unpool_size(input, 1, kernel_size, stride, padding, output_size));
}
Tensor max_unpool2d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride,
                    IntArrayRef padding, IntArrayRef output_size) {
  return ember::max_unpool2d(input, indices, unpool_size(input, 2, kernel_size, stride, padding, output_size));
}
Tensor max_unpool3d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride,
                    IntArrayRef padding, IntArrayRef output_size) {
  return ember::max_unpool3d(input, indices, unpool_size(input, 3, kernel_size, stride, padding, output_size));
}

Tensor lp_pool1d(const Tensor& input, double norm_type, IntArrayRef kernel_size, IntArrayRef stride, bool ceil_mode) {
  return lp_pool(input, 1, norm_type, kernel_size, stride, ceil_mode);
}
Tensor lp_pool2d(const Tensor& input, double norm_type, IntArrayRef kernel_size, IntArrayRef stride, bool ceil_mode) {
  return lp_pool(input, 2, norm_type, kernel_size, stride, ceil_mode);
}

}  // namespace ember::nn::functional
