// Normalisation, embeddings and distances: torch.nn.functional's forms (running statistics first in
// batch_norm, max_norm in embedding) in ember._C._nn, and the ATen-level forms PyTorch exports at top
// level (torch.batch_norm with weight first, torch.embedding with weight first, torch.pdist ...). None
// is an undefined Tensor for the C++ library; PyTorch's cudnn flags are accepted and ignored.
#include "python/bind.h"
#include "python/nn_args.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;

}  // namespace

void bind_nn_norm(nb::module_& m, nb::class_<Tensor>&) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));

  // torch.nn.functional's spellings.
  nn.def(
      "batch_norm",
      [](const Tensor& input, const OptTensor& running_mean, const OptTensor& running_var, const OptTensor& weight,
         const OptTensor& bias, bool training, double momentum, double eps) {
        return F::batch_norm(input, or_undefined(running_mean), or_undefined(running_var), or_undefined(weight),
                             or_undefined(bias), training, momentum, eps);
      },
      "input"_a, "running_mean"_a.none(), "running_var"_a.none(), "weight"_a = nb::none(), "bias"_a = nb::none(),
      "training"_a = false, "momentum"_a = 0.1, "eps"_a = 1e-5);
  nn.def(
      "instance_norm",
      [](const Tensor& input, const OptTensor& running_mean, const OptTensor& running_var, const OptTensor& weight,
         const OptTensor& bias, bool use_input_stats, double momentum, double eps) {
        return F::instance_norm(input, or_undefined(running_mean), or_undefined(running_var), or_undefined(weight),
                                or_undefined(bias), use_input_stats, momentum, eps);
      },
      "input"_a, "running_mean"_a = nb::none(), "running_var"_a = nb::none(), "weight"_a = nb::none(),
      "bias"_a = nb::none(), "use_input_stats"_a = true, "momentum"_a = 0.1, "eps"_a = 1e-5);
  nn.def(
      "layer_norm",
      [](const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight, const OptTensor& bias,
         double eps) { return F::layer_norm(input, normalized_shape, or_undefined(weight), or_undefined(bias), eps); },
      "input"_a, "normalized_shape"_a, "weight"_a = nb::none(), "bias"_a = nb::none(), "eps"_a = 1e-5);
  nn.def(
      "group_norm",
      [](const Tensor& input, int64_t num_groups, const OptTensor& weight, const OptTensor& bias, double eps) {
        return F::group_norm(input, num_groups, or_undefined(weight), or_undefined(bias), eps);
      },
      "input"_a, "num_groups"_a, "weight"_a = nb::none(), "bias"_a = nb::none(), "eps"_a = 1e-5);
  nn.def(
      "rms_norm",
      [](const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight, std::optional<double> eps) {
        return F::rms_norm(input, normalized_shape, or_undefined(weight), eps);
      },
      "input"_a, "normalized_shape"_a, "weight"_a = nb::none(), "eps"_a = nb::none());
  nn.def("local_response_norm", &F::local_response_norm, "input"_a, "size"_a, "alpha"_a = 1e-4, "beta"_a = 0.75,
         "k"_a = 1.0);
  nn.def("normalize", &F::normalize, "input"_a, "p"_a = 2.0, "dim"_a = 1, "eps"_a = 1e-12);
  nn.def("embedding", &F::embedding, "input"_a, "weight"_a, "padding_idx"_a = nb::none(), "max_norm"_a = nb::none(),
         "norm_type"_a = 2.0, "scale_grad_by_freq"_a = false, "sparse"_a = false);
  nn.def(
      "embedding_bag",
      [](const Tensor& input, const Tensor& weight, const OptTensor& offsets, std::optional<double> max_norm,
         double norm_type, bool scale_grad_by_freq, std::string_view mode, bool sparse,
         const OptTensor& per_sample_weights, bool include_last_offset, std::optional<int64_t> padding_idx) {
        return F::embedding_bag(input, weight, or_undefined(offsets), max_norm, norm_type, scale_grad_by_freq, mode,
                                sparse, or_undefined(per_sample_weights), include_last_offset, padding_idx);
      },
      "input"_a, "weight"_a, "offsets"_a = nb::none(), "max_norm"_a = nb::none(), "norm_type"_a = 2.0,
      "scale_grad_by_freq"_a = false, "mode"_a = "mean", "sparse"_a = false, "per_sample_weights"_a = nb::none(),
      "include_last_offset"_a = false, "padding_idx"_a = nb::none());

  // torch.<op>: ATen's argument order (weight before the running statistics), for code that calls
  // torch.batch_norm and friends directly.
  m.def(
      "batch_norm",
      [](const Tensor& input, const OptTensor& weight, const OptTensor& bias, const OptTensor& running_mean,
         const OptTensor& running_var, bool training, double momentum, double eps, bool) {
        return ember::batch_norm(input, or_undefined(weight), or_undefined(bias), or_undefined(running_mean),
                                 or_undefined(running_var), training, momentum, eps);
      },
      "input"_a, "weight"_a.none(), "bias"_a.none(), "running_mean"_a.none(), "running_var"_a.none(), "training"_a,
      "momentum"_a, "eps"_a, "cudnn_enabled"_a);
  m.def(
      "instance_norm",
      [](const Tensor& input, const OptTensor& weight, const OptTensor& bias, const OptTensor& running_mean,
         const OptTensor& running_var, bool use_input_stats, double momentum, double eps, bool) {
        return ember::instance_norm(input, or_undefined(weight), or_undefined(bias), or_undefined(running_mean),
                                    or_undefined(running_var), use_input_stats, momentum, eps);
      },
      "input"_a, "weight"_a.none(), "bias"_a.none(), "running_mean"_a.none(), "running_var"_a.none(),
      "use_input_stats"_a, "momentum"_a, "eps"_a, "cudnn_enabled"_a);
  m.def(
      "layer_norm",
      [](const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight, const OptTensor& bias, double eps,
         bool) { return ember::layer_norm(input, normalized_shape, or_undefined(weight), or_undefined(bias), eps); },
      "input"_a, "normalized_shape"_a, "weight"_a = nb::none(), "bias"_a = nb::none(), "eps"_a = 1e-5,
      "cudnn_enable"_a = true);
  m.def(
      "group_norm",
      [](const Tensor& input, int64_t num_groups, const OptTensor& weight, const OptTensor& bias, double eps, bool) {
        return ember::group_norm(input, num_groups, or_undefined(weight), or_undefined(bias), eps);
      },
      "input"_a, "num_groups"_a, "weight"_a = nb::none(), "bias"_a = nb::none(), "eps"_a = 1e-5,
      "cudnn_enabled"_a = true);
  m.def(
      "rms_norm",
      [](const Tensor& input, IntArrayRef normalized_shape, const OptTensor& weight, std::optional<double> eps) {
        return ember::rms_norm(input, normalized_shape, or_undefined(weight), eps);
      },
      "input"_a, "normalized_shape"_a, "weight"_a = nb::none(), "eps"_a = nb::none());
  m.def("embedding", &ember::embedding, "weight"_a, "indices"_a, "padding_idx"_a = -1, "scale_grad_by_freq"_a = false,
        "sparse"_a = false);
  m.def(
      "embedding_renorm_",
      [](nb::handle_t<Tensor> input, const Tensor& indices, double max_norm, double norm_type) {
        ember::embedding_renorm_(*nb::inst_ptr<Tensor>(input), indices, max_norm, norm_type);
        return nb::typed<nb::object, Tensor>(nb::borrow(input));
      },
      "input"_a, "indices"_a, "max_norm"_a, "norm_type"_a);
  m.def("cosine_similarity", &ember::cosine_similarity, "x1"_a, "x2"_a, "dim"_a = 1, "eps"_a = 1e-8);
  m.def("pairwise_distance", &ember::pairwise_distance, "x1"_a, "x2"_a, "p"_a = 2.0, "eps"_a = 1e-6,
        "keepdim"_a = false);
  m.def("pdist", &ember::pdist, "input"_a, "p"_a = 2.0);
}

}  // namespace ember::python
